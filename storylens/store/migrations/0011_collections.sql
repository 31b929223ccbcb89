-- Version 11: collections of outlets (by lean, country, owner...), imported from a CSV whose
-- columns other than `outlet` are groupings; replaced whole by each import.

CREATE TABLE IF NOT EXISTS collections (
    grouping TEXT NOT NULL,       -- a column of the imported file: lean, country, owner
    outlet   TEXT NOT NULL,       -- as the store spells it
    value    TEXT NOT NULL,       -- the collection: left, Valdria, ...
    PRIMARY KEY (grouping, outlet)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS collections_value ON collections (grouping, value);

PRAGMA user_version = 11;

-- Version 16: the quotes' ids alone, in order, so that a page of quotes at a deep offset walks
-- the ids before it and not the quotes' rows (a WITHOUT ROWID table: its key's walk reads the text).

CREATE INDEX IF NOT EXISTS quotes_listed ON quotes (id);

PRAGMA user_version = 16;

-- Version 16: the keys of two lists alone, in an index each, so that neither a deep page nor a
-- filtered one reads every row it passes: the quotes' ids (a WITHOUT ROWID table: walking its
-- key reads the quotes' text) and each story's id with its dates (a story's row carries its
-- centroid: a filter that names stories looks each one up).

CREATE INDEX IF NOT EXISTS quotes_listed ON quotes (id);
CREATE INDEX IF NOT EXISTS stories_keyed ON stories (id, first_published, last_published);

PRAGMA user_version = 16;

-- Version 5: which articles text reuse has already compared, so that each ingest compares only
-- its new articles (with the stored ones near them in time) instead of the whole store.

CREATE TABLE reuse_checked (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Stores before this version compared every analysed article at their last ingest.
INSERT INTO reuse_checked (article_id) SELECT article_id FROM analyses;

PRAGMA user_version = 5;

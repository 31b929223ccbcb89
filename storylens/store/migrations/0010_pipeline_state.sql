-- Version 10: what the pipeline has left to do, so that a run killed at any stage finishes on the
-- next one (key 'link': the articles were analysed since the store was last linked).

CREATE TABLE IF NOT EXISTS pipeline_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

PRAGMA user_version = 10;

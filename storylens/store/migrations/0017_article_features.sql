-- Version 17: what the clusterer reads of an article's text (its hashed terms and the specifics its
-- words name), kept once computed: a round of a stream loaded every story within a year's reach
-- and read each member's paragraphs again (link/features.py).

CREATE TABLE IF NOT EXISTS article_features (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    terms      BLOB NOT NULL,
    specifics  TEXT NOT NULL
) WITHOUT ROWID;

PRAGMA user_version = 17;

-- Version 17: what the clusterer reads of an article's text (its hashed terms and the specifics its
-- words name) and its paragraphs' signatures for text reuse, kept once computed: a round of a
-- stream read again the text of every member of the stories within a year's reach
-- (link/features.py) and of every article within the reuse window (link/reuse.py).

CREATE TABLE IF NOT EXISTS article_features (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    terms      BLOB NOT NULL,
    specifics  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS reuse_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    signatures BLOB NOT NULL
) WITHOUT ROWID;

PRAGMA user_version = 17;

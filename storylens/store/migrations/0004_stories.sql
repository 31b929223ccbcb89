-- Version 4: stories (event clusters), kept up to date by the online clusterer.

CREATE TABLE stories (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,       -- the most central headline
    first_published TEXT,
    last_published  TEXT,
    first_day       INTEGER,             -- days since 1970-01-01, for the time window
    last_day        INTEGER,
    size            INTEGER NOT NULL,
    centroid        BLOB NOT NULL,       -- float32 sum of the members' embeddings
    terms           BLOB NOT NULL        -- summed TF-IDF weights: int32 keys, then float32 values
) WITHOUT ROWID;
CREATE INDEX stories_days ON stories (last_day, first_day);

CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id   TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,         -- the order it joined in
    similarity REAL NOT NULL             -- its score against the story when it joined
) WITHOUT ROWID;
CREATE INDEX story_articles_story ON story_articles (story_id);

-- The clusterer's document frequencies (terms and entities), one blob.
CREATE TABLE story_state (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

PRAGMA user_version = 4;

-- The storylens store. Its version is SQLite's user_version; a store made by an older
-- version is brought forward by store/migrations/NNNN_*.sql, in order, never backwards.
PRAGMA user_version = 1;

-- One row per distinct cleaned article; the id derives from the cleaned text.
CREATE TABLE articles (
    id                 TEXT PRIMARY KEY,
    source             TEXT NOT NULL,   -- the first path or URL it was read from
    url                TEXT,
    outlet             TEXT,
    title              TEXT NOT NULL,
    published          TEXT,            -- ISO date or date-time, or NULL when unknown
    published_evidence TEXT,
    language           TEXT,
    dateline           TEXT,
    paragraphs         TEXT NOT NULL,   -- JSON array of the body's paragraphs
    words              INTEGER NOT NULL,
    ingested_at        TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_outlet ON articles (outlet);

-- Every source an article was read from (exact duplicates from several places share one article).
CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    PRIMARY KEY (article_id, source)
) WITHOUT ROWID;

-- What the cleaner removed from each article, and why.
CREATE TABLE boilerplate (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    line       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

-- Every document ever read, by a hash of its raw content, metadata and source: re-reading
-- one is a no-op, which makes an interrupted ingest resumable without duplicates.
CREATE TABLE documents (
    raw_hash   TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    article_id TEXT,                    -- NULL when it held no article
    read_at    TEXT NOT NULL
) WITHOUT ROWID;

-- Files and records that could not be read: the latest reason per source.
CREATE TABLE errors (
    source  TEXT PRIMARY KEY,
    reason  TEXT NOT NULL,
    seen_at TEXT NOT NULL
) WITHOUT ROWID;

-- How many documents of each outlet were read, and how many of them carry each line:
-- a line on a large share of an outlet's pages is site chrome.
CREATE TABLE outlets (
    outlet    TEXT PRIMARY KEY,
    documents INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE outlet_lines (
    outlet    TEXT NOT NULL,
    line_key  TEXT NOT NULL,
    documents INTEGER NOT NULL,
    PRIMARY KEY (outlet, line_key)
) WITHOUT ROWID;

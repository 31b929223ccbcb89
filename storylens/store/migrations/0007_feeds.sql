-- Version 7: following feeds. Feeds with their conditional-GET state, and every URL fetched
-- (by its normalised key), so a watcher killed at any time resumes without duplicates.

CREATE TABLE feeds (
    url        TEXT PRIMARY KEY,
    outlet     TEXT,
    etag       TEXT,
    modified   TEXT,
    polled_at  TEXT,
    failures   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
) WITHOUT ROWID;

CREATE TABLE fetched (
    url_key    TEXT PRIMARY KEY,     -- storylens.fetch.urls.normalize()
    url        TEXT NOT NULL,
    article_id TEXT,                 -- NULL when the page held no article
    fetched_at TEXT NOT NULL
) WITHOUT ROWID;

PRAGMA user_version = 7;

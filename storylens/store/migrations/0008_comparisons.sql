-- Version 8: each story's comparison, kept until its articles or the analysis change.

CREATE TABLE comparisons (
    story_id   TEXT PRIMARY KEY,
    members    TEXT NOT NULL,     -- a hash of the story's article ids
    version    TEXT NOT NULL,     -- the comparison's and the analysis's versions
    comparison TEXT NOT NULL      -- JSON (storylens.compare.to_json)
) WITHOUT ROWID;

PRAGMA user_version = 8;

-- Version 20: what statement linking keeps of each resolved speaker's block (understand.statements.link_kept):
-- a digest of its quote ids, and of each text (by key) the cosine a new text must pass to be
-- among its nearest and the texts joined to it, so that a new quote links again only the texts
-- it can change. A block with none, or whose quotes are not those kept, is linked whole.
CREATE TABLE IF NOT EXISTS statement_blocks (
    speaker_id TEXT PRIMARY KEY,
    digest     TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS statement_texts (
    speaker_id TEXT NOT NULL,
    text_key   TEXT NOT NULL,
    threshold  REAL,          -- NULL: every text of the block is among its nearest
    component  TEXT NOT NULL,
    PRIMARY KEY (speaker_id, text_key)
) WITHOUT ROWID;

-- A store migrated here has none: each speaker's block is linked whole once, and kept.

PRAGMA user_version = 20;

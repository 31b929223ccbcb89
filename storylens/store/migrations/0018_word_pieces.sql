-- Version 18: each claim's word pieces with the sentence encoder's states (embed.token_rows),
-- by the same key as its embedding: the comparison aligns two claims word by word
-- (compare/tokens.py) without running the model again.

CREATE TABLE IF NOT EXISTS word_pieces (
    key    TEXT PRIMARY KEY,
    pieces BLOB NOT NULL
) WITHOUT ROWID;

PRAGMA user_version = 18;

-- Version 3: text reuse between articles (rebuilt by the linking stage after each ingest).

CREATE TABLE reuse (
    a               TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    b               TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    copier          TEXT,
    source          TEXT,
    direction_basis TEXT NOT NULL,    -- published dates | containment | unknown
    derivation      TEXT NOT NULL,    -- wholly | partially (of the copier)
    fraction_a      REAL NOT NULL,
    fraction_b      REAL NOT NULL,
    evidence        TEXT NOT NULL,    -- JSON array
    PRIMARY KEY (a, b)
) WITHOUT ROWID;

CREATE TABLE reuse_passages (
    a          TEXT NOT NULL,
    b          TEXT NOT NULL,
    position   INTEGER NOT NULL,
    a_text     TEXT NOT NULL,
    b_text     TEXT NOT NULL,
    similarity REAL NOT NULL,
    quotation  INTEGER NOT NULL,      -- only a shared quotation of a third party
    PRIMARY KEY (a, b, position),
    FOREIGN KEY (a, b) REFERENCES reuse (a, b) ON DELETE CASCADE
) WITHOUT ROWID;

PRAGMA user_version = 3;

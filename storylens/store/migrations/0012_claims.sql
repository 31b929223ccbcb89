-- Version 12: each article's claims, parsed once in the analysis pass and kept, so that
-- comparing never parses again (`storylens analyze --all` fills them in for older analyses;
-- until then the comparison parses the articles that have none).

ALTER TABLE analyses ADD COLUMN claims TEXT;  -- the version of its stored claims (NULL: none)

CREATE TABLE IF NOT EXISTS claims (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,  -- order within the article
    start      INTEGER NOT NULL,  -- offsets in the paragraphs joined by blank lines
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    complete   INTEGER NOT NULL,  -- a statement (a verb, five words), not a fragment of a list
    parse      TEXT NOT NULL,     -- JSON: numbers, lemmas, measures, dates, actors, predicates ...
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

PRAGMA user_version = 12;

-- Version 6: full-text search over titles and bodies (SQLite FTS5), kept in step by triggers.

CREATE VIRTUAL TABLE article_search USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_search (rowid, title, body) VALUES (new.rowid, new.title, new.paragraphs);
END;
CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE rowid = old.rowid;
END;
CREATE TRIGGER articles_search_update AFTER UPDATE ON articles BEGIN
    DELETE FROM article_search WHERE rowid = old.rowid;
    INSERT INTO article_search (rowid, title, body) VALUES (new.rowid, new.title, new.paragraphs);
END;
INSERT INTO article_search (rowid, title, body) SELECT rowid, title, paragraphs FROM articles;

PRAGMA user_version = 6;

-- Version 15: each list's total kept as a count, and each story's outlets with its first date,
-- so that neither a page's total nor the stories page filtered by an outlet walks a million rows.

CREATE TABLE IF NOT EXISTS list_counts (
    name  TEXT PRIMARY KEY,  -- 'articles dated', 'articles undated', 'stories dated', ...
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR REPLACE INTO list_counts (name, value) VALUES
    ('articles dated', (SELECT count(*) FROM articles WHERE published IS NOT NULL)),
    ('articles undated', (SELECT count(*) FROM articles WHERE published IS NULL)),
    ('stories dated', (SELECT count(*) FROM stories WHERE first_published IS NOT NULL)),
    ('stories undated', (SELECT count(*) FROM stories WHERE first_published IS NULL)),
    ('entities', (SELECT count(*) FROM entities)),
    ('quotes', (SELECT count(*) FROM quotes)),
    ('statements', (SELECT count(DISTINCT statement_id) FROM quotes)),
    ('reuse', (SELECT count(*) FROM reuse));

CREATE TABLE IF NOT EXISTS story_outlets (
    outlet          TEXT NOT NULL,
    story_id        TEXT NOT NULL,
    first_published TEXT,             -- the story's
    PRIMARY KEY (outlet, story_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO story_outlets (outlet, story_id, first_published)
    SELECT a.outlet, m.story_id, s.first_published FROM story_articles m
    JOIN articles a ON a.id = m.article_id JOIN stories s ON s.id = m.story_id
    WHERE a.outlet IS NOT NULL;
CREATE INDEX IF NOT EXISTS story_outlets_listed ON story_outlets (outlet, first_published, story_id);
CREATE INDEX IF NOT EXISTS story_outlets_story ON story_outlets (story_id);

CREATE TRIGGER IF NOT EXISTS counted_articles_insert AFTER INSERT ON articles BEGIN
    UPDATE list_counts SET value = value + 1
        WHERE name = CASE WHEN new.published IS NULL THEN 'articles undated' ELSE 'articles dated' END;
END;
CREATE TRIGGER IF NOT EXISTS counted_articles_delete AFTER DELETE ON articles BEGIN
    UPDATE list_counts SET value = value - 1
        WHERE name = CASE WHEN old.published IS NULL THEN 'articles undated' ELSE 'articles dated' END;
END;
CREATE TRIGGER IF NOT EXISTS counted_articles_update AFTER UPDATE OF published ON articles BEGIN
    UPDATE list_counts SET value = value - 1
        WHERE name = CASE WHEN old.published IS NULL THEN 'articles undated' ELSE 'articles dated' END;
    UPDATE list_counts SET value = value + 1
        WHERE name = CASE WHEN new.published IS NULL THEN 'articles undated' ELSE 'articles dated' END;
END;
CREATE TRIGGER IF NOT EXISTS counted_stories_insert AFTER INSERT ON stories BEGIN
    UPDATE list_counts SET value = value + 1
        WHERE name = CASE WHEN new.first_published IS NULL THEN 'stories undated' ELSE 'stories dated' END;
END;
CREATE TRIGGER IF NOT EXISTS counted_stories_delete AFTER DELETE ON stories BEGIN
    UPDATE list_counts SET value = value - 1
        WHERE name = CASE WHEN old.first_published IS NULL THEN 'stories undated' ELSE 'stories dated' END;
END;
CREATE TRIGGER IF NOT EXISTS counted_stories_update AFTER UPDATE OF first_published ON stories BEGIN
    UPDATE list_counts SET value = value - 1
        WHERE name = CASE WHEN old.first_published IS NULL THEN 'stories undated' ELSE 'stories dated' END;
    UPDATE list_counts SET value = value + 1
        WHERE name = CASE WHEN new.first_published IS NULL THEN 'stories undated' ELSE 'stories dated' END;
    UPDATE story_outlets SET first_published = new.first_published WHERE story_id = new.id;
END;
CREATE TRIGGER IF NOT EXISTS counted_entities_insert AFTER INSERT ON entities
    BEGIN UPDATE list_counts SET value = value + 1 WHERE name = 'entities'; END;
CREATE TRIGGER IF NOT EXISTS counted_entities_delete AFTER DELETE ON entities
    BEGIN UPDATE list_counts SET value = value - 1 WHERE name = 'entities'; END;
CREATE TRIGGER IF NOT EXISTS counted_reuse_insert AFTER INSERT ON reuse
    BEGIN UPDATE list_counts SET value = value + 1 WHERE name = 'reuse'; END;
CREATE TRIGGER IF NOT EXISTS counted_reuse_delete AFTER DELETE ON reuse
    BEGIN UPDATE list_counts SET value = value - 1 WHERE name = 'reuse'; END;
-- A statement counts while a quote carries it.
CREATE TRIGGER IF NOT EXISTS counted_quotes_insert AFTER INSERT ON quotes BEGIN
    UPDATE list_counts SET value = value + 1 WHERE name = 'quotes';
    UPDATE list_counts SET value = value + 1 WHERE name = 'statements' AND new.statement_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM quotes WHERE statement_id = new.statement_id AND id != new.id);
END;
CREATE TRIGGER IF NOT EXISTS counted_quotes_delete AFTER DELETE ON quotes BEGIN
    UPDATE list_counts SET value = value - 1 WHERE name = 'quotes';
    UPDATE list_counts SET value = value - 1 WHERE name = 'statements' AND old.statement_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM quotes WHERE statement_id = old.statement_id);
END;
CREATE TRIGGER IF NOT EXISTS counted_statements_update AFTER UPDATE OF statement_id ON quotes
    WHEN old.statement_id IS NOT new.statement_id BEGIN
    UPDATE list_counts SET value = value - 1 WHERE name = 'statements' AND old.statement_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM quotes WHERE statement_id = old.statement_id);
    UPDATE list_counts SET value = value + 1 WHERE name = 'statements' AND new.statement_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM quotes WHERE statement_id = new.statement_id AND id != new.id);
END;
-- A story's outlets: an outlet is in while one of the story's articles is the outlet's.
CREATE TRIGGER IF NOT EXISTS story_outlets_insert AFTER INSERT ON story_articles BEGIN
    INSERT INTO story_outlets (outlet, story_id, first_published)
        SELECT a.outlet, new.story_id, (SELECT first_published FROM stories WHERE id = new.story_id)
        FROM articles a WHERE a.id = new.article_id AND a.outlet IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM story_outlets WHERE outlet = a.outlet AND story_id = new.story_id);
END;
CREATE TRIGGER IF NOT EXISTS story_outlets_delete AFTER DELETE ON story_articles BEGIN
    DELETE FROM story_outlets WHERE story_id = old.story_id AND NOT EXISTS (
        SELECT 1 FROM story_articles m JOIN articles a ON a.id = m.article_id
        WHERE m.story_id = old.story_id AND a.outlet = story_outlets.outlet);
END;
CREATE TRIGGER IF NOT EXISTS story_outlets_update AFTER UPDATE OF story_id, article_id ON story_articles BEGIN
    DELETE FROM story_outlets WHERE story_id = old.story_id AND NOT EXISTS (
        SELECT 1 FROM story_articles m JOIN articles a ON a.id = m.article_id
        WHERE m.story_id = old.story_id AND a.outlet = story_outlets.outlet);
    INSERT INTO story_outlets (outlet, story_id, first_published)
        SELECT a.outlet, new.story_id, (SELECT first_published FROM stories WHERE id = new.story_id)
        FROM articles a WHERE a.id = new.article_id AND a.outlet IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM story_outlets WHERE outlet = a.outlet AND story_id = new.story_id);
END;
CREATE TRIGGER IF NOT EXISTS story_outlets_article AFTER UPDATE OF outlet ON articles BEGIN
    DELETE FROM story_outlets WHERE story_id IN (SELECT story_id FROM story_articles WHERE article_id = new.id)
        AND NOT EXISTS (SELECT 1 FROM story_articles m JOIN articles a ON a.id = m.article_id
        WHERE m.story_id = story_outlets.story_id AND a.outlet = story_outlets.outlet);
    INSERT INTO story_outlets (outlet, story_id, first_published)
        SELECT new.outlet, m.story_id, s.first_published FROM story_articles m
        JOIN stories s ON s.id = m.story_id WHERE m.article_id = new.id AND new.outlet IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM story_outlets WHERE outlet = new.outlet AND story_id = m.story_id);
END;

PRAGMA user_version = 15;

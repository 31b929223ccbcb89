-- Version 14: the outlet and collection figures kept in the store, so that their pages read them
-- instead of computing them per request. `generation` counts every change to what the figures
-- rest on (articles, stories, reuse, collections, comparisons; kept up to date by the triggers
-- below, whoever writes); a kept view is current only if it was computed at the store's
-- generation.

CREATE TABLE IF NOT EXISTS generation (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO generation (id, value) VALUES (1, 0);

CREATE TABLE IF NOT EXISTS kept_views (
    name       TEXT PRIMARY KEY,  -- 'outlets', 'outlet:<name>', 'blindspots:<grouping>', ...
    generation INTEGER NOT NULL,  -- the store's generation it was computed at
    body       TEXT NOT NULL      -- the view, as JSON
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS changed_articles_insert AFTER INSERT ON articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_articles_update AFTER UPDATE ON articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_articles_delete AFTER DELETE ON articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_stories_insert AFTER INSERT ON stories
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_stories_update AFTER UPDATE ON stories
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_stories_delete AFTER DELETE ON stories
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_story_articles_insert AFTER INSERT ON story_articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_story_articles_update AFTER UPDATE ON story_articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_story_articles_delete AFTER DELETE ON story_articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_reuse_insert AFTER INSERT ON reuse
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_reuse_update AFTER UPDATE ON reuse
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_reuse_delete AFTER DELETE ON reuse
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_reuse_passages_insert AFTER INSERT ON reuse_passages
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_reuse_passages_update AFTER UPDATE ON reuse_passages
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_reuse_passages_delete AFTER DELETE ON reuse_passages
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_collections_insert AFTER INSERT ON collections
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_collections_update AFTER UPDATE ON collections
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_collections_delete AFTER DELETE ON collections
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_comparisons_insert AFTER INSERT ON comparisons
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_comparisons_update AFTER UPDATE ON comparisons
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER IF NOT EXISTS changed_comparisons_delete AFTER DELETE ON comparisons
    BEGIN UPDATE generation SET value = value + 1; END;

PRAGMA user_version = 14;

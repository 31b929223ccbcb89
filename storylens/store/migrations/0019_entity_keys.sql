-- Version 19: each entity's merge keys and each article's context keys, so that a round
-- resolves only the stored entities its new articles reach, not every article
-- (storylens/resolution.py). A store migrated here has none, and its next resolution, of every
-- article, writes them.

CREATE TABLE IF NOT EXISTS entity_keys (
    key       TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_keys_entity ON entity_keys (entity_id);

CREATE TABLE IF NOT EXISTS article_contexts (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    PRIMARY KEY (article_id, key)
) WITHOUT ROWID;

PRAGMA user_version = 19;

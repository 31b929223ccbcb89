-- The storylens store. Its version is SQLite's user_version; a store made by an older
-- version is brought forward by store/migrations/NNNN_*.sql, in order, never backwards.
PRAGMA user_version = 20;

-- One row per distinct cleaned article; the id derives from the cleaned text.
CREATE TABLE articles (
    id                 TEXT PRIMARY KEY,
    source             TEXT NOT NULL,   -- the first path or URL it was read from
    url                TEXT,
    outlet             TEXT,
    title              TEXT NOT NULL,
    published          TEXT,            -- ISO date or date-time, or NULL when unknown
    published_evidence TEXT,
    language           TEXT,
    dateline           TEXT,
    paragraphs         TEXT NOT NULL,   -- JSON array of the body's paragraphs
    words              INTEGER NOT NULL,
    ingested_at        TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_outlet ON articles (outlet);

-- Every source an article was read from (exact duplicates from several places share one article).
CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    PRIMARY KEY (article_id, source)
) WITHOUT ROWID;

-- What the cleaner removed from each article, and why.
CREATE TABLE boilerplate (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    line       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

-- Every document ever read, by a hash of its raw content, metadata and source: re-reading
-- one is a no-op, which makes an interrupted ingest resumable without duplicates.
CREATE TABLE documents (
    raw_hash   TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    article_id TEXT,                    -- NULL when it held no article
    read_at    TEXT NOT NULL
) WITHOUT ROWID;

-- Files and records that could not be read: the latest reason per source.
CREATE TABLE errors (
    source  TEXT PRIMARY KEY,
    reason  TEXT NOT NULL,
    seen_at TEXT NOT NULL
) WITHOUT ROWID;

-- How many documents of each outlet were read, and how many of them carry each line:
-- a line on a large share of an outlet's pages is site chrome.
CREATE TABLE outlets (
    outlet    TEXT PRIMARY KEY,
    documents INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE outlet_lines (
    outlet    TEXT NOT NULL,
    line_key  TEXT NOT NULL,
    documents INTEGER NOT NULL,
    PRIMARY KEY (outlet, line_key)
) WITHOUT ROWID;

-- Understanding (version 2) ------------------------------------------------------

-- Which articles were analysed, by which version of the stage.
CREATE TABLE analyses (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version     TEXT NOT NULL,
    analysed_at TEXT NOT NULL,
    claims      TEXT              -- the version of its stored claims (NULL: none stored; version 12)
) WITHOUT ROWID;

-- Named-entity mentions, titles split off into roles; `local` groups them within the article.
CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    paragraph  INTEGER NOT NULL,
    start      INTEGER NOT NULL,   -- offsets in the paragraphs joined by blank lines
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    role       TEXT,
    local      INTEGER NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

-- One row per entity within an article; entity_id links it to the entity across articles.
CREATE TABLE local_entities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    local      INTEGER NOT NULL,
    type       TEXT NOT NULL,
    names      TEXT NOT NULL,     -- JSON array
    roles      TEXT NOT NULL,     -- JSON array
    entity_id  TEXT,
    PRIMARY KEY (article_id, local)
) WITHOUT ROWID;
CREATE INDEX local_entities_entity ON local_entities (entity_id);

-- "Name (ACRONYM)" pairs written in articles: evidence that two names are one.
CREATE TABLE acronym_pairs (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    long       TEXT NOT NULL,
    short      TEXT NOT NULL,
    PRIMARY KEY (article_id, long, short)
) WITHOUT ROWID;

-- Entities across articles (rebuilt by resolution after each ingest or analyze).
CREATE TABLE entities (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    type    TEXT NOT NULL,
    aliases TEXT NOT NULL,        -- JSON array of every name form seen
    roles   TEXT NOT NULL         -- JSON array
) WITHOUT ROWID;

-- Each entity's merge keys (version 19): the keys through which resolution joins its local
-- entities to others (understand/resolve.py, merge_keys), so that a round resolves only the
-- stored entities its new articles reach (storylens/resolution.py).
CREATE TABLE entity_keys (
    key       TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;
CREATE INDEX entity_keys_entity ON entity_keys (entity_id);
-- Each article's context keys (version 19): the keys of its local entities, which resolution
-- weighs as the context of each (who else is in the story), read without the entities.
CREATE TABLE article_contexts (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    PRIMARY KEY (article_id, key)
) WITHOUT ROWID;

-- Direct and reported speech.
CREATE TABLE quotes (
    id            TEXT PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    paragraph     INTEGER NOT NULL,
    start         INTEGER NOT NULL,
    end           INTEGER NOT NULL,
    text          TEXT NOT NULL,
    direct        INTEGER NOT NULL,
    speaker_text  TEXT,
    speaker_kind  TEXT NOT NULL,  -- person | organisation | document | group | unknown
    speaker_local INTEGER,
    speaker_id    TEXT,           -- the entity, once resolved across articles
    statement_id  TEXT,           -- the same statement across articles
    form          TEXT NOT NULL DEFAULT 'direct',  -- direct | mixed | reported | transcript
    cue           TEXT,           -- the reporting word: "said", "according to", ":"
    evidence      TEXT NOT NULL DEFAULT ''         -- how the speaker was found
) WITHOUT ROWID;
CREATE INDEX quotes_article ON quotes (article_id);

-- What statement linking keeps of each resolved speaker's block (understand.statements.link_kept):
-- a digest of its quote ids, and of each text (by key) the cosine a new text must pass to be
-- among its nearest and the texts joined to it, so that a new quote links again only the texts
-- it can change. A block with none, or whose quotes are not those kept, is linked whole.
CREATE TABLE statement_blocks (
    speaker_id TEXT PRIMARY KEY,
    digest     TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE statement_texts (
    speaker_id TEXT NOT NULL,
    text_key   TEXT NOT NULL,
    threshold  REAL,          -- NULL: every text of the block is among its nearest
    component  TEXT NOT NULL,
    PRIMARY KEY (speaker_id, text_key)
) WITHOUT ROWID;

-- Embeddings by a hash of (model, exact text): computed once, reused for unchanged text.
CREATE TABLE embeddings (
    key    TEXT PRIMARY KEY,
    vector BLOB NOT NULL          -- float16, unit length
) WITHOUT ROWID;

-- A claim's word pieces with the encoder's states (embed.token_rows), by its embedding's key
-- (version 18): what the comparison aligns word by word (compare/tokens.py).
CREATE TABLE word_pieces (
    key    TEXT PRIMARY KEY,
    pieces BLOB NOT NULL          -- per piece: uint16 id, int8 state (embed.TOKEN_BYTES)
) WITHOUT ROWID;

CREATE TABLE article_embeddings (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    key        TEXT NOT NULL
) WITHOUT ROWID;

-- Reuse (version 3) ---------------------------------------------------------------

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

-- Articles text reuse has already compared (version 5): each ingest compares only new ones.
CREATE TABLE reuse_checked (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Each article's paragraph signatures for text reuse (version 17), kept once computed: a round
-- reads those of the articles within its window, not their text (link/reuse.py signature_rows).
CREATE TABLE reuse_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,         -- link/reuse.py SIGNATURES_VERSION
    signatures BLOB NOT NULL             -- uint32, NUM_PERM values a paragraph long enough to be copied
) WITHOUT ROWID;

-- Stories (version 4) -----------------------------------------------------------

-- Stories (event clusters), kept up to date by the online clusterer.

CREATE TABLE stories (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,       -- the most central headline
    first_published TEXT,
    last_published  TEXT,
    first_day       INTEGER,             -- days since 1970-01-01, for the time window
    last_day        INTEGER,
    size            INTEGER NOT NULL,
    centroid        BLOB NOT NULL,       -- float32 sum of the members' embeddings
    terms           BLOB NOT NULL        -- empty since stories version 2 (members are compared, not sums)
) WITHOUT ROWID;
CREATE INDEX stories_days ON stories (last_day, first_day);

CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id   TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,         -- the order it joined in
    similarity REAL NOT NULL             -- its score against the story when it joined
) WITHOUT ROWID;
CREATE INDEX story_articles_story ON story_articles (story_id);

-- The clusterer's document frequencies (terms and entities), one blob.
CREATE TABLE story_state (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- What the clusterer reads of an article's text (version 17): its hashed terms and the specifics
-- its words name (link/features.py), kept when first computed, since an article's text never
-- changes; its entities are read afresh (they move as entities are resolved again).
CREATE TABLE article_features (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,         -- link/features.py FEATURES_VERSION
    terms      BLOB NOT NULL,            -- int32 pairs (term bucket, count), in the text's order
    specifics  TEXT NOT NULL             -- JSON list of the text's specifics (no entity)
) WITHOUT ROWID;

-- Search (version 6) ------------------------------------------------------------

-- Full-text search over titles and bodies (SQLite FTS5), kept in step by triggers.

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

-- Feeds (version 7) -------------------------------------------------------------

-- Following feeds. Feeds with their conditional-GET state, and every URL fetched
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

-- Comparisons (version 8) --------------------------------------------------------

-- Each story's comparison, kept until its articles or the analysis change.

CREATE TABLE comparisons (
    story_id   TEXT PRIMARY KEY,
    members    TEXT NOT NULL,     -- a hash of the story's article ids
    version    TEXT NOT NULL,     -- the comparison's and the analysis's versions
    comparison TEXT NOT NULL      -- JSON (storylens.compare.to_json)
) WITHOUT ROWID;

-- Pipeline state (version 10; 9 is another branch's) ------------------------------

-- What the pipeline has left to do, so that a run killed at any stage finishes on the next
-- one (key 'link': the articles were analysed since the store was last linked).
CREATE TABLE pipeline_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Collections (version 11) --------------------------------------------------------

-- Collections of outlets (by lean, country, owner...), imported from a CSV whose columns other
-- than `outlet` are groupings; replaced whole by each import.
CREATE TABLE collections (
    grouping TEXT NOT NULL,       -- a column of the imported file: lean, country, owner
    outlet   TEXT NOT NULL,       -- as the store spells it
    value    TEXT NOT NULL,       -- the collection: left, Valdria, ...
    PRIMARY KEY (grouping, outlet)
) WITHOUT ROWID;
CREATE INDEX collections_value ON collections (grouping, value);

-- Claims (version 12) -------------------------------------------------------------

-- Each article's claims (sentences, long ones cut into clauses), parsed once in the analysis
-- pass, with what the comparison reads of the parse, so that comparing never parses again.
CREATE TABLE claims (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,  -- order within the article
    start      INTEGER NOT NULL,  -- offsets in the paragraphs joined by blank lines
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    complete   INTEGER NOT NULL,  -- a statement (a verb, five words), not a fragment of a list
    parse      TEXT NOT NULL,     -- JSON: numbers, lemmas, measures, dates, actors, predicates ...
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

-- List indexes (version 13) --------------------------------------------------------

-- Every list the web app and the API show is read a page at a time in its order over these.
CREATE INDEX articles_listed ON articles (published, outlet, id);
CREATE INDEX stories_listed ON stories (first_published, id, last_published);
CREATE INDEX quotes_speaker ON quotes (speaker_id);
CREATE INDEX quotes_statement ON quotes (statement_id);
CREATE INDEX reuse_b ON reuse (b);

-- Kept views (version 14) ---------------------------------------------------------

-- The outlet and collection figures kept in the store, so that their pages read them instead of
-- computing them per request. `generation` counts every change to what the figures rest on
-- (kept up to date by the triggers below, whoever writes); a kept view is current only if it was
-- computed at the store's generation.
CREATE TABLE generation (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO generation (id, value) VALUES (1, 0);

CREATE TABLE kept_views (
    name       TEXT PRIMARY KEY,  -- 'outlets', 'outlet:<name>', 'blindspots:<grouping>', ...
    generation INTEGER NOT NULL,  -- the store's generation it was computed at
    body       TEXT NOT NULL      -- the view, as JSON
) WITHOUT ROWID;

CREATE TRIGGER changed_articles_insert AFTER INSERT ON articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_articles_update AFTER UPDATE ON articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_articles_delete AFTER DELETE ON articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_stories_insert AFTER INSERT ON stories
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_stories_update AFTER UPDATE ON stories
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_stories_delete AFTER DELETE ON stories
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_story_articles_insert AFTER INSERT ON story_articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_story_articles_update AFTER UPDATE ON story_articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_story_articles_delete AFTER DELETE ON story_articles
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_reuse_insert AFTER INSERT ON reuse
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_reuse_update AFTER UPDATE ON reuse
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_reuse_delete AFTER DELETE ON reuse
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_reuse_passages_insert AFTER INSERT ON reuse_passages
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_reuse_passages_update AFTER UPDATE ON reuse_passages
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_reuse_passages_delete AFTER DELETE ON reuse_passages
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_collections_insert AFTER INSERT ON collections
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_collections_update AFTER UPDATE ON collections
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_collections_delete AFTER DELETE ON collections
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_comparisons_insert AFTER INSERT ON comparisons
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_comparisons_update AFTER UPDATE ON comparisons
    BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER changed_comparisons_delete AFTER DELETE ON comparisons
    BEGIN UPDATE generation SET value = value + 1; END;

-- Kept counts and stories by outlet (version 15) -------------------------------------

-- Each list's total, kept by the triggers below (whoever writes), so that a page's total is a
-- read, not a count over a million-row index.
CREATE TABLE list_counts (
    name  TEXT PRIMARY KEY,  -- 'articles dated', 'articles undated', 'stories dated', ...
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO list_counts (name, value) VALUES ('articles dated', 0), ('articles undated', 0),
    ('stories dated', 0), ('stories undated', 0), ('entities', 0), ('quotes', 0), ('statements', 0),
    ('reuse', 0);

-- Each story's outlets with the story's first date (kept by the triggers below): the stories
-- page filtered by an outlet reads that outlet's stories newest first over an index.
CREATE TABLE story_outlets (
    outlet          TEXT NOT NULL,
    story_id        TEXT NOT NULL,
    first_published TEXT,             -- the story's
    PRIMARY KEY (outlet, story_id)
) WITHOUT ROWID;
CREATE INDEX story_outlets_listed ON story_outlets (outlet, first_published, story_id);
CREATE INDEX story_outlets_story ON story_outlets (story_id);

CREATE TRIGGER counted_articles_insert AFTER INSERT ON articles BEGIN
    UPDATE list_counts SET value = value + 1
        WHERE name = CASE WHEN new.published IS NULL THEN 'articles undated' ELSE 'articles dated' END;
END;
CREATE TRIGGER counted_articles_delete AFTER DELETE ON articles BEGIN
    UPDATE list_counts SET value = value - 1
        WHERE name = CASE WHEN old.published IS NULL THEN 'articles undated' ELSE 'articles dated' END;
END;
CREATE TRIGGER counted_articles_update AFTER UPDATE OF published ON articles BEGIN
    UPDATE list_counts SET value = value - 1
        WHERE name = CASE WHEN old.published IS NULL THEN 'articles undated' ELSE 'articles dated' END;
    UPDATE list_counts SET value = value + 1
        WHERE name = CASE WHEN new.published IS NULL THEN 'articles undated' ELSE 'articles dated' END;
END;
CREATE TRIGGER counted_stories_insert AFTER INSERT ON stories BEGIN
    UPDATE list_counts SET value = value + 1
        WHERE name = CASE WHEN new.first_published IS NULL THEN 'stories undated' ELSE 'stories dated' END;
END;
CREATE TRIGGER counted_stories_delete AFTER DELETE ON stories BEGIN
    UPDATE list_counts SET value = value - 1
        WHERE name = CASE WHEN old.first_published IS NULL THEN 'stories undated' ELSE 'stories dated' END;
END;
CREATE TRIGGER counted_stories_update AFTER UPDATE OF first_published ON stories BEGIN
    UPDATE list_counts SET value = value - 1
        WHERE name = CASE WHEN old.first_published IS NULL THEN 'stories undated' ELSE 'stories dated' END;
    UPDATE list_counts SET value = value + 1
        WHERE name = CASE WHEN new.first_published IS NULL THEN 'stories undated' ELSE 'stories dated' END;
    UPDATE story_outlets SET first_published = new.first_published WHERE story_id = new.id;
END;
CREATE TRIGGER counted_entities_insert AFTER INSERT ON entities
    BEGIN UPDATE list_counts SET value = value + 1 WHERE name = 'entities'; END;
CREATE TRIGGER counted_entities_delete AFTER DELETE ON entities
    BEGIN UPDATE list_counts SET value = value - 1 WHERE name = 'entities'; END;
CREATE TRIGGER counted_reuse_insert AFTER INSERT ON reuse
    BEGIN UPDATE list_counts SET value = value + 1 WHERE name = 'reuse'; END;
CREATE TRIGGER counted_reuse_delete AFTER DELETE ON reuse
    BEGIN UPDATE list_counts SET value = value - 1 WHERE name = 'reuse'; END;
-- A statement counts while a quote carries it.
CREATE TRIGGER counted_quotes_insert AFTER INSERT ON quotes BEGIN
    UPDATE list_counts SET value = value + 1 WHERE name = 'quotes';
    UPDATE list_counts SET value = value + 1 WHERE name = 'statements' AND new.statement_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM quotes WHERE statement_id = new.statement_id AND id != new.id);
END;
CREATE TRIGGER counted_quotes_delete AFTER DELETE ON quotes BEGIN
    UPDATE list_counts SET value = value - 1 WHERE name = 'quotes';
    UPDATE list_counts SET value = value - 1 WHERE name = 'statements' AND old.statement_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM quotes WHERE statement_id = old.statement_id);
END;
CREATE TRIGGER counted_statements_update AFTER UPDATE OF statement_id ON quotes
    WHEN old.statement_id IS NOT new.statement_id BEGIN
    UPDATE list_counts SET value = value - 1 WHERE name = 'statements' AND old.statement_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM quotes WHERE statement_id = old.statement_id);
    UPDATE list_counts SET value = value + 1 WHERE name = 'statements' AND new.statement_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM quotes WHERE statement_id = new.statement_id AND id != new.id);
END;
-- A story's outlets: an outlet is in while one of the story's articles is the outlet's.
CREATE TRIGGER story_outlets_insert AFTER INSERT ON story_articles BEGIN
    INSERT INTO story_outlets (outlet, story_id, first_published)
        SELECT a.outlet, new.story_id, (SELECT first_published FROM stories WHERE id = new.story_id)
        FROM articles a WHERE a.id = new.article_id AND a.outlet IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM story_outlets WHERE outlet = a.outlet AND story_id = new.story_id);
END;
CREATE TRIGGER story_outlets_delete AFTER DELETE ON story_articles BEGIN
    DELETE FROM story_outlets WHERE story_id = old.story_id AND NOT EXISTS (
        SELECT 1 FROM story_articles m JOIN articles a ON a.id = m.article_id
        WHERE m.story_id = old.story_id AND a.outlet = story_outlets.outlet);
END;
CREATE TRIGGER story_outlets_update AFTER UPDATE OF story_id, article_id ON story_articles BEGIN
    DELETE FROM story_outlets WHERE story_id = old.story_id AND NOT EXISTS (
        SELECT 1 FROM story_articles m JOIN articles a ON a.id = m.article_id
        WHERE m.story_id = old.story_id AND a.outlet = story_outlets.outlet);
    INSERT INTO story_outlets (outlet, story_id, first_published)
        SELECT a.outlet, new.story_id, (SELECT first_published FROM stories WHERE id = new.story_id)
        FROM articles a WHERE a.id = new.article_id AND a.outlet IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM story_outlets WHERE outlet = a.outlet AND story_id = new.story_id);
END;
CREATE TRIGGER story_outlets_article AFTER UPDATE OF outlet ON articles BEGIN
    DELETE FROM story_outlets WHERE story_id IN (SELECT story_id FROM story_articles WHERE article_id = new.id)
        AND NOT EXISTS (SELECT 1 FROM story_articles m JOIN articles a ON a.id = m.article_id
        WHERE m.story_id = story_outlets.story_id AND a.outlet = story_outlets.outlet);
    INSERT INTO story_outlets (outlet, story_id, first_published)
        SELECT new.outlet, m.story_id, s.first_published FROM story_articles m
        JOIN stories s ON s.id = m.story_id WHERE m.article_id = new.id AND new.outlet IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM story_outlets WHERE outlet = new.outlet AND story_id = m.story_id);
END;

-- List keys (version 16) -----------------------------------------------------------

-- The quotes' ids alone, in order: a page at a deep offset walks these, not the quotes' rows;
-- each story's id with its dates: a filter naming stories reads these, not their centroids.
CREATE INDEX quotes_listed ON quotes (id);
CREATE INDEX stories_keyed ON stories (id, first_published, last_published);

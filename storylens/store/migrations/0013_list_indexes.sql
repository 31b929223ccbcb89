-- Version 13: indexes that let every list the web app and the API show be read a page at a
-- time, in its order, instead of sorting a whole table per request.

CREATE INDEX IF NOT EXISTS articles_listed ON articles (published, outlet, id);
CREATE INDEX IF NOT EXISTS stories_listed ON stories (first_published, id, last_published);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes (speaker_id);
CREATE INDEX IF NOT EXISTS quotes_statement ON quotes (statement_id);
CREATE INDEX IF NOT EXISTS reuse_b ON reuse (b);

PRAGMA user_version = 13;

-- Version 9: every quote keeps its form and the evidence for its speaker: the cue word and how
-- the speaker was found. Older analyses are re-run by `storylens analyze` (the analysis version
-- changed with them).

ALTER TABLE quotes ADD COLUMN form TEXT NOT NULL DEFAULT 'direct';  -- direct | mixed | reported | transcript
ALTER TABLE quotes ADD COLUMN cue TEXT;                             -- "said", "according to", ":"
ALTER TABLE quotes ADD COLUMN evidence TEXT NOT NULL DEFAULT '';    -- how the speaker was found

PRAGMA user_version = 9;

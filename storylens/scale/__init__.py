"""Scale-out: the pipeline's stages as one Apache Spark job, for corpora beyond one machine.

    storylens batch --engine spark INPUT... --out DIR [--master URL]

Each per-article step runs the local pipeline's own functions inside mapInPandas (Arrow
batches): reading, cleaning, analysis, embeddings, MinHash signatures, passage alignment. spaCy
and the sentence model are cached at module level, so each Python worker loads them once and
Spark reuses its workers. What crosses articles is planned for a cluster:

- the lines each outlet repeats (site chrome) are counted with a group-by, over the local bar
  (clean.boilerplate.repeat_bar);
- text reuse: paragraphs sharing one of their LSH band keys (link.reuse.band_keys) are
  candidates (the first MAX_NEIGHBOURS per paragraph, as locally); candidate pairs are aligned
  by link.reuse.compare; partners (link.reuse.partner_counts) are counted per partition and
  summed; direction is link.reuse.decide_direction; shared descent is link.reuse.shared_descent
  over each copier's pairs and its sources';
- stories: dated articles are blocked by period of MAX_GAP_DAYS (each block holds one period and
  the next), each article's nearest neighbours by embedding inside its block are scored as the
  clusterer scores an article against a story (vectorised: link.stories.dated_pair_scores),
  pairs above LINK_THRESHOLD (below the clusterer's own bar) are linked, connected components
  are found by label propagation, and every component is clustered by the local online
  clusterer. That last step is the guard against chaining (a chain of pairwise links never makes
  one story by itself) and the reason both engines agree; document frequencies are counted per
  partition by Frequencies.count and added by Frequencies.merge;
- entity resolution and statement grouping (understand.statements.link_statements) run on the
  driver over the articles' local entities and quotes (the one stage bound by the driver's memory).

DIR receives Parquet tables shaped like the export contract (articles, entities, quotes, reuse,
stories), plus `problems` (what could not be read, and why) and `analyses` (what
`storylens load` needs to rebuild a store without analysing again).

The package follows the stages: session (the Spark session), read, clean, understand, reuse,
stories and links (the plans), job (`batch`, which runs them), load (a batch output into a
store); frames holds the conversions between Spark rows and the stages' dataclasses.
"""

# The entry points (a session is storylens.scale.session.session; a store is filled by
# storylens.scale.load.load: those two keep their modules' names).
from storylens.scale.job import BatchReport, batch
from storylens.scale.load import MissingTable, read_tables
from storylens.scale.session import SparkUnavailable, java_available

__all__ = ["BatchReport", "MissingTable", "SparkUnavailable", "batch", "java_available", "read_tables"]

"""Scale-out: the pipeline's stages as one Apache Spark job, for corpora beyond one machine.

    storylens batch --engine spark INPUT... --out DIR [--master URL]

Each per-article step runs the local pipeline's own functions inside mapInPandas (Arrow
batches): reading, cleaning, analysis, embeddings, MinHash signatures, passage alignment. spaCy
and the sentence model are cached at module level, so each Python worker loads them once and
Spark reuses its workers. What crosses articles is planned for a cluster:

- the lines each outlet repeats (site chrome) are counted with a group-by, as the store counts them;
- text reuse: each paragraph's MinHash signature is cut into the bands datasketch's MinHashLSH
  uses; paragraphs sharing a band are candidates (the first MAX_NEIGHBOURS per paragraph, as
  locally); candidate pairs are aligned by link.reuse.compare; direction and shared descent are
  decided with joins;
- stories: dated articles are blocked by period of MAX_GAP_DAYS (each block holds one period and
  the next), each article's nearest neighbours by embedding inside its block are scored as the
  clusterer scores an article against a story (vectorised: link.stories.dated_pair_scores),
  pairs above LINK_THRESHOLD (below the clusterer's own bar) are linked, connected components
  are found by label propagation, and every component is clustered by the local online
  clusterer. That last step is the guard against chaining (a chain of pairwise links never makes
  one story by itself) and the reason both engines agree;
- entity resolution and statement grouping run on the driver over the articles' local entities
  and quotes (the one stage bound by the driver's memory).

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

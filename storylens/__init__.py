"""storylens: read the news across many outlets.

The public API, the same calls the CLI and the web app make:

    from storylens import open_store, ingest, export
    with open_store("news.db") as store:
        report = ingest(["coverage/"], store)
        document = export(store)
"""

from storylens.export import export
from storylens.model import Article, IngestReport, Problem, RawDoc, TooLarge, UnreadableInput
from storylens.pipeline import ingest
from storylens.store import Store, StoreError, open_store

__all__ = [
    "Article",
    "IngestReport",
    "Problem",
    "RawDoc",
    "Store",
    "StoreError",
    "TooLarge",
    "UnreadableInput",
    "export",
    "ingest",
    "open_store",
]
__version__ = "0.1.0"

"""The SQLite store under every stage; only db.py writes SQL."""

from storylens.store.db import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]

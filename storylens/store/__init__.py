"""The SQLite store under every stage; only its modules (db.py, claims.py) write SQL."""

from storylens.store.db import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]

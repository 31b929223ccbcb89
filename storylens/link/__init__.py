"""Linking articles: who copied whom (reuse.py); which articles are one story (pairs.py, stories.py)."""

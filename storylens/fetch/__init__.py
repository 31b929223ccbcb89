"""Fetching from the web: URL normalisation and the SSRF guard (urls.py, guard.py), HTTP with limits
(http.py), RSS/Atom feeds (feeds.py) and following them (watch.py)."""

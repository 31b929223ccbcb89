"""Fetching from the web (in progress): URL normalisation and the SSRF guard so far."""

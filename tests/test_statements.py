"""Statement linking compares a quote only with its speaker's nearest texts: on written quotes,
a large block included, it finds the same statements as comparing every pair."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from storylens.model import KeptBlock, KeptText, QuoteRef
from storylens.understand.embed import embed
from storylens.understand.statements import (
    _candidate_texts,
    comparable,
    group_statements,
    link_kept,
    link_statements,
)

# One minister's remarks on unrelated matters, each said once...
REMARKS = [
    "The new bridge over the river will open to traffic in the spring.",
    "We will not raise the tax on fuel this year.",
    "Hospital waiting lists have fallen for the third month in a row.",
    "The army will withdraw its last troops from the border by June.",
    "Teachers will get a pay rise of four percent from September.",
    "The harbour will be dredged so that larger ships can dock.",
    "Our farmers lost half their wheat harvest to the drought.",
    "The railway line to the coast will be electrified within five years.",
    "I have never met the businessman at the centre of this scandal.",
    "Police numbers in the capital will double by the end of the decade.",
    "The central bank must stay independent of any government.",
    "We are sending two planes of medicine to the flooded provinces.",
    "Broadband will reach every village before the next election.",
    "The old coal plant will close and be replaced by a solar park.",
    "Pensions will rise with inflation, whatever happens to the budget.",
    "The museum will return the stolen statues to their country of origin.",
    "Our football team deserves a new stadium and it will get one.",
    "Prisons are overcrowded and we will build three new ones.",
    "Tourists from abroad will no longer need a visa for short stays.",
    "The water in the northern lakes is safe to drink again.",
    "The census will be taken online for the first time.",
    "We will ban plastic bags in supermarkets from next year.",
    "The airport's second runway is not needed and will not be built.",
    "Young people will get free bus travel until they turn twenty-one.",
    "Our embassy in the south will reopen after five years.",
    "The forest fires were started deliberately, the inquiry found.",
    "Doctors trained abroad will be able to work here within a month.",
    "The national archive will put its maps online for everyone.",
    "Farm subsidies will go to those who plant hedges and trees.",
    "The space agency will launch its first satellite next autumn.",
    "Cigarettes will cost twice as much within three years.",
    "The language of the eastern minority will be taught in schools.",
    "Every new house must have a heat pump from next January.",
    "The fishing quota for cod will be cut by a fifth.",
    "A new university will be built in the poorest region of the country.",
    "Our orchestras will tour the neighbouring countries this summer.",
    "The speed limit on motorways will stay where it is.",
    "Mobile phones will be banned in classrooms from the new term.",
    "The city's trams will run all night at weekends.",
    "We will host the world athletics championships in four years.",
]
# ... and some said again in other words in other articles, as outlets report one remark.
RESTATED = {
    1: ["There will be no increase in fuel tax this year."],
    3: [
        "The last soldiers will leave the border area by June.",
        "By June the army's final troops will be gone.",
    ],
    8: ["I have never once met the businessman behind this scandal."],
    14: ["Whatever happens to the budget, pensions will keep up with inflation."],
    21: ["Supermarkets will not be allowed plastic bags from next year."],
    33: ["Cod quotas will be reduced by twenty percent."],
}
# One remark carried word for word by many outlets (a wire story): more copies than neighbours.
SYNDICATED = 11


def written_block() -> list[QuoteRef]:
    """The minister's quotes, one article each, and a spokesperson's few (another block)."""
    quotes = []

    def add(text: str, speaker: str = "e_minister") -> None:
        n = len(quotes)
        quotes.append(QuoteRef(f"q{n:03d}", f"a{n:03d}", speaker, "person", text))

    for remark in REMARKS:
        add(remark)
    for index, wordings in RESTATED.items():
        for text in wordings:
            add(text)
        add(REMARKS[index])  # and word for word again, in one more article
    for _ in range(60):
        add(REMARKS[SYNDICATED])
    add("The tunnel will be finished in October.", "e_spokesperson")
    add("The tunnel is due to be finished in October.", "e_spokesperson")
    add("Nobody was hurt in the fire.", "e_spokesperson")
    return quotes


def vectors_of(quotes: list[QuoteRef]) -> np.ndarray:
    return embed([q.text for q in quotes])


def partition(statement_of: dict[str, str]) -> list[tuple[str, ...]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for quote_id, statement in statement_of.items():
        groups[statement].append(quote_id)
    return sorted(tuple(sorted(ids)) for ids in groups.values())


@pytest.fixture(scope="module")
def block() -> tuple[list[QuoteRef], np.ndarray]:
    quotes = written_block()
    return quotes, vectors_of(quotes)


def test_a_large_block_is_bounded_yet_finds_the_same_statements(block):
    quotes, vectors = block
    distinct = {q.text for q in quotes if q.speaker_id == "e_minister"}
    every_pair = group_statements(quotes, vectors, neighbours=None)
    for neighbours in (4, 8, 64):
        assert partition(group_statements(quotes, vectors, neighbours=neighbours)) == partition(every_pair)
    # the bound did bound: far fewer pairs of texts than every pair
    firsts = {}
    for i, q in enumerate(quotes):
        if q.speaker_id == "e_minister":
            firsts.setdefault(q.text, i)
    x, _, _ = _candidate_texts(vectors[list(firsts.values())], 4)
    assert len(x) < len(distinct) * (len(distinct) + 1) // 2 / 3


def test_restatements_and_copies_are_one_statement_each(block):
    quotes, vectors = block
    statement_of = group_statements(quotes, vectors, neighbours=4)
    by_text: dict[str, set[str]] = defaultdict(set)
    for q in quotes:
        by_text[q.text].add(statement_of[q.id])
    # the wire remark's 61 copies, more than 4 neighbours, are one statement
    assert len(by_text[REMARKS[SYNDICATED]]) == 1
    for index, wordings in RESTATED.items():
        assert {s for text in wordings for s in by_text[text]} == by_text[REMARKS[index]], REMARKS[index]
    # remarks on other matters stay apart
    assert len({next(iter(by_text[r])) for r in REMARKS}) == len(REMARKS)
    tunnel = [statement_of[q.id] for q in quotes if q.speaker_id == "e_spokesperson"]
    assert tunnel[0] == tunnel[1] != tunnel[2]


def test_a_statement_never_takes_two_quotes_of_one_article():
    quotes = [
        QuoteRef("q1", "a1", "e_x", "person", "The bridge will open in the spring."),
        QuoteRef("q2", "a1", "e_x", "person", "The bridge will open in the spring."),
        QuoteRef("q3", "a2", "e_x", "person", "The bridge will open in the spring."),
    ]
    statement_of = group_statements(quotes, vectors_of(quotes), neighbours=1)
    assert statement_of["q1"] != statement_of["q2"]
    assert statement_of["q3"] in (statement_of["q1"], statement_of["q2"])


def test_only_blocks_whose_quotes_can_match_are_compared():
    quotes = [
        QuoteRef("q1", "a1", None, "person", "We will win."),  # no entity: never one statement
        QuoteRef("q2", "a2", None, "person", "We will win."),
        QuoteRef("q3", "a1", None, "document", "Prices rose by two percent."),
        QuoteRef("q4", "a2", None, "document", "Prices rose by two percent."),
        QuoteRef("q5", "a3", "e_y", "person", "Alone in its block."),
    ]
    assert comparable(quotes) == [2, 3]
    statement_of = group_statements(quotes, vectors_of(quotes))
    assert statement_of["q3"] == statement_of["q4"]
    assert statement_of["q1"] != statement_of["q2"]


def test_linking_asks_one_vector_per_distinct_text(block):
    quotes, vectors = block
    asked = []

    def vectors_of_texts(texts: list[str]) -> np.ndarray:
        asked.extend(texts)
        return embed(texts)

    statement_of = link_statements(quotes, vectors_of_texts)
    assert len(asked) == len(set(asked)) < len(quotes)
    assert partition(statement_of) == partition(group_statements(quotes, vectors, neighbours=None))


def test_each_text_is_a_candidate_of_its_nearest_texts():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    x, y, threshold = _candidate_texts(vectors, 5)
    pairs = set(zip(x.tolist(), y.tolist(), strict=True))
    similarity = vectors @ vectors.T
    for i in range(len(vectors)):
        assert (i, i) in pairs
        for j in np.argsort(-similarity[i])[1:6].tolist():
            assert (min(i, j), max(i, j)) in pairs
        # a text enters i's nearest only above its threshold: the sixth highest cosine, itself first
        assert threshold[i] == pytest.approx(np.sort(similarity[i])[-6], abs=1e-6)
    # found among more texts (outside), the pairs are of these texts only, the nearest among all
    inside, outside = vectors[:100], vectors[100:]
    x, y, threshold = _candidate_texts(inside, 5, outside)
    assert max(y.tolist()) < 100
    partners = defaultdict(set)
    for a, b in zip(x.tolist(), y.tolist(), strict=True):
        partners[a].add(b)
        partners[b].add(a)
    for i in range(100):
        nearest = np.argsort(-similarity[i])[:6].tolist()
        assert {j for j in nearest if j < 100} <= partners[i]
        assert threshold[i] == pytest.approx(similarity[i][nearest[-1]], abs=1e-6)
    assert len(pairs) <= 300 * 6
    every = _candidate_texts(vectors, None)
    assert len(every[0]) == 300 * 301 // 2


def test_linking_some_quotes_gives_what_linking_every_quote_gives_them(block):
    quotes, _ = block
    unmatched = [QuoteRef("q900", "a900", None, "person", "We will win."), QuoteRef("q901", "a901", None, "person", "We will win.")]  # fmt: skip
    everything = link_statements(quotes + unmatched, lambda texts: embed(texts))
    asked = []

    def vectors_of_texts(texts: list[str]) -> np.ndarray:
        asked.extend(texts)
        return embed(texts)

    # A new quote of the spokesperson and one with no speaker: their blocks alone are linked again.
    some = link_statements(quotes + unmatched, vectors_of_texts, only={quotes[-1].id, "q900"})
    spokesperson = {q.id for q in quotes if q.speaker_id == "e_spokesperson"}
    assert set(some) == spokesperson | {"q900"}
    assert all(some[q] == everything[q] for q in some)
    assert set(asked) <= {q.text for q in quotes if q.speaker_id == "e_spokesperson"}


# What groups said (no one entity: one block, joined only when nearly identical), one article each.
GROUP_REMARKS = [
    "The strike will go on until the wages are paid in full.",
    "The new stadium will be finished before the summer games.",
    "Flood defences along the coast failed in three places.",
    "Fuel prices will fall again next month.",
    "The vaccine is safe for children over five.",
]


@pytest.fixture
def linked(monkeypatch) -> list[set[str]]:
    """The ids of the quotes each call of group_statements is given, as linking calls it."""
    import storylens.understand.statements as statements

    calls: list[set[str]] = []
    real = statements.group_statements

    def spied(quotes, *args, **options):
        calls.append({q.id for q in quotes})
        return real(quotes, *args, **options)

    monkeypatch.setattr(statements, "group_statements", spied)
    return calls


def stored_group_quotes(store, quotes: list[tuple[str, str]]) -> None:
    """Quotes (article id, text) of a group speaker, written to the store with no statement."""
    for article_id, text in quotes:
        store.db.execute(
            "INSERT OR IGNORE INTO articles (id, source, title, paragraphs, words, ingested_at) "
            "VALUES (?, ?, ?, '[]', 0, '2024-01-01')",
            (article_id, f"{article_id}.txt", article_id),
        )
        store.db.execute(
            "INSERT INTO quotes (id, article_id, paragraph, start, end, text, direct, speaker_kind) "
            "VALUES (?, ?, 0, 0, 0, ?, 1, 'group')",
            (f"q_{article_id}", article_id, text),
        )


def link_pending(store) -> None:
    """What pipeline.link_store does once entities are resolved."""
    from storylens.pipeline import link_pending_statements

    link_pending_statements(store, store.quotes_to_link())


def test_a_new_far_quote_of_a_group_gets_its_own_statement_without_linking_the_block_again(tmp_path, linked):
    from storylens.store import open_store

    with open_store(tmp_path / "s.db") as store:
        stored_group_quotes(store, [(f"a{n}", text) for n, text in enumerate(GROUP_REMARKS)])
        stored_group_quotes(store, [("b0", GROUP_REMARKS[0])])  # the strike remark, reported twice
        link_pending(store)
        before = {q["id"]: q["statement_id"] for q in store.quote_rows()}
        assert before["q_a0"] == before["q_b0"] and len(set(before.values())) == 5

        # a remark on another matter: its own statement, and the block is not linked again
        linked.clear()
        stored_group_quotes(store, [("c0", "The museum will stay closed on Mondays in winter.")])
        link_pending(store)
        after = {q["id"]: q["statement_id"] for q in store.quote_rows()}
        assert linked == [{"q_c0"}]
        assert after == before | {"q_c0": after["q_c0"]} and after["q_c0"] not in before.values()
        every = link_statements(store.quote_refs(), lambda texts: embed(texts))
        assert partition(after) == partition(every)

        # the strike remark in other words (cosine 0.96): linked again with the quotes it reaches
        # (those of the strike remark, not the others) and joined to their statement
        linked.clear()
        stored_group_quotes(store, [("d0", "The strike will continue until the wages are paid in full.")])
        link_pending(store)
        last = {q["id"]: q["statement_id"] for q in store.quote_rows()}
        assert linked == [{"q_a0", "q_b0", "q_d0"}]
        assert last["q_d0"] == last["q_a0"] == before["q_a0"]
        assert partition(last) == partition(link_statements(store.quote_refs(), lambda texts: embed(texts)))


# New quotes of the minister: the harbour remark in other words, a remark on a matter never raised,
# and the syndicated remark once more (an old text in a new article).
NEW_REMARKS = [
    "The harbour is to be dredged so that bigger ships can dock there.",
    "The royal gardens will be open to the public on Sundays.",
    REMARKS[SYNDICATED],
]


def minister_quotes() -> list[QuoteRef]:
    return [
        QuoteRef(f"q_new{n}", f"a_new{n}", "e_minister", "person", text) for n, text in enumerate(NEW_REMARKS)
    ]


def test_new_quotes_of_a_resolved_speaker_link_again_only_the_texts_they_can_change(block, linked):
    quotes, _ = block
    before, kept = link_kept(quotes, embed, neighbours=4)
    assert kept["e_minister"].whole and len(kept["e_minister"].texts) == len({q.text for q in quotes[:-3]})
    linked.clear()

    stream = quotes + minister_quotes()
    some, again = link_kept(stream, embed, {q.id for q in stream[-3:]}, kept, neighbours=4)
    every, whole = link_kept(stream, embed, neighbours=4)
    minister = {q.id for q in stream if q.speaker_id == "e_minister"}
    # what is linked again: the new quotes and the quotes of the texts they reach, not the block
    assert set(some) == linked[0] and {q.id for q in stream[-3:]} <= set(some) < minister
    text_of = {q.id: q.text for q in stream}
    assert len({text_of[q] for q in some}) < len({text_of[q] for q in minister}) / 2
    assert {q for q in minister if text_of[q] == REMARKS[5]} <= set(some)  # the harbour, reached
    # ... and every quote's statement is what linking every quote gives
    assert all(some[q] == every[q] for q in some)
    assert all(before[q] == every[q] for q in minister - set(some))
    # what is kept of the block, the texts linked again put over the others, is what linking every
    # quote keeps: so the next round starts from the same place
    assert not again["e_minister"].whole
    merged = kept["e_minister"].texts | again["e_minister"].texts
    assert merged.keys() == whole["e_minister"].texts.keys()
    for key, text in whole["e_minister"].texts.items():
        assert merged[key].component == text.component
        assert merged[key].threshold == pytest.approx(text.threshold, abs=1e-6)


def test_a_speaker_whose_kept_quotes_are_not_its_quotes_is_linked_whole(block):
    quotes, _ = block
    _, kept = link_kept(quotes, embed, neighbours=4)
    # one of its quotes gone (its article taken out): the digest no longer fits, so linked whole
    stream = quotes[1:] + minister_quotes()
    some, again = link_kept(stream, embed, {q.id for q in stream[-3:]}, kept, neighbours=4)
    every, _ = link_kept(stream, embed, neighbours=4)
    assert again["e_minister"].whole
    assert {q.id for q in stream if q.speaker_id == "e_minister"} <= set(some)
    assert partition(some) == partition({q: every[q] for q in some})


def test_new_texts_link_again_the_old_texts_whose_pairs_they_change():
    # Texts of one speaker with the cosines below (others 0), each compared with its one nearest
    # text. x and y share most words (one statement at any cosine), a candidate pair only because
    # y is x's nearest: z, new, nearer x than y is, ends that, though it joins neither and x is
    # not z's own nearest (v is). u, new, shares most words with t, whose own nearest is s: the
    # pair (u, t) is a candidate only because t is u's nearest.
    texts = {
        "x": "alpha beta gamma delta",
        "y": "alpha beta gamma epsilon",
        "w": "harbour dredging ships",
        "v": "museum statues return",
        "z": "gardens public sundays",
        "t": "river bridge traffic spring",
        "s": "fuel tax year",
        "u": "river bridge traffic opens spring",
    }
    cosines = {("x", "y"): 0.3, ("x", "w"): 0.1, ("x", "z"): 0.4, ("y", "w"): 0.5, ("v", "z"): 0.5}
    cosines |= {("t", "s"): 0.5, ("t", "u"): 0.2}
    names = list(texts)
    gram = np.eye(len(names))
    for (a, b), cosine in cosines.items():
        gram[names.index(a), names.index(b)] = gram[names.index(b), names.index(a)] = cosine
    vector = dict(zip(texts.values(), np.linalg.cholesky(gram).astype(np.float32), strict=True))

    def vectors_of(asked: list[str]) -> np.ndarray:
        return np.array([vector[t] for t in asked])

    def quote(name: str) -> QuoteRef:
        return QuoteRef(f"q_{name}", f"a_{name}", "e_mayor", "person", texts[name])

    quotes = [quote(n) for n in "xywvts"]
    before, kept = link_kept(quotes, vectors_of, neighbours=1)
    assert before["q_x"] == before["q_y"]
    stream = [*quotes, quote("z"), quote("u")]
    some, _ = link_kept(stream, vectors_of, {"q_z", "q_u"}, kept, neighbours=1)
    every, _ = link_kept(stream, vectors_of, neighbours=1)
    assert every["q_x"] != every["q_y"] and every["q_u"] == every["q_t"]
    assert {"q_x", "q_y", "q_z", "q_t", "q_u"} <= set(some) and some == {q: every[q] for q in some}
    assert "q_w" not in some


def test_the_store_reads_only_the_blocks_of_the_quotes_to_link(tmp_path):
    from storylens.store import open_store
    from storylens.understand.statements import MATCHING_KINDS

    with open_store(tmp_path / "s.db") as store:
        stored_group_quotes(store, [("g1", GROUP_REMARKS[0]), ("g2", GROUP_REMARKS[1])])
        stored_group_quotes(store, [("m1", REMARKS[0]), ("m2", REMARKS[1]), ("p1", REMARKS[2])])
        stored_group_quotes(store, [("n1", REMARKS[3]), ("n2", REMARKS[4])])
        store.db.execute("UPDATE quotes SET speaker_id = 'e_minister' WHERE id IN ('q_m1', 'q_m2')")
        store.db.execute("UPDATE quotes SET speaker_id = 'e_mayor' WHERE id = 'q_p1'")
        store.db.execute("UPDATE quotes SET speaker_kind = 'person' WHERE id IN ('q_n1', 'q_n2')")

        def read(of: set[str]) -> set[str]:
            return {q.id for q in store.quote_refs(of, MATCHING_KINDS)}

        assert read({"q_m1"}) == {"q_m1", "q_m2"}  # its speaker's quotes
        assert read({"q_g1"}) == {"q_g1", "q_g2"}  # every quote of a group with no entity
        assert read({"q_n1"}) == {"q_n1"}  # a person with no entity: matched by nothing
        assert read({"q_m2", "q_n2"}) == {"q_m1", "q_m2", "q_n2"}
        assert [q.id for q in store.quote_refs({"q_m1", "q_g1"}, MATCHING_KINDS)] == sorted(
            {"q_m1", "q_m2", "q_g1", "q_g2"}
        )


def test_the_store_keeps_what_linking_keeps_and_reads_it_back(tmp_path, block):
    from storylens.store import open_store

    quotes, _ = block
    small = [QuoteRef("q_s1", "a_s1", "e_spokesperson", "person", "The tunnel will open in May.")]
    _, kept = link_kept(quotes + small, embed, neighbours=4)
    assert kept["e_spokesperson"].texts  # 4 texts, 4 nearest each: any text is among any's nearest
    assert all(t.threshold == -np.inf for t in kept["e_spokesperson"].texts.values())
    with open_store(tmp_path / "s.db") as store:
        store.set_statements({}, kept)
        assert store.kept_blocks({"e_minister", "e_spokesperson", "e_nobody"}) == kept
        # a block linked again in part keeps its other texts; linked whole, only what it gives
        minister = kept["e_minister"]
        first = next(iter(minister.texts))
        changed = KeptBlock("d2", {first: KeptText(0.5, "c")}, whole=False)
        store.set_statements({}, {"e_minister": changed})
        assert store.kept_blocks({"e_minister"})["e_minister"].texts == minister.texts | changed.texts
        store.set_statements({}, {"e_minister": KeptBlock("d3", {first: KeptText(0.5, "c")})})
        assert store.kept_blocks({"e_minister"})["e_minister"] == KeptBlock("d3", {first: KeptText(0.5, "c")})

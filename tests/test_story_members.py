"""What a story keeps of its members in memory: only what matching reads, and old stories packed,
with every clustering decision unchanged."""

from __future__ import annotations

import numpy as np
import pytest
from test_stories import SENTENCED, SHOT, UNRELATED, VICTIMS, beat, shooting

from storylens.link import stories as S
from storylens.link.members import Shelf, Shelved, kept, pack


def first_reports() -> list[S.Features]:
    return [shooting(f"e{k}", "2025-05-06", SHOT, v) for k, v in enumerate(VICTIMS)] + beat() + UNRELATED


def clusterer_of(stream: list[S.Features]) -> S.Clusterer:
    clusterer = S.Clusterer()
    for f in stream:
        clusterer.frequencies.count(f)
    for f in S.in_publication_order(stream):
        clusterer.add(f, counted=True)
    return clusterer


def same_signature(a: S.Signature, b: S.Signature) -> bool:
    arrays = [
        (a.vector, b.vector), (*a.terms, *b.terms)[::2], (*a.terms, *b.terms)[1::2],
        (*a.specifics, *b.specifics)[::2], (*a.specifics, *b.specifics)[1::2],
        (a.details, b.details), (a.rare, b.rare),
    ]  # fmt: skip
    same = all(x.dtype == y.dtype and np.array_equal(x, y) for x, y in arrays)
    return same and (a.day, a.not_after, a.source) == (b.day, b.not_after, b.source)


def test_a_member_is_kept_at_the_stores_precision_with_the_specifics_it_is_looked_up_by():
    frequencies = S.Frequencies()
    stream = first_reports()
    for f in stream:
        frequencies.count(f)
    signature = frequencies.signature(stream[0])
    member = kept(signature, S.RARE_SPECIFICS)
    assert member.vector.dtype == np.float16
    assert np.array_equal(member.vector.astype(np.float32), signature.vector)
    assert np.array_equal(member.terms[0], signature.terms[0]) and member.terms[0].dtype == np.int32
    assert np.array_equal(member.specifics[1], signature.specifics[1])
    assert S.rarest(member) == S.rarest(signature)
    assert len(signature.rare) > S.RARE_SPECIFICS >= len(member.rare)


def test_a_packed_story_gives_back_its_members_and_fits_an_article_exactly_as_before():
    clusterer = clusterer_of(first_reports())
    stories = list(clusterer.stories.values())
    sentence = clusterer.frequencies.signature(shooting("sentence", "2026-01-14", SENTENCED, VICTIMS[2]))
    held = [list(story.members) for story in stories]
    before = S.fits(sentence, stories)
    already = sum(story.packed is not None for story in stories)  # January's strike: packed in May
    assert clusterer.pack(S.day_number("2026-01-14")) == len(stories) - already > 0
    assert all(story.packed is not None and not story.held for story in stories)
    for story, members in zip(stories, held, strict=True):
        assert len(story.members) == len(members)
        assert all(same_signature(a, b) for a, b in zip(story.members, members, strict=True))
    assert np.array_equal(S.fits(sentence, stories), before)
    assert pack(held[0]).members()[0].day == held[0][0].day


def test_a_story_out_of_reach_is_packed_and_held_again_when_its_follow_up_joins():
    sentence = shooting("sentence", "2026-01-14", SENTENCED, VICTIMS[2])
    look_alike = shooting("other", "2025-06-30", SENTENCED, ("Marcus Bell", 44, 700))
    clusterer = S.Clusterer()
    for f in [*first_reports(), look_alike, sentence]:
        clusterer.frequencies.count(f)
    for f in [*S.in_publication_order(first_reports()), look_alike]:  # a day in June: the May
        clusterer.add(f, counted=True)  # stories are out of reach but of follow-ups
    story = next(s for s in clusterer.stories.values() if "e2" in s.article_ids)
    assert story.packed is not None and not story.held
    assert clusterer.add(sentence, counted=True) is story and story.packed is None
    assert story.article_ids == ["e2", "sentence"] and len(story.held) == 2


def test_packing_changes_no_story():
    stream = first_reports() + [
        shooting("died", "2025-05-08", SHOT, VICTIMS[1]),
        shooting("sentence", "2026-01-14", SENTENCED, VICTIMS[2]),
        shooting("other", "2026-01-14", SENTENCED, ("Marcus Bell", 44, 700)),
    ]
    packed = clusterer_of(stream)
    unpacked = S.Clusterer()
    unpacked.pack = lambda before_day: 0  # never packs
    for f in stream:
        unpacked.frequencies.count(f)
    for f in S.in_publication_order(stream):
        unpacked.add(f, counted=True)
    assert any(s.packed is not None for s in packed.stories.values())
    assert not any(s.packed is not None for s in unpacked.stories.values())
    partition = sorted((s.article_ids, s.similarity) for s in packed.stories.values())
    assert partition == sorted((s.article_ids, s.similarity) for s in unpacked.stories.values())


def test_a_shelved_story_reads_back_the_same_members_and_fits_an_article_as_before():
    clusterer = clusterer_of(first_reports())
    stories = list(clusterer.stories.values())
    sentence = clusterer.frequencies.signature(shooting("sentence", "2026-01-14", SENTENCED, VICTIMS[2]))
    clusterer.pack(S.day_number("2026-01-14"))
    before = S.fits(sentence, stories)
    members = [list(story.members) for story in stories]
    sums, titles = [story.vector_sum for story in stories], [story.title for story in stories]
    shelf = Shelf()
    for story in stories:
        story.packed, story.summed = shelf.put(story.packed, story.vector_sum), None
    assert all(isinstance(story.packed, Shelved) for story in stories) and shelf.end > 0
    assert all(np.array_equal(story.vector_sum, summed) for story, summed in zip(stories, sums, strict=True))
    assert [story.title for story in stories] == titles
    for story, kept_members in zip(stories, members, strict=True):
        assert len(story.packed) == len(kept_members) == len(story.members)
        assert all(same_signature(a, b) for a, b in zip(story.members, kept_members, strict=True))
    assert np.array_equal(S.fits(sentence, stories), before)
    reach = [S.beyond_reach(sentence, story, S.THRESHOLD) for story in stories]
    assert any(reach) and not all(reach)  # the sentence can follow up one story only
    stories[0].unpack()
    assert stories[0].packed is None and np.array_equal(stories[0].summed, sums[0])


def test_a_clusterer_with_a_shelf_makes_the_same_stories_and_holds_no_packed_member_in_memory():
    stream = first_reports() + [
        shooting("died", "2025-05-08", SHOT, VICTIMS[1]),
        shooting("other", "2025-06-30", SENTENCED, ("Marcus Bell", 44, 700)),
        shooting("sentence", "2026-01-14", SENTENCED, VICTIMS[2]),
    ]
    plain, shelved = S.Clusterer(), S.Clusterer(shelf=Shelf())
    for clusterer in (plain, shelved):
        for f in stream:
            clusterer.frequencies.count(f)
        for f in S.in_publication_order(stream):
            clusterer.add(f, counted=True)
    kept_away = [s for s in shelved.stories.values() if isinstance(s.packed, Shelved)]
    assert kept_away and all(s.summed is None and s.listing is None and s.own is None for s in kept_away)
    assert not any(isinstance(s.packed, Shelved) for s in plain.stories.values())
    twins = [plain.stories[s.id] for s in kept_away]  # the listing read back: the same values
    assert [s.listed() for s in kept_away] == [t.listing for t in twins]
    assert all(np.array_equal(S.core(s)[0], S.core(t)[0]) for s, t in zip(kept_away, twins, strict=True))
    assert all(s.own is None for s in kept_away)  # counted when asked for, not kept in memory
    partition = sorted((s.article_ids, s.similarity) for s in plain.stories.values())
    assert partition == sorted((s.article_ids, s.similarity) for s in shelved.stories.values())
    followed = next(s for s in shelved.stories.values() if "sentence" in s.article_ids)
    assert followed.article_ids == ["e2", "sentence"] and followed.packed is None  # read back to join
    twin = next(s for s in plain.stories.values() if "sentence" in s.article_ids)
    assert np.array_equal(followed.vector_sum, twin.vector_sum) and followed.title == twin.title


def test_a_shelf_refuses_a_packed_story_of_another_type():
    held = [kept(S.Frequencies().signature(f), S.RARE_SPECIFICS) for f in first_reports()[:2]]
    packed = pack(held)
    packed.term_weights = packed.term_weights.astype(np.float64)
    with pytest.raises(TypeError, match="term_weights"):
        Shelf().put(packed, np.zeros(S.DIMENSIONS, dtype=np.float32))
    packed.term_weights = packed.term_weights.astype(np.float32)
    with pytest.raises(TypeError, match="vector_sum is float64"):
        Shelf().put(packed, np.zeros(S.DIMENSIONS))

"""Stories beyond an article's reach are not compared with it: only those no content could bring
to the bar (every member too far in time, none it could follow up), so no decision changes."""

from __future__ import annotations

import numpy as np
from test_stories import ARREST, DIED, RETOLD, SENTENCED, SHOT, UNRELATED, VICTIMS, beat, shooting

from storylens.link import stories as S


def long_stream() -> list[S.Features]:
    """A beat in May, its follow-ups (a death two days on, an arrest six weeks on, a sentence eight
    months on) and, months later, look-alikes that repeat none of their details. (Each call draws
    new embeddings: build it once per comparison.)"""
    stream = [shooting(f"e{k}", "2025-05-06", SHOT, v) for k, v in enumerate(VICTIMS)]
    stream += [shooting(f"r{k}", "2025-05-07", RETOLD, v) for k, v in enumerate(VICTIMS[:3])]
    stream += [shooting("died", "2025-05-08", DIED, VICTIMS[2]), *beat(), *UNRELATED]
    stream += [shooting("arrest", "2025-06-16", ARREST, VICTIMS[1])]
    stream += [shooting("sentence", "2026-01-14", SENTENCED, VICTIMS[2])]
    stream += [
        shooting(f"late{k}", "2026-01-15", SHOT, ("Marcus Bell", 101 + k, 9100 + 100 * k)) for k in range(3)
    ]
    return S.in_publication_order(stream)


def counted(stream: list[S.Features], threshold: float = S.THRESHOLD) -> S.Clusterer:
    clusterer = S.Clusterer(threshold=threshold)
    for f in stream:
        clusterer.frequencies.count(f)
    return clusterer


def test_a_story_beyond_reach_is_one_the_article_cannot_fit_to_the_bar():
    stream = long_stream()
    for threshold in (0.05, S.THRESHOLD, 0.3):
        clusterer = counted(stream, threshold)
        beyond = within_far = 0
        for f in stream:
            signature = clusterer.frequencies.signature(f)
            stories = list(clusterer.stories.values())
            if stories:
                reach = np.array([not S.beyond_reach(signature, s, threshold) for s in stories])
                scores = S.fits(signature, stories)
                assert (scores[~reach] < threshold).all()
                beyond += int((~reach).sum())
                far = np.array([s.last_day < f.day - S.MAX_GAP_DAYS for s in stories])
                within_far += int((far & reach).sum())
            clusterer.add(f, counted=True)
        assert beyond > 0 and within_far > 0  # the sentence can still follow its story up


def test_nothing_is_beyond_reach_of_a_bar_a_far_storys_content_alone_could_clear():
    stream = long_stream()
    clusterer = counted(stream, threshold=0.0)
    for f in stream[:-1]:
        clusterer.add(f, counted=True)
    late = clusterer.frequencies.signature(stream[-1])
    assert not any(S.beyond_reach(late, s, 0.0) for s in clusterer.stories.values())
    assert any(S.beyond_reach(late, s, S.THRESHOLD) for s in clusterer.stories.values())


def test_skipping_the_stories_beyond_reach_changes_no_story(monkeypatch):
    stream = long_stream()

    def clustered() -> list[tuple[list[str], list[float]]]:
        clusterer = counted(stream)
        for f in stream:
            clusterer.add(f, counted=True)
        return sorted((s.article_ids, s.similarity) for s in clusterer.stories.values())

    skipping = clustered()
    monkeypatch.setattr(S, "beyond_reach", lambda article, story, threshold: False)
    assert clustered() == skipping
    assert any({"e2", "sentence"} <= set(ids) for ids, _ in skipping)  # a follow-up still joins
    lates = [ids for ids, _ in skipping if any(aid.startswith("late") for aid in ids)]
    assert all(aid.startswith("late") for ids in lates for aid in ids)  # no look-alike joins May

"""Rules of story clustering added for dense streams of look-alike events (rules version 6 on):
each written for its test, on fictional articles."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from test_stories import RETOLD, SHOT, UNRELATED, VICTIMS, beat, features, partition, shooting

from storylens.link import features as F
from storylens.link import pairs as P
from storylens.link import stories as S

# Two shootings a few hours apart in one neighbourhood, told in the same words by the same desk.
NEIGHBOURHOOD = (
    "{age}-year-old boy shot in Gage Park. A {age}-year-old boy was shot Sunday afternoon in the Gage "
    "Park neighborhood on the Southwest Side. He was {doing} in the {block} block of South {street} "
    "when someone {how} fired shots, Chicago police said. He was taken to {hospital} Hospital. "
    "Detectives are investigating."
)
FIRST = {"doing": "walking", "street": "Fairfield", "how": "in a passing car", "hospital": "Mount Sinai"}
OTHER = {"doing": "standing", "street": "Rockwell", "how": "on foot", "hospital": "Holy Cross"}


def told(aid: str, published: str, age: int, block: int, told: dict = FIRST) -> S.Features:
    text = NEIGHBOURHOOD.format(age=age, block=block, **told)
    return features(aid, "shooting", published, text, noise=0.1)


def look_alikes() -> list[S.Features]:
    return [
        told("first", "2025-05-04", 16, 5300),
        told("retold", "2025-05-05", 16, 5300),
        told("other", "2025-05-04", 17, 6100, OTHER),
    ]


def clustered(stream: list[S.Features], threshold: float) -> list[set[str]]:
    clusterer = S.Clusterer(threshold=threshold)
    for f in stream:
        clusterer.frequencies.count(f)
    for f in S.in_publication_order(stream):
        clusterer.add(f, counted=True)
    return [set(p) for p in partition(list(clusterer.stories.values()))]


def test_two_victims_of_different_ages_at_different_blocks_are_two_events(monkeypatch):
    # A bar this written neighbourhood's look-alikes clear together only without the rule (in
    # real coverage they score near the default bar; here the fictional desk's words are rarer).
    stream = look_alikes() + beat() + UNRELATED
    frequencies = S.Frequencies()
    for f in stream:
        frequencies.count(f)
    first, retold, other = (frequencies.signature(f) for f in stream[:3])
    charged = S.pair_score(first, other)
    bar = charged + P.CONFLICT_COST / 2
    assert S.pair_score(first, retold) > bar
    found = clustered(stream, bar)
    assert {"first", "retold"} in found and {"other"} in found
    monkeypatch.setattr(P, "CONFLICT_COST", 0.0)  # without the rule, the same words tie them
    assert S.pair_score(first, other) > bar
    assert any({"first", "other"} <= p for p in clustered(stream, bar))


def test_a_contradiction_is_charged_only_when_no_age_and_no_address_is_shared():
    frequencies = S.Frequencies()
    stream = look_alikes() + [told("same-block", "2025-05-04", 17, 5300)] + beat() + UNRELATED
    for f in stream:
        frequencies.count(f)
    first, retold, other, same_block = (frequencies.signature(f) for f in stream[:4])
    assert other.contradicts(first) and first.contradicts(other)
    assert not retold.contradicts(first)  # the same age and block
    assert not same_block.contradicts(first)  # another age, but the same block: one event, two ages told
    undetailed = frequencies.signature(features("plain", "shooting", "2025-05-04", "Gage Park shooting."))
    assert not undetailed.contradicts(first)  # nothing to contradict


def test_the_contradiction_is_the_same_in_the_clusterer_and_the_spark_engines_pair_scores():
    items = look_alikes() + [told("same-block", "2025-05-04", 17, 5300)] + beat()[:4] + UNRELATED[:2]
    assert_engines_agree(items, charge="contradicts")


# One desk's reports of two shootings days apart (rules version 7): the masthead, the county, the
# hospital and the template are the desk's, not the event's; the victims, days and streets differ.
DESK = (
    "{title} - Harrowgate News 9 Kestrel County Weather and Sports. {who} was shot {day} night in "
    "Harrowgate, Kestrel County deputies said. {detail} He was taken to Saint Brannock Medical "
    "Center. Harrowgate News 9 will update this story. Copyright Harrowgate Broadcasting Group."
)
SHOOTINGS = {
    "first": ("2025-06-04", "Man shot on Quillon Road", "Ravi Osterfeld", "Tuesday", "He was 24."),
    "retold": ("2025-06-05", "Quillon Road victim named", "Ravi Osterfeld", "Tuesday", "He was 24."),
    "other": ("2025-06-07", "Man wounded near Tallis Mill", "Corwin Abbey", "Friday", "A car fled."),
}


def desk(aid: str, outlet: str | None = "news.harrowgate9.example") -> S.Features:
    published, title, who, day, detail = SHOOTINGS[aid]
    text = DESK.format(title=title, who=who, day=day, detail=detail)
    return replace(features(aid, "shooting", published, text, noise=0.1, title=title), outlet=outlet)


def desk_stream(other_outlet: str | None = "news.harrowgate9.example") -> list[S.Features]:
    return [desk("first"), desk("retold"), desk("other", other_outlet)] + beat() + UNRELATED


def one_outlet_bar(stream, outlet_elsewhere: str):
    """The stream's first report, its retelling and a third report, all of one outlet: the first
    and the third are that outlet's alone (the retelling repeats what ties them), charged
    SAME_OUTLET_COST exactly (told by another outlet they are not); the retelling clears a bar
    halfway above that charge. Returns the bar and the first and third signatures."""
    frequencies = S.Frequencies()
    for f in stream:
        frequencies.count(f)
    first, retold, third = (frequencies.signature(f) for f in stream[:3])
    assert first.outlet_alone(third) and not first.outlet_alone(retold)
    elsewhere = frequencies.signature(replace(stream[2], outlet=outlet_elsewhere))
    assert not first.outlet_alone(elsewhere)
    charged = S.pair_score(first, third)
    assert abs(S.pair_score(first, elsewhere) - charged - P.SAME_OUTLET_COST) < 1e-6
    bar = charged + P.SAME_OUTLET_COST / 2
    assert S.pair_score(first, retold) > bar
    return bar, first, third


def test_one_outlets_reports_of_two_events_are_charged_unless_they_share_a_day_age_or_address(monkeypatch):
    stream = desk_stream()
    bar, _, _ = one_outlet_bar(stream, "kestreltimes.example")  # the retelling repeats the day
    found = clustered(stream, bar)
    assert {"first", "retold"} in found and {"other"} in found
    # Told by another outlet in the same words, the same pair clears that bar: only the outlet's
    # own words tied them.
    assert any({"first", "other"} <= p for p in clustered(desk_stream("kestreltimes.example"), bar))
    monkeypatch.setattr(P, "SAME_OUTLET_COST", 0.0)
    assert any({"first", "other"} <= p for p in clustered(stream, bar))


def test_an_outlet_is_its_domain_so_a_publishers_local_sites_are_one():
    assert P.source_of("chicago.wirenet.example") == P.source_of("Miami.WireNet.example") != 0
    assert P.source_of("chicago.wirenet.example") != P.source_of("wirenet2.example")
    assert P.source_of(None) == P.source_of("") == 0
    a, b = desk("first", None), desk("other", None)
    frequencies = S.Frequencies()
    assert not frequencies.signature(a).outlet_alone(frequencies.signature(b))  # unknown: no charge


def test_the_outlet_charge_is_the_same_in_the_clusterer_and_the_spark_engines_pair_scores():
    items = desk_stream()[:3] + [desk("other", "kestreltimes.example")] + look_alikes() + beat()[:4]
    items = [replace(f, outlet=f.outlet or "metro.kestreltimes.example") for f in items] + UNRELATED[:2]
    assert_engines_agree(items, charge="outlet_alone")


def test_an_article_naming_core_gate_of_a_storys_own_specifics_counts_in_full_and_less_in_proportion(
    monkeypatch,
):
    # A family's account of one victim, naming many people of its own: it names a smaller share of
    # the story's own specifics (its core) than the police reports name of each other's.
    relatives = ("Loretta Vance", "Pastor Elgin Moss", "Coach Rafe Dunmore", "Sister Ines Calloway")
    text = (
        "Family mourns West Side shooting victim. Keyon Marsh, 19, was wounded Tuesday in the 2500 "
        "block of West Madison Avenue. " + " ".join(f"Relatives said {x} stood by them." for x in relatives)
    )
    stream = [shooting("e", "2025-05-06", SHOT, VICTIMS[2]), shooting("r", "2025-05-07", RETOLD, VICTIMS[2])]
    stream += beat() + UNRELATED
    late = features("late", "shooting", "2025-05-08", text, noise=0.1)
    clusterer = S.Clusterer()
    for f in [*stream, late]:
        clusterer.frequencies.count(f)
    for f in S.in_publication_order(stream):
        clusterer.add(f, counted=True)
    story = next(s for s in clusterer.stories.values() if "e" in s.article_ids)
    article = clusterer.frequencies.signature(late)
    named = float(P.dots(article.specifics, [S.core(story)])[0])
    unscaled = float(S.scores_with(article, story.members).mean())
    assert 0 < named < 1 and unscaled > 0
    monkeypatch.setattr(S, "CORE_GATE", named)  # names just the gate: counted in full
    assert abs(S.fit(article, story) - unscaled) < 1e-6
    monkeypatch.setattr(S, "CORE_GATE", 2 * named)  # names half of it: half the fit
    assert abs(S.fit(article, story) - unscaled / 2) < 1e-6


def assert_engines_agree(items, charge: str) -> None:
    """Every pair's score is the same by the clusterer's pairs, the Spark engine's arrays and one
    article against many; the charge named applies to some pairs, not all."""
    frequencies = S.Frequencies()
    for f in items:
        frequencies.count(f)
    pairs = [(i, j) for i in range(len(items)) for j in range(i + 1, len(items))]
    expected = np.array(S.pair_scores(items, pairs, frequencies))
    first, second = np.array([i for i, _ in pairs]), np.array([j for _, j in pairs])
    assert np.allclose(S.dated_pair_scores(items, first, second, frequencies), expected, atol=1e-6)
    signatures = [frequencies.signature(f) for f in items]
    at_once = [S.scores_with(signatures[i], signatures[i + 1 :]) for i in range(len(items) - 1)]
    assert np.allclose(np.concatenate(at_once), expected, atol=1e-6)
    charged = [k for k, (i, j) in enumerate(pairs) if getattr(signatures[i], charge)(signatures[j])]
    assert charged and len(charged) < len(pairs)


# Two archived pages of one publisher's papers (rules version 8): each kept the sign-up box of its
# reporter instead of its article; the headlines name two events in two towns.
SIGN_UP = (
    "Close Get email notifications on {reporter} daily! Your notification has been saved. Whenever "
    "{reporter} posts new content, you will get an email delivered to your inbox. Follow the Drummond "
    "Valley Courier Network on Facebook."
)
TOWNS = {
    "quarry": ("2025-08-16", "Child hurt at Pellworth quarry range", "Ansel Brightwater", "Pellworth",
               "Tobiah Renfrew, 8, was hurt by a gunshot at the quarry range in Pellworth on Saturday"),
    "lake": ("2025-08-18", "Boy dies at Marrowick lake cabin", "Ilse Fennimore", "Marrowick",
             "Caspian Holloway, 11, died of a gunshot at a lake cabin in Marrowick on Sunday"),
}  # fmt: skip


def sign_up_page(event: str) -> S.Features:
    published, headline, reporter, _, _ = TOWNS[event]
    body = SIGN_UP.format(reporter=reporter)
    return features(f"{event}-page", "shooting", published, "x", noise=0.1, title=headline, body=body)


def town_report(event: str, k: int) -> S.Features:
    published, _, _, town, told = TOWNS[event]
    text = f"Shooting in {town}. {told}, deputies said."
    return features(f"{event}{k}", "shooting", published, text, noise=0.1)


def test_a_body_naming_none_of_its_headlines_words_tells_another_story():
    assert F.tells_another_story(
        "Boy dies at Marrowick lake cabin", [SIGN_UP.format(reporter="Ilse Fennimore")]
    )
    assert not F.tells_another_story("Boy dies at Marrowick lake cabin", ["The boy died at the cabin."])
    assert not F.tells_another_story("Hit", ["A form."])  # no headline word long enough to judge by
    page = sign_up_page("lake")
    assert not {"n:get", "n:drummond", "n:courier"} & page.specifics  # the form's words are left out
    assert {"n:boy", "n:marrowick"} <= page.specifics  # the headline's are kept


def test_two_pages_that_kept_one_template_instead_of_their_articles_stay_apart(monkeypatch):
    # The quarry's page is the only report of its event; the lake's page has two of its own.
    stream = [town_report("lake", k) for k in range(2)] + [sign_up_page(e) for e in TOWNS]
    found = clustered(stream + beat() + UNRELATED, S.THRESHOLD)
    assert {"lake0", "lake1", "lake-page"} in found and {"quarry-page"} in found
    monkeypatch.setattr(F, "tells_another_story", lambda title, paragraphs: False)
    stream[2:] = [sign_up_page(e) for e in TOWNS]  # read again without the rule: the template ties them
    assert any({"quarry-page", "lake-page"} <= p for p in clustered(stream + beat() + UNRELATED, S.THRESHOLD))


def one_desk(outlet_of_twin: str = "metro.gagepark.example") -> list[S.Features]:
    """One desk's two shootings of a 16-year-old on one day, at two blocks, and its retelling of the
    first (rules version 8)."""
    items = [
        told("first", "2025-05-04", 16, 5300),
        told("retold", "2025-05-05", 16, 5300),
        replace(told("twin", "2025-05-04", 16, 6100, OTHER), outlet=outlet_of_twin),
    ]
    return [replace(f, outlet=f.outlet or "metro.gagepark.example") for f in items]


def test_one_outlets_reports_naming_two_addresses_are_charged_though_they_share_a_day_and_an_age():
    stream = one_desk() + beat() + UNRELATED
    bar, first, twin = one_outlet_bar(stream, "gagepark-times.example")  # the retelling repeats the block
    assert first.shares_details(twin) and not first.contradicts(twin)  # the day and the age
    found = clustered(stream, bar)
    assert {"first", "retold"} in found and {"twin"} in found
    # Told by another outlet in the same words, the twin clears that bar with the first report.
    other_desk = one_desk("gagepark-times.example") + beat() + UNRELATED
    assert any({"first", "twin"} <= p for p in clustered(other_desk, bar))


def test_the_address_charge_is_the_same_in_the_clusterer_and_the_spark_engines_pair_scores():
    items = one_desk() + [replace(one_desk()[2], article_id="twin2", outlet="gagepark-times.example")]
    items += [replace(f, outlet="metro.gagepark.example") for f in beat()[:4]] + UNRELATED[:2]
    assert_engines_agree(items, charge="outlet_alone")

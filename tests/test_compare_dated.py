"""The summary names the day a weekday stands for: "was shot Saturday [May 2]". Read weeks later
beside reports of several days, a weekday alone no longer says which day. The texts are written
for the tests."""

from __future__ import annotations

from storylens.compare.claims import Claim
from storylens.compare.dated import with_days, without_days


def claim(text: str, published: str | None = "2026-05-04", dates=()) -> Claim:  # 2026-05-04: a Monday
    return Claim("a1", "Ashby Post", published, 0, text, frozenset(), frozenset(), dates=frozenset(dates))


def test_a_weekday_is_the_last_one_on_or_before_the_day_the_article_came_out():
    text = "Jordan Vale was shot near Quay Street on Saturday, police said."
    assert (
        with_days(text, claim(text))
        == "Jordan Vale was shot near Quay Street on Saturday [May 2], police said."
    )
    text = "Police said on Monday that the gunman had fled."
    assert with_days(text, claim(text)) == "Police said on Monday [May 4] that the gunman had fled."


def test_a_weekday_looked_ahead_to_is_the_next_one_or_that_very_day():
    text = "Jordan Vale is scheduled to appear in court Wednesday."
    assert with_days(text, claim(text)) == "Jordan Vale is scheduled to appear in court Wednesday [May 6]."
    text = "Jordan Vale is scheduled to appear in court Monday."  # on a Monday: that very day
    assert with_days(text, claim(text)) == "Jordan Vale is scheduled to appear in court Monday [May 4]."
    text = "Jordan Vale will appear in court next Monday."  # ...but "next Monday" is a week on
    assert with_days(text, claim(text)) == "Jordan Vale will appear in court next Monday [May 11]."
    text = "The harbour bill comes to a vote Thursday."  # the parse read it ahead: the claim's day wins
    assert with_days(text, claim(text, dates={"come|2026-05-07"})) == (
        "The harbour bill comes to a vote Thursday [May 7]."
    )


def test_a_weekday_still_to_come_after_wont_or_after_another_day_it_follows():
    text = "Police said he won't get his keys back until Thursday."
    assert with_days(text, claim(text)) == "Police said he won't get his keys back until Thursday [May 7]."
    text = "A vigil is planned for 6 p.m. Wednesday at the harbour."  # the parse hangs it on "p.m."
    assert with_days(text, claim(text)) == "A vigil is planned for 6 p.m. Wednesday [May 6] at the harbour."
    # The parse hung Thursday on "released": the Thursday after that Tuesday all the same.
    text = "The letter was released Tuesday in advance of Mara Quill's visit there on Thursday."
    assert with_days(text, claim(text, published="2026-05-05", dates={"release|2026-04-30"})) == (
        "The letter was released Tuesday [May 5] in advance of Mara Quill's visit there on Thursday [May 7]."
    )
    text = "The letter was released Tuesday, and Mara Quill visited there on Thursday."  # no "in advance of"
    assert with_days(text, claim(text, published="2026-05-05")) == (
        "The letter was released Tuesday [May 5], and Mara Quill visited there on Thursday [April 30]."
    )


def test_the_part_of_the_day_stays_with_its_weekday_and_another_year_is_written():
    text = "The fire broke out early Wednesday morning at the mill."
    assert (
        with_days(text, claim(text)) == "The fire broke out early Wednesday morning [April 29] at the mill."
    )
    text = "Two men were hurt on Wednesday night."
    assert (
        with_days(text, claim(text, published="2026-01-02"))
        == "Two men were hurt on Wednesday night [Dec. 31, 2025]."
    )


def test_a_possessive_weekday_keeps_its_ending_before_the_day():
    text = "The mayor spoke of Saturday’s shooting and Monday night's vigil."
    told = with_days(text, claim(text))
    assert told == "The mayor spoke of Saturday’s [May 2] shooting and Monday night's [May 4] vigil."
    assert without_days(told) == text


def test_no_day_is_named_where_it_is_written_quoted_unsure_or_undated():
    written = "Jordan Vale was shot on Saturday, May 2, near Quay Street."
    assert with_days(written, claim(written)) == written
    quoted = 'Mara Quill said: "We were all at the bakery on Saturday."'
    assert with_days(quoted, claim(quoted)) == quoted
    two = "The council met Monday and again the next Monday."
    assert with_days(two, claim(two, dates={"meet|2026-05-04", "meet|2026-05-11"})) == two
    undated = "Jordan Vale was shot on Saturday."
    assert with_days(undated, claim(undated, published=None)) == undated
    # six days before the article's Monday: more often the day after it, on a page updated since
    far = "A spokesman said on Tuesday that the pier would reopen."
    assert with_days(far, claim(far)) == far
    near = "A spokesman said on Wednesday that the pier would reopen."  # five days back
    assert (
        with_days(near, claim(near)) == "A spokesman said on Wednesday [April 29] that the pier would reopen."
    )


def test_the_days_named_come_out_again_as_the_claim_wrote_them():
    text = "The fire broke out early Wednesday morning at the mill on Saturday [sic]."
    told = with_days(text, claim(text))
    assert told != text and without_days(told) == text


def test_the_lists_name_the_day_by_the_claim_of_the_fact_they_show():
    from storylens.compare.dated import dated_item, dated_items
    from storylens.compare.facts import Fact

    first = claim("Jordan Vale was shot near Quay Street on Saturday, police said.")
    later = Claim(
        "a2", "Ashby Post", "2026-05-08", 1, "Jordan Vale was charged on Thursday.", frozenset(), frozenset()
    )
    fact = Fact("f1", [first], first.text)
    assert (
        dated_item(first.text, fact)
        == "Jordan Vale was shot near Quay Street on Saturday [May 2], police said."
    )
    # an item showing a follow-up's sentence is dated by that report's day, not the first's
    both = Fact("f2", [first, later], later.text)
    assert dated_item(later.text, both) == "Jordan Vale was charged on Thursday [May 7]."
    # a list and its evidence keep one text, so each item still finds its evidence
    items = {"Ashby Post": [first.text, "No weekday here at all, police said."]}
    evidence = {"Ashby Post": [{"fact_id": "f1", "text": first.text}]}
    dated, told = dated_items(items, evidence, [fact])
    assert dated["Ashby Post"][0] == told["Ashby Post"][0]["text"]
    assert dated["Ashby Post"][0].endswith("Saturday [May 2], police said.")
    assert dated["Ashby Post"][1] == "No weekday here at all, police said."
    assert without_days(dated["Ashby Post"][0]) == first.text

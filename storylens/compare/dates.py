"""The days a claim's dates name: "May 19", "19 May" and weekdays, with the verb they hang on,
resolved against the article's publication day."""

from __future__ import annotations

import re
from datetime import date

from storylens.clean.dates import MONTHS

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:\s*,?\s+(\d{4}))?"
MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b{_YEAR}", re.I)
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b\.?{_YEAR}", re.I)
WEEKDAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.I)
NEXT = re.compile(r"\bnext\b", re.I)


def days_named(tokens, published: str | None) -> frozenset[str]:
    """What happened on which day, as "verb|YYYY-MM-DD": each date the claim names, with the lemma
    of the verb it hangs on ("began on Monday" -> "begin|2025-05-19"). Days are "March 3" or
    "3 March" (of the publication's year, or the one before for a month still to come) and
    weekdays (the last one on or before the publication day, as news writes of what happened;
    the next one, or that day itself, when the verb says what will happen, "will resume on
    Friday" (looks_ahead()), or the date says "next"). Vague dates ("last week", "in recent
    years"), dates that hang on no verb ("Thursday's report"), a bare date right after a noun,
    which the parse may hang on the wrong word ("disputed the report Thursday") and any date of an
    undated article name none."""
    return days_of(date_phrases(tokens), published)


def date_phrases(tokens) -> list[tuple[str, str, bool]]:
    """(verb, the date as written, whether the verb looks ahead) of each date that hangs on a
    verb: what days_of() turns into days once the publication day is known. A date after "since"
    is a beginning: its verb is written "lead since" (SINCE)."""
    found = []
    for span in _date_spans(tokens):
        head = _verb_of(span)
        if head is None or _after_a_noun(span):
            continue
        ahead = any(t.lower_ == "next" for t in span) or looks_ahead(head)
        verb = head.lemma_.lower() + (SINCE if _since(span) else "")
        found.append((verb, " ".join(t.text for t in span), ahead))
    return found


# What a verb says is still to come, by the auxiliary's lemma: "will resume", "'ll resume", "won't be
# able to" ("wo"), "should not move forward" (not "should have").
AHEAD_AUX = ("will", "'ll", "shall", "should")
# A present "is scheduled for Monday", "is due", or what it governs: "is expected to appear", "are to
# be arraigned", "plans to meet" (a past "was set to go on trial" may tell what has happened since).
SCHEDULED = ("schedule", "set", "due", "expect", "slate", "plan")
PRESENT = ("VBZ", "VBP")


def looks_ahead(verb) -> bool:
    """Whether the verb a date hangs on tells what is still to come at the article's writing: a
    future or "should" auxiliary, a present "scheduled"/"expected"/"due"/"plans", or an infinitive
    such a present verb governs ("is expected to appear in court Monday")."""
    for completed in _completing(verb):
        helpers = [c for c in completed.children if c.dep_ in ("aux", "auxpass")]
        lemmas = {a.lemma_.lower().replace("’", "'") for a in helpers}  # "They’ll"
        if lemmas & set(AHEAD_AUX) and all(a.lower_ != "have" for a in helpers):
            return True
    auxiliaries = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.lemma_.lower() in SCHEDULED and _present(verb):
        return True
    governor = verb.head
    return (
        "to" in auxiliaries and verb.dep_ in ("xcomp", "acl") and governor is not verb and _present(governor)
    )


def _completing(verb) -> list:
    """The verb and the words it completes, whose auxiliary is its own: "won't be able to get them
    back until Monday" (get, able, be)."""
    found = [verb]
    while found[-1].dep_ in ("xcomp", "acomp") and found[-1].head is not found[-1] and len(found) < 4:
        found.append(found[-1].head)
    return found


def _present(verb) -> bool:
    """Whether a verb is in the present: its own tag, or its auxiliary's ("is scheduled")."""
    return verb.tag_ in PRESENT or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in PRESENT for c in verb.children
    )


# A time "since" a date is when something began, not when it happened: "has led the board since
# 2009" is kept under "lead since", so it meets only another beginning ("since 2011"), never "led
# the board in 2012", which may be one time with it.
SINCE = " since"


def _since(span: list) -> bool:
    """Whether the date is the object of "since" ("since 2009", "ever since May")."""
    inside = {t.i for t in span}
    return any(t.head.lower_ == "since" and t.head.i not in inside for t in span)


def publication_day(published: str | None) -> date | None:
    """The day an ISO publication date names, or None (undated, or not a date)."""
    try:
        return date.fromisoformat((published or "")[:10])
    except ValueError:
        return None


def days_of(phrases: list[tuple[str, str, bool]], published: str | None) -> frozenset[str]:
    """The days that date_phrases() name, resolved against the publication day (see days_named)."""
    from datetime import timedelta

    base = publication_day(published)
    if base is None:
        return frozenset()
    found: set[str] = set()
    for verb, text, ahead in phrases:
        days = []
        for month_name, day, year in [(m, d, y) for m, d, y in MONTH_DAY.findall(text)] + [
            (m, d, y) for d, m, y in DAY_MONTH.findall(text)
        ]:
            month = MONTHS[month_name.lower()]
            when = int(year) if year else base.year - (1 if month > base.month + 1 else 0)
            try:
                days.append(date(when, month, int(day)))
            except ValueError:
                continue
        for name in WEEKDAY.findall(text):
            target = WEEKDAYS.index(name.lower())
            if ahead:  # the same weekday is that very day, unless "next" ("next Monday")
                later = (target - base.weekday()) % 7 or (7 if NEXT.search(text) else 0)
                days.append(base + timedelta(days=later))
            else:
                days.append(base - timedelta(days=(base.weekday() - target) % 7))
        found.update(f"{verb}|{day.isoformat()}" for day in days)
    return frozenset(found)


def _date_spans(tokens) -> list[list]:
    """Runs of consecutive DATE tokens (with the commas inside them: "May 19, 2025")."""
    spans: list[list] = []
    for token in tokens:
        inside = token.ent_type_ == "DATE"
        if inside and token.ent_iob_ != "B" and spans and spans[-1][-1].i == token.i - 1:
            spans[-1].append(token)
        elif inside:
            spans.append([token])
    return spans


def _verb_of(span: list):
    """The verb a date hangs on, through prepositions ("on", "since"); None when it hangs on a
    noun ("Thursday's report", "the May 3 vote"). A preposition is what the parse attaches as
    one: the small model tags "since" a subordinating conjunction even when it attaches it as a
    preposition ("has led the board since 2009")."""
    inside = {t.i for t in span}
    root = next((t for t in span if t.head.i not in inside or t.head is t), span[0])
    head = root.head
    if head.pos_ == "ADP" or (head.dep_ == "prep" and head is not root):
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") and head is not root else None


def _after_a_noun(span: list) -> bool:
    """A date with no preposition right after a noun ("the report Thursday")."""
    first = span[0]
    if first.i == 0:
        return False
    before = first.doc[first.i - 1]
    return before.pos_ in ("NOUN", "PROPN") and first.head.pos_ != "ADP"


MONTH = re.compile(rf"\b({_MONTH})\b", re.I)
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
RELATIVE_YEAR = re.compile(r"\b(this|last|next) year\b", re.I)
RELATIVE = {"this": 0, "last": -1, "next": 1}


def periods_of(phrases: list[tuple[str, str, bool]], published: str | None) -> frozenset[str]:
    """When the claim's dates (date_phrases) say what happened, as "verb|YYYY", "verb|YYYY-MM" or
    "verb|YYYY-MM-DD", as finely as each is written: the days of days_of(); else a month ("in
    mid May", of the year written with it, or "--05", of no known year); else the years
    written ("in 2017", "between 2009 and 2016") or said against the publication's ("this
    year", "last year"). Vague dates ("this week", "recently") say none."""
    base = publication_day(published)
    if base is None:
        return frozenset()
    found = set(days_of(phrases, published))
    for verb, text, _ in phrases:
        if MONTH_DAY.search(text) or DAY_MONTH.search(text) or WEEKDAY.search(text):
            continue  # a day, found above
        years = [int(y) for y in YEAR.findall(text)]
        years += [base.year + RELATIVE[w.lower()] for w in RELATIVE_YEAR.findall(text)]
        months = [MONTHS[m.lower()] for m in MONTH.findall(text)]
        if months:  # a month with no year written is of no known year: "--MM" (ISO 8601)
            when = str(years[0]) if years else "-"
            found.update(f"{verb}|{when}-{month:02d}" for month in months)
        else:
            found.update(f"{verb}|{year}" for year in years)
    return frozenset(found)


def same_period(a: str, b: str) -> bool:
    """Whether two periods (periods_of) may be one time: one holds the other ("2017",
    "2017-05"); a month of no known year ("--05") is any May."""
    if a.startswith("--") or b.startswith("--"):
        month_a, month_b = a[2:4] if a.startswith("--") else a[5:7], b[2:4] if b.startswith("--") else b[5:7]
        return not month_a or not month_b or month_a == month_b
    return a.startswith(b) or b.startswith(a)

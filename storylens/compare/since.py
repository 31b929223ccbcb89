"""Changes a story's later reports tell: an arrest made after an article said none had been ("No
arrests have been made so far." on Monday; "A 16-year-old has been charged in the shooting." on
Thursday), and a death after an article told of no death, only the hurt ("remained in critical
condition" on Friday; "died from his injuries" on Sunday). Each is listed among the story's
disagreements, told on different days: a change."""

from __future__ import annotations

import re

from storylens.compare.ages import CHILD
from storylens.compare.claims import QUOTE_MARKS, Claim
from storylens.compare.polarity import polarity_words

ARREST_SINCE, DEATH_SINCE = "an arrest since", "a death since"
ARRESTS = "arrests?|arrested|charges|charged|custody|indicted"
# No one arrested, whoever it may be: "No arrests have been made", "No one is in custody", "No charges
# were filed", "Police have not made any arrests", "There haven't been any arrests", "police do not
# have anyone in custody", "Police haven't arrested anyone".
NO_ONE = re.compile(
    rf"\b(?:no (?:one|suspects?|arrests?|charges)|nobody|none)\b(?:[ ,]+[\w’'-]+){{0,4}}?[ ,]+(?:{ARRESTS})\b"
    r"|\bno (?:arrests?|charges)\b|(?:\bnot\b|n[’']t\b)[^.;]{0,30}?\bany (?:arrests?|charges)\b"
    r"|(?:\bnot\b|n[’']t\b)[^.;]{0,20}?\b(?:(?:arrested|charged) (?:anyone|anybody)"
    r"|(?:anyone|anybody) in custody)\b",
    re.I,
)
# Someone not arrested or charged: "Rhys Tamm has not been charged", "is not facing charges".
NOT_HIM = re.compile(
    r"(?:\bnot\b|n[’']t\b)(?:[ ,]+[\w’'-]+){0,3}?[ ,]+(?:arrested|charged|charges|custody)\b", re.I
)
# A suspect still sought: "Police are looking for a man who fled", "The gunman remains at large".
SOUGHT = re.compile(
    r"\b(?:looking|searching|hunting|seeking)(?: for)? (?:a |an |the |two |three |several )?(?:[\w-]+ ){0,2}?"
    r"(?:suspects?|gunm[ae]n|shooters?|man|men|woman|driver|person|people|teens?|teenagers?|(him|them))\b"
    r"|\b(?:remains?|still|is|are) (?:at large|on the run)\b",
    re.I,
)
# Sought as a witness, not a suspect: "a man they believe has information", "want to speak with".
WITNESS = re.compile(r"\b(?:ha(?:s|ve|d) information|witness(?:es)?|(?:speak|talk) (?:with|to))\b", re.I)
# Who searches for "him" or "them" must be named: "Police were still searching for him", not "these
# people were looking for him" (the gunmen, for their victim).
POLICE = re.compile(
    r"\b(?:police|officers?|deput(?:y|ies)|investigators?|detectives?|authorities|agents?|troopers?|marshals?"
    r"|sheriff(?:'s|’s)?|FBI)\b",
    re.I,
)
# Charged and not held: "charged two men who are still on the run" answers no "No one is in custody".
AT_LARGE = re.compile(r"\b(?:at large|on the run|still (?:sought|wanted|missing))\b", re.I)
# An arrest in another case: "charged with homicide in a similar shooting", "an unrelated case".
OTHER_CASE = re.compile(
    r"\b(?:similar|separate|unrelated|another|different|earlier|previous) "
    r"(?:shooting|case|incident|killing|homicide|robbery|attack)\b",
    re.I,
)
# A denial no POLARITY word tells: "nothing that has led to his arrest".
NOTHING = re.compile(r"\b(?:nothing|nobody|none|neither)\b", re.I)
ARRESTED = re.compile(
    r"\b(?:arrest(?:s|ed)?|booked|turned (?:himself|herself|themselves) in|surrendered)\b"
    r"|\bin(?:to)? (?:police |federal |protective )?custody\b",
    re.I,
)
CHARGED = re.compile(r"\b(?:charged|indicted)\b", re.I)
# Hurt, and so alive when told: gravely ("in critical condition", "a life-threatening wound", "on life
# support"), or out of danger ("stable condition", "expected to survive", "non-life-threatening"),
# whose later death in a story is far more often someone else's (another victim, another shooting of
# a roundup: 6 of gva-dev's 7 pairs of such a claim and a death were judged no change).
GRAVE = re.compile(
    r"\b(?:critical|serious|grave) condition\b|(?<!non-)(?<!non )\blife[- ]threatening\b|\blife support\b",
    re.I,
)
SAFE = re.compile(
    r"\b(?:stable|fair|good) condition\b|\b(?:expected|going) to (?:survive|recover)\b"
    r"|\bnon[- ]?life[- ]threatening\b|\bsurvived\b",
    re.I,
)
DIED = re.compile(r"\b(?:died|dies|dead|succumbed|passed away|killed|slain|fatally|to death)\b", re.I)
# A death told of someone else: "Another person was fatally shot", "was also shot and killed", "The
# third victim ... was found dead".
SOMEONE_ELSE = re.compile(
    r"\b(?:another|also|separate|separately)\b|\b(?:first|second|third|fourth|other) victim\b", re.I
)
# What is asked or not known is neither denied nor told: "it's not clear whether she will face charges",
# "not clear what charges he could face", "did not know why the arrests weren't disclosed"; nor is a
# plea ("pleaded not guilty to charges of assault").
ASKED = re.compile(
    r"\b(?:whether|if|unclear|guilty)\b|(?:\bnot\b|n[’']t\b) (?:clear|known|know|knew|certain|sure)\b", re.I
)
# Words of what is only to come, wished for or tried: "will be charged", "police hope to make an
# arrest", "a warrant for his arrest", "trying to arrest him", "a reward for information leading to
# an arrest".
AHEAD = re.compile(
    r"\b(?:will|would|shall|expected|expects?|hopes?|hoping|seeks?|seeking|asking|warrants?|try|trying|tried"
    r"|attempt(?:s|ed|ing)?|resist(?:ed|ing)?|rewards?|leading to|lead(?:s|ing)? to)\b",
    re.I,
)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# What a reader looks for in each wording (disagreements.marks), by the change.
MARKED = {
    ARREST_SINCE: rf"\b(?:no|not|never|nobody|none)\b|\b\w+n['’]t\b|\b(?:{ARRESTS}|booked)\b",
    DEATH_SINCE: f"{GRAVE.pattern}|{DIED.pattern}",
}


def arrest_told(claim: Claim) -> str | None:
    """What a claim tells of an arrest: "no arrest" (of anyone: "No arrests have been made", "No one
    is in custody"), "no charge" ("No charges were filed"), "not him" (a named person not arrested:
    "Rhys Tamm was not arrested"; "not him charged": "Rhys Tamm has not been charged"), "arrested"
    ("was taken into custody"), "charged" ("was arrested Wednesday and charged with ..."; "charged
    at large" when the charged are still sought: no answer to "No one is in custody"), "sought" (a
    suspect still sought: "Police are looking for a man who fled"; not one sought as a witness, nor
    "him" sought by anyone but the police) or None: nothing, or only what is asked or not known, a
    plea, what is still to come, hedged, denied, in another case, or dated years before the
    article."""
    if ASKED.search(claim.text):
        return None
    if found := NO_ONE.search(claim.text):
        return "no charge" if "charge" in found.group().lower() else "no arrest"
    if found := NOT_HIM.search(claim.text):
        if not claim.entities:
            return None
        return "not him charged" if "charge" in found.group().lower() else "not him"
    if not _stated(claim) or OTHER_CASE.search(claim.text):
        return None
    if CHARGED.search(claim.text):
        return "charged at large" if AT_LARGE.search(claim.text) else "charged"
    if ARRESTED.search(claim.text):
        return "arrested"
    sought = SOUGHT.search(claim.text)
    if not sought or WITNESS.search(claim.text) or (sought.group(1) and not POLICE.search(claim.text)):
        return None
    return "sought"


# What a later claim must tell to answer each denial: an arrest answers "no arrest", only a charge
# answers "no charge" (one may be arrested and not yet charged), and so for "not him" when the claim
# names him, and an arrest answers a suspect "sought" by an article that tells no arrest; the
# charged who are still at large answer only a denial of charges.
ANSWERS = {
    "no arrest": {"arrested", "charged"},
    "no charge": {"charged", "charged at large"},
    "not him": {"arrested", "charged"},
    "not him charged": {"charged", "charged at large"},
    "sought": {"arrested", "charged"},
}


def death_told(claim: Claim) -> str | None:
    """ "alive" (gravely hurt and alive when told: "remained in critical condition"), "safe" (hurt and
    out of danger: "in stable condition", "non-life-threatening injuries"), "died" ("died from his
    injuries Sunday", "was pronounced dead"), "another death" (of someone else, "Another person was
    fatally shot", or inside a quotation) or None; neither denied, hedged, asked or still to come."""
    if polarity_words(claim.text) or ASKED.search(claim.text):
        return None  # "is not expected to survive"; "unclear whether he was killed"
    if not DIED.search(claim.text):
        return "alive" if GRAVE.search(claim.text) else "safe" if SAFE.search(claim.text) else None
    if not _stated(claim):
        return None
    if SOMEONE_ELSE.search(claim.text) or any(m in claim.text for m in QUOTE_MARKS) or claim.quoting:
        return "another death"
    return "died"


def tells_change(claim: Claim) -> bool:
    """Whether the claim tells an arrest, a charge or a death (what a change since is told by)."""
    return arrest_told(claim) in ("arrested", "charged", "charged at large") or death_told(claim) == "died"


def _stated(claim: Claim) -> bool:
    """Whether a claim states what happened: no denial, hedge or future, no year before its
    article's (earlier_year)."""
    return not (
        polarity_words(claim.text)
        or NOTHING.search(claim.text)
        or AHEAD.search(claim.text)
        or earlier_year(claim)
    )


def earlier_year(claim: Claim) -> bool:
    """Whether a claim names a year before its article's ("He had been charged with burglary in
    2014" tells another case)."""
    year = (claim.published or "")[:4]
    return any(found < year for found in YEAR.findall(claim.text))


def changes_since(claims: list[Claim]) -> list[tuple[int, int, str]]:
    """The pairs (i < j) of claims of a story where an article says no arrest was made and one of
    a later day that one was (ARREST_SINCE, ANSWERS), or an article that tells of no death says a
    victim is gravely hurt and alive and one of a later day that one died (DEATH_SINCE), as
    facts.disagreeing_pairs() gives its pairs."""
    arrests = {i: arrest_told(c) for i, c in enumerate(claims)}
    # an article telling an arrest and a suspect sought tells of two suspects: its search is no denial
    arresting = {
        claims[i].article_id
        for i, kind in arrests.items()
        if kind in ("arrested", "charged", "charged at large")
    }
    deaths = {i: death_told(c) for i, c in enumerate(claims)}
    dying = {claims[i].article_id for i, kind in deaths.items() if kind in ("died", "another death")}
    ages: dict[str, set[str]] = {}  # article id -> the ages it gives a child ("a 2-year-old boy")
    for claim in claims:
        ages.setdefault(claim.article_id, set()).update(m.group(1) for m in CHILD.finditer(claim.text))
    found = [
        (i, j, ARREST_SINCE)
        for i, kind in arrests.items()
        if kind in ANSWERS
        for j, then in arrests.items()
        if then in ANSWERS[kind]
        and _later_day(claims[i], claims[j])
        and (not kind.startswith("not him") or claims[i].entities & claims[j].entities)
        and (kind != "sought" or claims[i].article_id not in arresting)
        and not _another_child(claims[j], ages.get(claims[i].article_id, set()))
    ] + [
        (i, j, DEATH_SINCE)
        for i, kind in deaths.items()
        if kind == "alive" and claims[i].article_id not in dying
        for j, then in deaths.items()
        if then == "died" and _later_day(claims[i], claims[j])
    ]
    return sorted((min(i, j), max(i, j), why) for i, j, why in found)


def _another_child(arrest: Claim, told: set[str]) -> bool:
    """Whether the arrest is another case's: it names a child by age ("his arrest on charges of
    killing an 11-year-old girl") and the article that told no arrest gives none of those ages (`told`)."""
    ages = {m.group(1) for m in CHILD.finditer(arrest.text)}
    return bool(ages) and not ages & told


def _later_day(first: Claim, then: Claim) -> bool:
    """Whether `then`'s article is dated a later day than `first`'s."""
    return bool(first.published and then.published) and first.published[:10] < then.published[:10]


def follow_up_lede(claims: list[Claim], fact_of: dict[int, str]) -> list[str]:
    """The fact ids of the first two statements of the story's latest report, when it came out a
    day or more after the first: a follow-up leads with what happened since ("Four men have been
    arrested and charged with second-degree murder …", "Jo Burks pleaded guilty …"), which a
    summary of the first day's reports would leave out. `fact_of`: id(claim) -> its fact's id."""
    dated = [c for c in claims if c.published]
    if not dated or max(c.published[:10] for c in dated) <= min(c.published[:10] for c in dated):
        return []
    latest = max((c.published, c.article_id) for c in dated)[1]
    ledes = sorted((c for c in claims if c.article_id == latest and c.complete), key=lambda c: c.position)
    return [fact_of[id(c)] for c in ledes[:2] if id(c) in fact_of]

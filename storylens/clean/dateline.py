"""Datelines at the head of a story: "TEHRAN —", "DAMASCUS (Dispatches) --", "Paris, May 3 (AFP) -",
"WASHINGTON –-", "WASHINGTON—The" (a shouted place may touch its dash), "WASHINGTON ―" (a
horizontal bar, as some outlets print it), "DENVER (CBS4) One man …" (a shouted place and a
station in brackets, no dash, as local stations print it), "Vista CA— The …" (a state's postal code)."""

from __future__ import annotations

import re

_DASH = "[\u2014\u2013\u2015\u2012]"  # em dash, en dash, horizontal bar, figure dash
_PLACE_WORD = r"[A-Z][A-Za-z\u00C0-\u024F.'\u2019-]*"
_PLACE = rf"{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}}(?:, {_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}}){{0,2}}"
# A place closed by a US state's postal code, as some local outlets print it: "Vista CA—", "Oceanside CA—".
_STATE = re.compile(
    r" (?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT"
    r"|V[AT]|W[AIVY])$"
)
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}))?"
    r"(?:\s*\((?P<agency>[^)]{1,40})\))?"
    rf"\s*(?:(?P<tight>{_DASH}-?(?=[A-Z]))|(?:{_DASH}-?|--|-|:)\s+(?=\S)|(?P<bare>(?<=\))\s*(?=[A-Z\"\u201c])))"
)


# The first paragraph's dateline in mixed case, its dash spaced: "Detroit — The …", "West Allis - A …",
# "Baldwin City — While …"; not an aside between two dashes ("Mehmet Oz — Ivy League-trained surgeon and
# daytime TV star — has been called …").
_PLAIN_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][a-z’'.]+(?: [A-Z][a-z’'.]+){{0,2}}) (?:{_DASH}|--?) +(?=[A-Z\"\u201c])"
)
_ASIDE_DASH = re.compile(rf" (?:{_DASH}|--?) ")


def split_plain_dateline(paragraph: str) -> tuple[str, str] | None:
    """(place, paragraph without it) when the paragraph opens on a place in mixed case and a spaced
    dash (_PLAIN_DATELINE), with no second such dash after it, else None: only an article's first
    paragraph is read so ("Shooting Investigation – On January 4 …" further down is a label)."""
    match = _PLAIN_DATELINE.match(paragraph)
    rest = paragraph[match.end() :] if match else ""
    if not match or _ASIDE_DASH.search(rest) or len(rest.split()) < 4:
        return None
    return match.group("place"), rest


# A dash a paragraph opens on before a capital: "— Durham police are investigating …".
_BARE_DASH = re.compile(rf"^(?:{_DASH}|-){{1,2}}\s+(?=[A-Z\"\u201c])")


def without_lost_place(paragraphs: list[str]) -> list[str]:
    """The paragraphs with the dash taken off the first of the first three that opens on one ("—
    Durham police are investigating …", "- The Gwinnett County Police Department is investigating
    …"): a dateline whose place the page lost. Not when the next paragraph opens on one too: a list
    ("- New tasks for the game!", "- More questions …")."""
    for k, paragraph in enumerate(paragraphs[:3]):
        if found := _BARE_DASH.match(paragraph):
            if k + 1 < len(paragraphs) and _BARE_DASH.match(paragraphs[k + 1]):
                return paragraphs
            return [*paragraphs[:k], paragraph[found.end() :], *paragraphs[k + 1 :]]
    return paragraphs


def without_state(place: str) -> str:
    """The place without a state's postal code after it ("Vista CA" -> "Vista")."""
    return _STATE.sub("", place) if len(place.split()) > 1 else place


def split_dateline(paragraph: str) -> tuple[str, str] | None:
    """(place, paragraph without the dateline) when the paragraph opens with one, else None.

    A dateline is a place in capitals, or a capitalised place followed by a date or an agency
    in brackets or a comma-separated list of places, then a dash.
    """
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    place = match.group("place")
    letters = [c for c in place if c.isalpha()]
    shouting = letters and sum(c.isupper() for c in letters) / len(letters) > 0.8
    marked = match.group("agency") or match.group("date") or "," in place or _STATE.search(place)
    # "Syria - a country at war" is prose, not a dateline: require capitals or a marker,
    # and a dash (a colon only for shouted places).
    dash = match.group(0).rstrip()[-1] != ":"
    if not (shouting or (marked and dash)) or len(place.split()) > 6:
        return None
    if match.group("tight") and not (shouting and len(letters) >= 4):
        return None  # "WASHINGTON—The ...": a shouted place; "U.S.—China talks" is prose
    if match.group("bare") is not None and not _station_dateline(place, match.group("agency")):
        return None  # "DENVER (CBS4) One man ...": no dash, so a shouted town and a station's call sign
    rest = paragraph[match.end() :].strip()
    if len(rest.split()) < 4:
        return None
    again = _DATELINE.match(rest)  # "HOUSTON - HOUSTON – Houston Police …": a dateline printed twice
    if again and again.group("place").lower() == place.lower() and len(rest[again.end() :].split()) >= 4:
        rest = rest[again.end() :].strip()
    return place.strip(), rest


_CALL_SIGN = re.compile(r"[A-Z0-9][A-Z0-9 &/.-]{1,14}")  # "CBS4", "WPMI", "LEX 18": no words in lower case


def _station_dateline(place: str, agency: str) -> bool:
    """Whether a dateline with no dash is a local station's: a town in capitals of four letters or
    more ("MOBILE, Ala. (WPMI) Children …"), a call sign in brackets; "FBI (Federal Bureau of
    Investigation) Director …" is prose."""
    town = [c for c in place.split(",")[0] if c.isalpha()]
    return len(town) >= 4 and all(c.isupper() for c in town) and bool(_CALL_SIGN.fullmatch(agency.strip()))

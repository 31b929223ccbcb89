"""Publication dates in scraped text: find date expressions, normalise them, keep the evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MONTHS = {  # month names and abbreviations -> number (also read by compare/dates.py)
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_TIME = (
    r"(?:\s*(?:[-\u2013\u2014,|@]|at)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?)?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"

_PATTERNS = [
    re.compile(_WEEKDAY + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + _TIME, re.I),
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + _TIME, re.I),
    # Dotted numeric dates are day-first wherever they are used (04.03.2025 is 4 March).
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<nmonth>\d{1,2})\.(?P<year>(?:19|20)\d{2})\b" + _TIME),
    re.compile(
        r"(?P<year>(?:19|20)\d{2})-(?P<nmonth>\d{2})-(?P<day>\d{2})"
        r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
    ),
]

# "Publish Date: …", "Published on …", "Posted: …"; an "Updated" field only counts without these.
_FIELD = re.compile(
    r"^\s*(?P<label>(?:first\s+)?publish(?:ed)?(?:\s+(?:date|on|at))?|posted(?:\s+on)?|date(?:\s+published)?"
    r"|(?:last\s+)?updated(?:\s+on)?|release date)\s*[:\-\u2013]?\s*(?P<value>.+)$",
    re.I,
)


_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class FoundDate:
    value: str  # ISO: YYYY-MM-DD or YYYY-MM-DDTHH:MM[±HH:MM]
    span: tuple[int, int]  # where in the line it was read


def find_date(text: str) -> FoundDate | None:
    """The first well-formed date in `text`, normalised to ISO, or None."""
    if not _YEAR_DIGITS.search(text):
        return None
    best: FoundDate | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            found = _normalise(match)
            if found and (best is None or found.span[0] < best.span[0]):
                best = found
                break
    return best


def metadata_date(value: str | None) -> str | None:
    """A publication date given with the document (a JSONL field, a manifest column) as ISO, or
    None when it names no date: an ISO date (with its time) is kept as written, another form read
    ("May 12, 2025", "12/05/2025": find_date, then dateparser); garbage ("0.1.0", stray bytes) is
    no date, so that no later step reads one from it, and so is a value of over 80 characters."""
    value = (value or "").strip()
    if not value or len(value) > 80:
        return None
    try:
        date.fromisoformat(value[:10])
        return value
    except ValueError:
        found = find_date(value) or _parse_other(value)
        return found.value if found else None


def is_date_line(line: str) -> bool:
    """True when a line is essentially a date (with perhaps a weekday, a time, a label)."""
    found = find_date(line)
    if not found:
        return False
    rest = line[: found.span[0]] + " " + line[found.span[1] :]
    return len(re.findall(r"[A-Za-z]{2,}", rest)) <= 2 and len(line) <= 60


def date_field(line: str) -> tuple[str, FoundDate] | None:
    """For a labelled date field ("Publish Date: 08 July 2020 - 22:26"), its label and date."""
    match = _FIELD.match(line)
    if not match or len(line) > 80:
        return None
    value = match.group("value")
    found = find_date(value) or _parse_other(value)
    if not found:
        return None
    return match.group("label").lower(), found


def _parse_other(value: str) -> FoundDate | None:
    """Formats our patterns do not cover (numeric, other languages), via dateparser."""
    import dateparser  # slow to import; only labelled fields ever get here

    parsed = dateparser.parse(value, settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    if parsed is None or not 1990 <= parsed.year <= datetime.now().year + 1:
        return None
    iso = parsed.date().isoformat()
    if parsed.hour or parsed.minute:
        iso += f"T{parsed.hour:02d}:{parsed.minute:02d}"
    return FoundDate(value=iso, span=(0, len(value)))


def _normalise(match: re.Match) -> FoundDate | None:
    parts = match.groupdict()
    try:
        month = int(parts["nmonth"]) if parts.get("nmonth") else MONTHS[parts["month"].lower()]
        day_value = date(int(parts["year"]), month, int(parts["day"]))
    except (KeyError, ValueError):
        return None
    if not 1990 <= day_value.year <= datetime.now().year + 1:
        return None
    value = day_value.isoformat()
    if parts.get("hour") is not None:
        hour, minute = int(parts["hour"]), int(parts["minute"])
        ampm = (parts.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            value += f"T{hour:02d}:{minute:02d}"
            tz = parts.get("tz")
            if tz and tz != "Z":
                tz = tz if ":" in tz else tz[:3] + ":" + tz[3:]
                value += tz
            elif tz == "Z":
                value += "+00:00"
    return FoundDate(value=value, span=match.span())


_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def latest_year(lines: list[str]) -> int | None:
    """The latest plausible year written in a page's chrome (copyright lines, archive ranges,
    page headers, related links). The page existed by then, so an undated article on it was
    published in that year or before."""
    this_year = datetime.now().year
    years = [int(y) for line in lines for y in _ANY_YEAR.findall(line) if 1990 <= int(y) <= this_year]
    return max(years) if years else None

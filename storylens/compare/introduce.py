"""How the summary introduces the people it names: by full name where it names them first (a
surname alone or after an honorific is given the full name the story resolves it to), by surname
after that.
"""

from __future__ import annotations

import re

from storylens.compare.facts import Fact
from storylens.compare.summary import SummarySentence, claim_told
from storylens.model import Article
from storylens.understand.entities import is_title

# A person's full name: two to four words, each capitalised and ending in a small letter ("O’Rourke",
# "McCarthy", "Ocasio-Cortez") or an initial ("Robert S. Mueller"); no word a possessive ("Mitt
# Romney’s Medicare", a span the tagger took for a name, is no one's name: "Medicare" is no surname).
PERSON_NAME = re.compile(
    r"^[A-Z][A-Za-z’'-]*[a-z](?<![’']s)(?: (?:[A-Z]\.|[A-Z][A-Za-z’'-]*[a-z](?<![’']s))){1,3}$"
)


def introduce_names(
    summary: list[SummarySentence], people: dict[str, list[str]], everyone: set[str] = frozenset()
) -> None:
    """Give a person named by surname alone ("Suthers said", "Mr. Suthers said") the full name the
    story resolves them to ("John Suthers said") where the summary names them first, outside
    quotations, so that no one enters the summary unintroduced. `people`: for each summary sentence
    (by its text), the full names of the persons it names; `everyone`: the names of every person of
    the story. A surname two persons of the story share ("Mr. Trump", with Melania Trump in the
    story) is left as it is. A later sentence opening on the full name again gives the surname."""
    by_surname: dict[str, set[str]] = {}
    for name in {n for names in people.values() for n in names} | set(everyone):
        if PERSON_NAME.match(name):
            by_surname.setdefault(name.split()[-1], set()).add(name)
    told = ""
    for sentence in summary:
        text = sentence.text
        named = {n.split()[-1] for n in people.get(sentence.text, [])}
        for surname, names in sorted(by_surname.items()):
            name = next(iter(names))
            if surname not in named or len(names) > 1:
                continue
            if _introduced(name, told):
                text = _shortened(text, name)  # a second reference
            elif not _introduced(name, text) and (bare := _bare_mention(text, surname)) is not None:
                text = text[: bare[0]] + name + text[bare[1] :]
        sentence.text = text
        told += " " + text


def _shortened(text: str, name: str) -> str:
    """The sentence opening on the surname ("Odell said …") where it opens on the title and full
    name of a person introduced before; a name followed by an apposition or a bracket stays."""
    words = name.split()
    found = re.search(rf"\b{re.escape(words[0])}(?: [A-Z]\.)? {re.escape(words[-1])}(?= [a-z])", text)
    if found is None or (found.start() and not is_title(text[: found.start()])):
        return text
    return words[-1] + text[found.end() :]


def _introduced(name: str, text: str) -> bool:
    """Whether a text names the person with a given name ("Anthony Weiner" for Anthony D. Weiner)."""
    words = name.split()
    return re.search(rf"\b{re.escape(words[0])}(?: [A-Z]\.)? {re.escape(words[-1])}\b", text) is not None


HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Dr|Miss)\.? $")


def _bare_mention(text: str, surname: str) -> tuple[int, int] | None:
    """The span of the first mention of `surname` when it stands alone or after an honorific
    ("Suthers", "Mr. Suthers": the span takes the honorific in), outside quotation marks, with
    no other capitalised word or title right before it ("Attorney General Suthers") and not
    joined to a name after it ("Trump Tower", "Trump-Russia"); None otherwise."""
    found = re.search(rf"\b{re.escape(surname)}\b", text)
    if found is None:
        return None
    before, after = text[: found.start()], text[found.end() : found.end() + 2]
    quoted = before.count('"') % 2 or before.count("“") > before.count("”")
    honorific = HONORIFIC.search(before)
    start = honorific.start() if honorific else found.start()
    previous = text[:start].rstrip().split(" ")[-1] if text[:start].strip() else ""
    joined = after[:1] in ("-", "\u2013") or after[:1] == " " and after[1:2].isupper()
    return None if quoted or previous[:1].isupper() or joined else (start, found.end())


def people_named(
    summary: list[SummarySentence], facts: list[Fact], mentions, articles: list[Article]
) -> tuple[dict[str, list[str]], set[str]]:
    """For each summary sentence (by its text): the full names of the persons its claim names, as
    the story's own articles write them (a name the store resolved elsewhere is not used); and the
    names of every person the story names (written so or not: whose surname is shared)."""
    texts = [" ".join(a.paragraphs) for a in articles]
    everyone = {e: name for spans in mentions.values() for _, _, e, name, kind in spans if kind == "PERSON"}
    people = {e: name for e, name in everyone.items() if any(name in t for t in texts)}
    told = {s.text: claim_told(s, facts) for s in summary}
    named = {text: sorted(people[e] for e in c.entities if e in people) for text, c in told.items() if c}
    return named, set(everyone.values())

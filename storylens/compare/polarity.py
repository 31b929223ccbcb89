"""Polarity and modality: whether two claims telling one thing really tell it one denied or only
possible and the other stated ("may resign" / "will not resign" / "resigned"), for the disagreement
list. A denial, a hedge or its absence can be only seeming: one "didn't" the parse hung on
different verbs (the same denying words in both wordings), a denial that says when the thing did
happen ("did not realize he had shot the girl until later" / "later realized he shot the girl"), a
verb of failing that denies what follows it ("for failing to appear in court" / "when she didn't
appear in court"), and a belief reported beside a possibility ("police believe the shooting
occurred" / "the shooting possibly occurred"). A claim that denies the verb it tells too is read as
denying it ("I used money I shouldn't have used" / "I used money that should have been used for my
campaign" are two quotations of one man that disagree)."""

from __future__ import annotations

import re

from storylens.compare.claims import Claim

# The words that deny or only allow: two wordings disagree in polarity or modality only where one has
# one the other lacks (disagreements.marks marks them).
POLARITY = (
    r"\b(?:not|never|no|neither|nor|may|might|could|possibly|perhaps|maybe|probably|likely)\b|\b\w+n['’]t\b"
)
NOT_UNTIL = re.compile(r"(?:\b(?:not|never)\b|n['’]t\b)[^.;]{0,80}?\buntil\b", re.I)
FAILING = re.compile(
    r"\b(?:fail(?:s|ed|ing)?|refus(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|neglect(?:s|ed|ing)?)\s+to\b", re.I
)
BELIEVED = re.compile(
    r"\b(?:believes?|believed|thinks?|thought|suspects?|suspected|appears?|appeared|seems?|seemed|"
    r"apparently|reportedly|allegedly)\b",
    re.I,
)


# The month, which allows nothing: "on May 3", "May 3, 2016", "in May", "since May", "mid-May".
MONTH_MAY = re.compile(
    r"\bMay\b(?=\.?\s+\d)|\b(?:in|of|on|since|until|by|last|next|early|mid|late|this|that)[ -]May\b"
)


def polarity_words(text: str) -> set[str]:
    """The denying and allowing words of a text (POLARITY), as both wordings may write them; the
    month May is none (MONTH_MAY)."""
    text = MONTH_MAY.sub("", text)
    return {m.group().lower().replace("’", "'") for m in re.finditer(POLARITY, text, re.I)}


def opposed_verbs(a: Claim, b: Claim) -> set[str]:
    """The verbs both claims tell that one denies or only allows and the other does not, a
    seeming denial or hedge aside (the module's doc)."""
    found = set()
    for verb in a.predicates & b.predicates:
        if (verb in a.negated) != (verb in b.negated):
            denying, stating = (a, b) if verb in a.negated else (b, a)
            if not (NOT_UNTIL.search(denying.text) or FAILING.search(stating.text)):
                found.add(verb)
        elif (verb in a.hedged) != (verb in b.hedged):
            stating = b if verb in a.hedged else a
            if not BELIEVED.search(stating.text):
                found.add(verb)
    return found


def really_opposed(a: Claim, b: Claim) -> bool:
    """Whether one of two claims telling one thing denies or only allows what the other states,
    not only seemingly (opposed_verbs), with denying or allowing words the other lacks."""
    return bool(opposed_verbs(a, b)) and polarity_words(a.text) != polarity_words(b.text)

"""The model's attribute ruler, the same rules applied faster.

spaCy's AttributeRuler tries each of its patterns at every token with a Matcher: the small
English model's 179 patterns, almost all of one token ("TAG is VBZ and LOWER is 's"), cost more
than its tagger and parser together. `FastAttributeRuler` is built from a loaded AttributeRuler's
own patterns and attributes: a one-token pattern of plain values (a value, or IN a list, plus any
NOT_IN) becomes dictionary keys, looked up once per token in the columns of `Doc.to_array`; every
other pattern (several tokens, REGEX, ...) stays with spaCy's Matcher. As spaCy does, every match
is found before any attribute is set, and a token's matched rules are applied in rule order (a
later rule wins), with spaCy's own `set_token_attrs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

# Attributes that `set_token_attrs` writes on the token alone (their ids are above the lexeme's
# flags): applying a token's rules one after another equals applying their attributes merged.
TOKEN_ONLY = frozenset({"TAG", "POS", "MORPH", "LEMMA", "DEP"})
# Attributes whose Matcher value is `Doc.to_array`'s (both read spaCy's `get_token_attr`).
KEYABLE = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "TAG", "POS", "DEP", "IS_SPACE"})
MOST_KEYS = 10_000  # a pattern whose IN lists multiply past this stays with the Matcher


@dataclass
class FastAttributeRuler:
    """Callable pipeline component: Doc -> Doc, the attributes spaCy's ruler would set."""

    columns: list[int]  # attribute ids read with Doc.to_array
    tables: list[tuple[tuple[int, ...], dict]]  # (column positions, {values: [(rule, excluded)]})
    matcher: object  # spaCy Matcher of the other patterns, keyed by the rule's number
    indices: list[int]  # per rule: the matched span's token that gets the attributes
    attrs: list[dict]  # per rule: spaCy's normalized attributes
    merged: dict = field(default_factory=dict)  # rules of one token -> their attributes merged

    def __call__(self, doc):
        from spacy.tokens import Span
        from spacy.tokens._retokenize import set_token_attrs

        rules = self._single_token_rules(doc)
        strings = doc.vocab.strings
        for match_id, start, end in self.matcher(doc, allow_missing=True, as_spans=False):
            rule = int(strings[match_id])
            token = Span(doc, start, end)[self.indices[rule]]  # IndexError as spaCy's would be
            rules.setdefault(token.i, []).append(rule)
        for i, found in rules.items():
            key = tuple(sorted(set(found)))
            attrs = self.merged.get(key)
            if attrs is None:
                attrs = self.merged[key] = {k: v for rule in key for k, v in self.attrs[rule].items()}
            set_token_attrs(doc[i], attrs)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    def _single_token_rules(self, doc) -> dict[int, list[int]]:
        """Token index -> the rules of one-token plain patterns that match it, from the values
        the tokens have before any rule is applied."""
        rules: dict[int, list[int]] = {}
        if not len(doc):
            return rules
        array = doc.to_array(self.columns).reshape(len(doc), len(self.columns))
        values = array.T.tolist()
        for positions, table in self.tables:
            keys = zip(*[values[p] for p in positions], strict=True)
            for i, hits in enumerate(map(table.get, keys)):
                if hits:
                    for rule, excluded in hits:
                        if not any(values[p][i] in ids for p, ids in excluded):
                            rules.setdefault(i, []).append(rule)
        return rules


def fast_ruler(ruler) -> FastAttributeRuler | None:
    """The fast equivalent of a loaded spaCy AttributeRuler, or None when one of its rules sets
    something other than token attributes (extensions, lexeme attributes)."""
    from spacy.attrs import IDS
    from spacy.matcher import Matcher

    strings = ruler.vocab.strings
    if any(set(attrs) - {IDS[name] for name in TOKEN_ONLY} for attrs in ruler.attrs):
        return None
    matcher = Matcher(ruler.vocab)
    keyed: list[tuple[int, dict, dict]] = []  # (rule, {attr: values}, {attr: excluded values})
    for rule, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            plain = _plain_values(pattern, entry["index"], strings)
            if plain is None:
                matcher.add(strings.add(str(rule)), [pattern])
            else:
                keyed.append((rule, *plain))
    names = sorted({a for _, equal, excluded in keyed for a in (*equal, *excluded)})
    position = {name: i for i, name in enumerate(names)}
    tables: dict[tuple[str, ...], dict] = {}
    for rule, equal, excluded in keyed:
        schema = tuple(sorted(equal))
        table = tables.setdefault(schema, {})
        rest = tuple((position[a], values) for a, values in sorted(excluded.items()))
        for values in product(*(sorted(equal[a]) for a in schema)):
            table.setdefault(values, []).append((rule, rest))
    return FastAttributeRuler(
        columns=[IDS[name] for name in names],
        tables=[(tuple(position[a] for a in schema), table) for schema, table in tables.items()],
        matcher=matcher,
        indices=list(ruler.indices),
        attrs=list(ruler.attrs),
    )


def _plain_values(pattern: list, index: int, strings) -> tuple[dict, dict] | None:
    """A one-token pattern of plain values as ({attr: allowed ids}, {attr: excluded ids}), with
    the ids spaCy's Matcher compares; None for any other pattern."""
    from spacy.strings import get_string_id

    if len(pattern) != 1 or index not in (0, -1):
        return None
    equal: dict[str, frozenset] = {}
    excluded: dict[str, frozenset] = {}
    for key, value in pattern[0].items():
        name = key.upper() if isinstance(key, str) else None
        if name not in KEYABLE:
            return None
        name = "ORTH" if name == "TEXT" else name
        if name in equal or name in excluded:
            return None
        if isinstance(value, bool):
            equal[name] = frozenset({int(value)})
        elif isinstance(value, str):
            equal[name] = frozenset({strings.add(value)})
        elif isinstance(value, int):
            equal[name] = frozenset({value})
        elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
            ((operator, listed),) = value.items()
            if not all(isinstance(v, (str, int)) for v in listed):
                return None
            ids = frozenset(get_string_id(v) for v in listed)
            (equal if operator == "IN" else excluded)[name] = ids
        else:
            return None
    keys = 1
    for values in equal.values():
        keys *= len(values)
    if not equal or keys > MOST_KEYS:
        return None
    return equal, excluded

"""The model's two rule-based components, the attribute ruler and the lemmatizer, applied by table.

They make no predictions: their output for a token depends on a few of its values only, so it
is worked out once per distinct combination and kept, instead of once per token.

spaCy's ``AttributeRuler`` runs a ``Matcher`` over every token for each of its ~180 patterns: on
our articles it is an eighth of the whole parse (2.1 of 16 CPU s per 150 articles), more than
the parser. Nearly all its patterns look at one token, and only at the token's tag, lower-case
form, dependency label and whether it is a space; so the patterns that match a token depend on
those four values alone, and are worked out once per distinct combination and kept. The few
patterns of several tokens ("gon na", "let 's") are checked only where their first token fits.
The result is the stock component's exactly: the same rules, applied to each token in the
stock order (a later rule overrides an earlier one), which ``tests/extract/test_ruler.py`` checks
against spaCy's own on every text it is given.

A ruler with a pattern this table does not understand (an operator, another attribute, a token
index outside its pattern) is left as it is.

spaCy's rule ``Lemmatizer`` already keeps each lemma it works out, by (form, POS, morphology), but
still spends 11 µs per token on making Token and MorphAnalysis objects to look it up (0.8 CPU s
per 150 articles): the table reads those three values for the whole Doc as one array, looks the
lemma up, asks the stock component only for a combination not seen before, and writes the
lemmas back as one array. Only tokens without a lemma are lemmatized, as by the stock component
(``overwrite=False``); another mode, or a lemmatizer of another language, is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")
TABLE_LIMIT = 20_000  # combinations kept per table (then it starts afresh)
_ARRAY = [TAG, LOWER, DEP, IS_SPACE]

Predicate = Callable[[tuple], bool]  # on (tag, lower, dep, is_space) as strings and a bool


class Unsupported(ValueError):
    """A pattern the table cannot reproduce exactly: keep spaCy's component."""


def _value_test(value: Any) -> Callable[[Any], bool]:
    if isinstance(value, (str, bool)):
        return lambda x: x == value
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN" and isinstance(arg, list):
            options = frozenset(arg)
            return lambda x: x in options
        if op == "NOT_IN" and isinstance(arg, list):
            options = frozenset(arg)
            return lambda x: x not in options
        if op == "REGEX" and isinstance(arg, str):
            pattern = re.compile(arg)  # the Matcher's REGEX is re.search on the string
            return lambda x: isinstance(x, str) and pattern.search(x) is not None
    raise Unsupported(f"token condition {value!r}")


def _token_test(spec: dict) -> Predicate:
    tests = []
    for key, value in spec.items():
        if key not in FEATURES:
            raise Unsupported(f"token attribute {key}")
        tests.append((FEATURES.index(key), _value_test(value)))
    return lambda feats: all(test(feats[i]) for i, test in tests)


class TableRuler:
    """Applies a loaded ``AttributeRuler``'s rules (same rules, same order) without its Matcher."""

    def __init__(self, ruler) -> None:
        self.vocab = ruler.vocab
        self.attrs: list[dict] = list(ruler.attrs)  # normalised attribute values, by rule number
        # one-token patterns filed under the word or tag they require, so that a combination not
        # seen before is tested against a handful of them, not all
        self.by_lower: dict[str, list[tuple[int, Predicate]]] = {}
        self.by_tag: dict[str, list[tuple[int, Predicate]]] = {}
        self.always: list[tuple[int, Predicate]] = []
        self.multi: list[tuple[int, list[Predicate], int]] = []  # rule, one test per token, index
        for rule, entry in enumerate(ruler.patterns):
            index = entry["index"]
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern:
                    raise Unsupported(f"pattern {pattern!r}")
                tests = [_token_test(spec) for spec in pattern]
                if not -len(tests) <= index < len(tests):
                    raise Unsupported(f"index {index} outside a pattern of {len(tests)} tokens")
                if len(tests) == 1:
                    self._file(rule, tests[0], pattern[0])
                else:
                    self.multi.append((rule, tests, index % len(tests)))
        # (tag, lower, dep, is_space) as hashes → (rules matching the token alone, patterns of
        # several tokens whose first token it fits, the merged attributes of the former)
        self._table: dict[tuple, tuple[list[int], list, dict]] = {}
        self._outcomes: dict[tuple, tuple[list[int], list, dict]] = {}

    def _file(self, rule: int, test: Predicate, spec: dict) -> None:
        for attr, index in (("LOWER", self.by_lower), ("TAG", self.by_tag)):
            value = spec.get(attr)
            if isinstance(value, dict) and list(value) == ["IN"]:
                value = value["IN"]
            if isinstance(value, str):
                value = [value]
            if isinstance(value, list):
                for v in value:
                    index.setdefault(v, []).append((rule, test))
                return
        self.always.append((rule, test))

    def _features(self, key: tuple) -> tuple:
        strings = self.vocab.strings
        tag, lower, dep, space = key
        return (strings[tag] if tag else "", strings[lower] if lower else "", strings[dep] if dep else "",
                bool(space))

    def _merged(self, rules: list[int]) -> dict:
        """The attributes ``rules`` set, in order: a later rule overrides an earlier one."""
        merged: dict = {}
        for rule in rules:
            merged.update(self.attrs[rule])
        return merged

    def _entry(self, key: tuple) -> tuple[list[int], list, dict]:
        feats = self._features(key)
        filed = self.by_lower.get(feats[1], []) + self.by_tag.get(feats[0], []) + self.always
        rules = sorted({rule for rule, test in filed if test(feats)})
        starts = [m for m in self.multi if m[1][0](feats)]
        merged = self._merged(rules)
        # one entry per distinct outcome, shared by every combination that has it
        entry = self._outcomes.setdefault((tuple(rules), tuple(id(m) for m in starts)), (rules, starts, merged))
        self._table[key] = entry
        return entry

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        keys = [tuple(row) for row in doc.to_array(_ARRAY).tolist()]
        table = self._table
        if len(table) > TABLE_LIMIT:
            table.clear()
        entries = [table.get(key) or self._entry(key) for key in keys]
        extra: dict[int, list[int]] = {}  # token → rules of several-token patterns that target it
        for start, (_, starts, _) in enumerate(entries):
            for rule, tests, index in starts:
                end = start + len(tests)
                if end <= len(keys) and all(test(self._features(keys[start + j]))
                                            for j, test in enumerate(tests[1:], 1)):
                    extra.setdefault(start + index, []).append(rule)
        for i, (rules, _, merged) in enumerate(entries):
            if i in extra:
                merged = self._merged(sorted(set(rules) | set(extra[i])))
            if merged:
                set_token_attrs(doc[i], merged)
        return doc


class TableLemmatizer:
    """A loaded rule ``Lemmatizer`` (English or the base class), with its lemmas kept by
    (form, POS, morphology) as hashes."""

    def __init__(self, lemmatizer) -> None:
        from spacy.lang.en.lemmatizer import EnglishLemmatizer
        from spacy.pipeline import Lemmatizer

        if type(lemmatizer) not in (Lemmatizer, EnglishLemmatizer) or lemmatizer.mode != "rule" \
                or lemmatizer.overwrite:
            raise Unsupported(f"lemmatizer {type(lemmatizer).__name__} in mode {lemmatizer.mode}")
        self.stock = lemmatizer
        self.strings = lemmatizer.vocab.strings
        # lemmas as strings, added to the StringStore on each use like the stock component's: a
        # string added inside spaCy's memory zone leaves the store when the zone ends
        self._table: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        table = self._table
        if len(table) > TABLE_LIMIT:  # new word forms keep coming: memory stays bounded
            table.clear()
        add = self.strings.add
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemma == 0:
                key = (orth, pos, morph)
                text = table.get(key)
                if text is None:
                    text = table[key] = self.stock.lemmatize(doc[i])[0]
                lemma = add(text)
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))
        return doc


def replace(nlp) -> list[str]:
    """Put a :class:`TableRuler` in place of the pipeline's ``attribute_ruler`` and a
    :class:`TableLemmatizer` in place of its ``lemmatizer``, each where the stock component is one
    the table reproduces; the names of the components replaced."""
    from spacy.language import Language

    done = []
    for name, make in (("attribute_ruler", TableRuler), ("lemmatizer", TableLemmatizer)):
        if name not in nlp.pipe_names:
            continue
        try:
            table = make(nlp.get_pipe(name))
        except Unsupported:
            continue
        factory = f"sitroom_table_{name}_{id(table)}"
        Language.component(factory, func=table)
        nlp.replace_pipe(name, factory)
        done.append(name)
    return done

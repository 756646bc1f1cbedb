"""Patterns: how to find an item's topic, red flags and term values in a vendor's paper.

A playbook may list pattern files (``patterns:`` in ``playbook.yaml``; schema
``schemas/patterns.schema.json``). Each entry names an item and says, in
declarative YAML, where its topic lives in a contract and how to read the
numbers of its terms::

    - item: exit_data_deletion_certificate
      topic:
        any: [delet*, destroy*]                 # at least one of these (or a `near`)
        near: [{find: [delet*], within: 12, of: [customer data, customer content]}]
        all: []                                 # every one of these
        none: [backup polic*]                   # none of these
        heading: [terminat*, data]              # the clause's heading path mentions one
      flags:                                    # red flags, scored by severity
        - says: Deletion only on request.
          severity: medium
          match: {any: [upon request, on request]}
      values:                                   # per term: the number near these words
        - term: exit_deletion_certificate_days
          near: [delet*]
          within: 12
          examples: [{text: Provider will delete Customer Data within 90 days., value: 90}]
      examples:
        match: [Provider will delete Customer Data within 30 days of termination.]
        no_match: [Customer may delete its own account at any time.]

A phrase is a few words matched case-insensitively at word boundaries, with
any run of whitespace between words; ``*`` at the end of a word matches any
ending (``delet*``: delete, deletion, deleted). A phrase written ``/.../`` is
a regular expression. Everything is compiled once, when the playbook loads.

Cross-references such as "Section 1.6 (Machine Learning)" are blanked out
before matching, so a clause that merely points at another is not taken for
it; :func:`prepare` keeps every other character at its offset, so a match
can be located in the vendor's own text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from ..errors import Location

__all__ = [
    "Phrase", "Near", "Matcher", "Span", "FlagPattern", "ValuePattern", "ItemPatterns", "Prepared",
    "compile_phrase", "prepare", "Quantity", "quantities", "unit_family", "convert", "PatternError",
]

DEFAULT_WITHIN = 12


class PatternError(ValueError):
    """A phrase that cannot be compiled (a broken regular expression)."""


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets of a match in a prepared text."""

    start: int
    end: int


# --- phrases ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Phrase:
    """One phrase or regular expression, checked when the playbook is validated.

    ``pattern`` is the regular expression the phrase stands for; it is
    compiled when first used (:attr:`regex`), so a command that never reads
    a vendor's paper never pays for the playbook's hundreds of patterns.
    ``key`` is a run of word characters every match must contain, lower-cased
    (the longest of the phrase's words); a text whose folded form lacks it
    cannot match, so most paragraphs are passed over without running the
    regular expression. A ``/regex/`` phrase has no key.
    """

    source: str
    pattern: str
    key: str = ""

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled, case-insensitive regular expression."""
        return _compiled(self.pattern)

    def _possible(self, prepared: Prepared) -> bool:
        return not self.key or self.key in prepared.folded

    def search(self, prepared: Prepared) -> re.Match[str] | None:
        """The first match in a prepared text, or ``None``."""
        return self.regex.search(prepared.text) if self._possible(prepared) else None

    def spans(self, prepared: Prepared) -> list[Span]:
        """Every match in a prepared text."""
        if not self._possible(prepared):
            return []
        return [Span(match.start(), match.end()) for match in self.regex.finditer(prepared.text)]


_LEADING_WORD = re.compile(r"^\w+", re.ASCII)


class _Lazy:
    """A regular expression compiled when first used: the larger ones serve only a review, not every start."""

    __slots__ = ("_source", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source, self._compiled = (pattern, flags), None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def compile_phrase(source: str, *, check: bool = True) -> Phrase:
    """``delet* customer data`` or ``/regex/`` → a case-insensitive :class:`Phrase`.

    With ``check`` (when a playbook is validated) an invalid regular
    expression raises :class:`PatternError`; a phrase read back from the
    cache was checked when it was stored.
    """
    key = ""
    if len(source) > 2 and source.startswith("/") and source.endswith("/"):
        pattern = source[1:-1]
    else:
        words = []
        for word in source.split():
            star = word.endswith("*")
            bare = _straight(word.rstrip("*"))
            words.append(re.escape(bare) + (r"\w*" if star else ""))
            if bare.isascii() and (leading := _LEADING_WORD.match(bare.lower())) and len(leading.group(0)) > len(key):
                key = leading.group(0)
        pattern = r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
    if check:
        try:
            _compiled(pattern)
        except re.error as error:
            raise PatternError(f"invalid regular expression {source!r}: {error}") from None
    return Phrase(source, pattern, key)


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2013": "-", "\u2014": "-"})


def _straight(text: str) -> str:
    return text.translate(_QUOTES)


# --- prepared text ------------------------------------------------------------------

_REF_ID = r"(?:[A-Z](?:\.\d+)+|[A-Z]\b|\d+(?:\.\d+)*)(?:\s*\([a-z0-9]{1,4}\))*(?:\s*\([^()]{1,80}\))?"
_REFERENCE = _Lazy(
    rf"(?:\b(?i:sections?|clauses?|paragraphs?|articles?)\s+|§\s*){_REF_ID}"
    rf"(?:\s*(?:,|and|or|through|to)\s*(?:[A-Z]\.\d+|\d+(?:\.\d+)*)(?:\s*\([a-z0-9]{{1,4}}\))*(?:\s*\([^()]{{1,80}}\))?)*"
)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(\"'])")
# İ, ı, ſ and the Kelvin sign: the only characters outside ASCII that re.IGNORECASE matches to an ASCII letter or digit
_ASCII_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


@dataclass(frozen=True)
class Prepared:
    """A clause's text ready for matching: straight quotes, cross-references blanked, word index."""

    text: str
    heading: str = ""

    @cached_property
    def folded(self) -> str:
        """The text lower-cased, with the four non-ASCII letters a case-blind regular expression takes for ASCII ones."""
        return self.text.translate(_ASCII_TWINS).lower()

    @cached_property
    def word_starts(self) -> list[int]:
        return [match.start() for match in _WORD.finditer(self.text)]

    def word_at(self, offset: int) -> int:
        """The index of the word at (or just before) character ``offset``."""
        return max(bisect_right(self.word_starts, offset) - 1, 0)

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [0] + [match.end() for match in _SENTENCE_END.finditer(self.text)]

    def sentence_at(self, offset: int) -> int:
        """The index of the sentence (or ``;``-separated part of one) holding character ``offset``."""
        return bisect_right(self.sentence_starts, offset) - 1


def prepare(text: str, heading: str = "") -> Prepared:
    """Straighten quotes and blank out cross-references, keeping every offset."""
    straight = _straight(text)
    blanked = _REFERENCE.sub(lambda match: " " * len(match.group(0)), straight)
    return Prepared(blanked, _straight(heading))


# --- matchers ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Near:
    """``find`` within ``within`` words of ``of`` (either order)."""

    find: tuple[Phrase, ...]
    of: tuple[Phrase, ...]
    within: int

    def span(self, prepared: Prepared) -> Span | None:
        others = [(prepared.word_at(span.start), span) for phrase in self.of for span in phrase.spans(prepared)]
        if not others:
            return None
        for phrase in self.find:
            for span in phrase.spans(prepared):
                word = prepared.word_at(span.start)
                for other_word, other in others:
                    if abs(other_word - word) <= self.within and other != span:
                        return Span(min(span.start, other.start), max(span.end, other.end))
        return None


@dataclass(frozen=True, slots=True)
class Matcher:
    """Where a topic or a red flag lives: any / all / none of phrases, proximity, heading scope."""

    any: tuple[Phrase, ...] = ()
    all: tuple[Phrase, ...] = ()
    none: tuple[Phrase, ...] = ()
    near: tuple[Near, ...] = ()
    heading: tuple[Phrase, ...] = ()
    location: Location | None = None

    def find(self, prepared: Prepared) -> Span | None:
        """The span that triggered the match (the first ``any`` or ``near`` hit), or ``None``."""
        if self.heading and not any(phrase.regex.search(prepared.heading) for phrase in self.heading):
            return None
        if any(phrase.search(prepared) for phrase in self.none):
            return None
        found: Span | None = None
        for phrase in self.all:
            match = phrase.search(prepared)
            if match is None:
                return None
            found = found or Span(match.start(), match.end())
        if self.any or self.near:
            hits = [Span(match.start(), match.end()) for phrase in self.any if (match := phrase.search(prepared)) is not None]
            hits += [span for near in self.near if (span := near.span(prepared)) is not None]
            if not hits:
                return None
            found = min(hits, key=lambda span: (span.start, -span.end))
        return found

    @property
    def phrases(self) -> tuple[Phrase, ...]:
        return (*self.any, *self.all, *(phrase for near in self.near for phrase in (*near.find, *near.of)))


@dataclass(frozen=True, slots=True)
class Example:
    """An example sentence a pattern must (or must not) match, or the value it must read."""

    text: str
    location: Location
    matches: bool = True
    value: float | None = None


@dataclass(frozen=True, slots=True)
class FlagPattern:
    """A red flag: what it says, how severe, and how to spot it."""

    says: str
    severity: str
    match: Matcher
    examples: tuple[Example, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class ValuePattern:
    """How to read a term's value: a quantity in the term's unit near some words."""

    term: str
    near: tuple[Phrase, ...]
    within: int
    examples: tuple[Example, ...]
    location: Location

    def read(self, prepared: Prepared, unit: str) -> tuple[float, Span] | None:
        """The first quantity in ``unit``'s family within ``within`` words of ``near``, in the same sentence."""
        family = unit_family(unit)
        if family is None:
            return None
        anchors = [(prepared.word_at(span.start), prepared.sentence_at(span.start))
                   for phrase in self.near for span in phrase.spans(prepared)]
        for quantity in quantities(prepared.text):
            value = convert(quantity, family)
            if value is None:
                continue
            if self.near:
                word, sentence = prepared.word_at(quantity.span.start), prepared.sentence_at(quantity.span.start)
                if not any(abs(anchor - word) <= self.within and where == sentence for anchor, where in anchors):
                    continue
            return value, quantity.span
        return None


@dataclass(frozen=True, slots=True)
class ItemPatterns:
    """Every pattern of one item: its topic, what meets our position, red flags, term values."""

    item: str
    topic: Matcher
    meets: Matcher | None
    flags: tuple[FlagPattern, ...]
    values: tuple[ValuePattern, ...]
    examples: tuple[Example, ...]
    location: Location
    section: tuple[Phrase, ...] = ()
    meets_examples: tuple[Example, ...] = ()
    definitions: bool = False  # also look in definitions when no clause states the topic


# --- quantities ----------------------------------------------------------------------

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_NUMBER_WORD = "(?:" + "|".join(sorted([*_SMALL, "hundred"], key=len, reverse=True)) + ")"
_WORDS = rf"{_NUMBER_WORD}(?:[\s-]+(?:and[\s-]+)?{_NUMBER_WORD})*"
_UNIT = (r"business\s+days?|working\s+days?|calendar\s+days?|days?|weeks?|months?|years?|hours?|minutes?"
         r"|%|percent|per\s+cent|times|x(?!\w)")
_QUANTITY = _Lazy(
    rf"(?<![\w.])(?:(?P<words>{_WORDS})\s*\(\s*(?P<digits>\d+(?:\.\d+)?)\s*\)|(?P<number>\d+(?:\.\d+)?)|(?P<only>{_WORDS}))"
    rf"(?:\s+or\s+(?:more|fewer|less))?(?:\s+(?:consecutive|full))?(?:\s*-\s*|\s*)(?P<unit>{_UNIT})(?!\w)",
    re.IGNORECASE,
)
_FEES_MONTHS = _Lazy(
    rf"fees\b[^.;]{{0,90}}?\b(?:in|during|for|over)\s+the\s+(?:preceding\s+|prior\s+|previous\s+|last\s+)?"
    rf"(?:(?P<words>{_WORDS})\s*\(\s*(?P<digits>\d+)\s*\)|(?P<number>\d+)|(?P<only>{_WORDS}))\s*(?:-\s*)?months?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit as written in the contract."""

    value: float
    unit: str  # days, business_days, weeks, months, years, hours, minutes, percent, times, fee_months
    span: Span


def words_to_number(text: str) -> float | None:
    """``forty-five`` → 45, ``one hundred and twenty`` → 120."""
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text.lower()):
        if word == "and" or not word:
            continue
        if word == "hundred":
            current = max(current, 1) * 100
        elif word in _SMALL:
            current += _SMALL[word]
        else:
            return None
    return float(total + current)


def _unit_name(raw: str) -> str:
    raw = " ".join(raw.lower().split())
    if raw.startswith(("business", "working")):
        return "business_days"
    if raw.startswith("calendar") or raw.startswith("day"):
        return "days"
    if raw in ("%", "percent", "per cent"):
        return "percent"
    if raw == "x" or raw == "times":
        return "times"
    return raw.rstrip("s") + "s"


def _number(match: re.Match[str]) -> float | None:
    for group in ("digits", "number"):
        if match.group(group):
            return float(match.group(group))
    return words_to_number(match.group("only"))


def quantities(text: str) -> list[Quantity]:
    """Every number with a unit in ``text``, in order: ``thirty (30) days``, ``99.9%``, ``2x``."""
    found = []
    for match in _QUANTITY.finditer(text):
        value = _number(match)
        if value is not None:
            found.append(Quantity(value, _unit_name(match.group("unit")), Span(match.start(), match.end())))
    for match in _FEES_MONTHS.finditer(text):
        value = _number(match)
        if value is not None:
            found.append(Quantity(value, "fee_months", Span(match.start(), match.end())))
    return sorted(found, key=lambda quantity: quantity.span.start)


def unit_family(unit: str) -> str | None:
    """The family of a term's unit that values can be read in, or ``None`` (counts, money)."""
    unit = unit.lower()
    if unit.startswith("%") or unit.startswith("percentage point"):
        return "percent"
    for family, words in (("business_days", ("business day", "working day")), ("minutes", ("minute",)),
                          ("hours", ("hour",)), ("days", ("day",)), ("months", ("month",)), ("times", ("times",))):
        if any(unit.startswith(word) for word in words):
            return family
    return None


_TO = {
    "days": {"days": 1, "business_days": 7 / 5, "weeks": 7, "months": 30, "years": 365},
    "business_days": {"business_days": 1, "days": 5 / 7, "weeks": 5},
    "months": {"months": 1, "years": 12},
    "hours": {"hours": 1, "days": 24, "business_days": 24 * 7 / 5, "minutes": 1 / 60},
    "minutes": {"minutes": 1, "hours": 60},
    "percent": {"percent": 1},
    "times": {"times": 1, "fee_months": 1 / 12},
}


def convert(quantity: Quantity, family: str) -> float | None:
    """``quantity`` in ``family``'s unit, or ``None`` when it is not that kind of quantity."""
    factor = _TO.get(family, {}).get(quantity.unit)
    if factor is None:
        return None
    value = quantity.value * factor
    return round(value, 2) if not float(value).is_integer() else float(value)

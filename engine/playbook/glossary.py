"""Defined terms: finding the capitalised terms clause language uses.

Contract drafting capitalises a defined term ("the Transition Period") and
defines it once. The playbook's registry (``definitions.yaml``) holds each
term with its definition and the items whose clauses use it, so that a
briefing pack can print exactly the definitions its clauses need. This module
says which terms a piece of clause text uses, and which capitalised phrases
in it look like defined terms the registry lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

__all__ = ["mentions", "plain_text", "undefined_candidates", "uses"]

_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{#.*?#\}", re.S)
_TAG = re.compile(r"\{%.*?%\}", re.S)
_WORD = r"[A-Z][a-z0-9]*(?:-[A-Za-z0-9]+)*\b"
#: two or more capitalised words, "of" allowed between them (Change of Control)
_RUN = re.compile(rf"\b{_WORD}(?:[ \t]+(?:of[ \t]+)?{_WORD})+")
#: a quoted phrase in title case: how a clause introduces a defined term, (the "Exit Plan")
_QUOTED = re.compile(r'"([A-Z][A-Za-z0-9-]*(?: (?:of |and |the |for |to )*[A-Z][A-Za-z0-9-]*){0,6})"')
_ARTICLE = re.compile(r"^(?:A|An|The|Each|Any|All|No) ")
#: where a sentence starts: its first word is capitalised by grammar, not by definition
_STARTS = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|\([a-z0-9]{1,4}\)\s*)(?=[A-Z])")
#: a paragraph's own title, "Invoicing and Payment. ...", at a line's start or just after a template tag
_HEADING = re.compile(r"(?:^|(?<=\x00))[ \t]*(?:[A-Z][A-Za-z-]*[ \t]*)(?:(?:of|and|for|to|the|on|in|with)[ \t]+|[A-Z][A-Za-z-]*[ \t]*){0,8}\.(?=\s)", re.M)


def plain_text(template: str) -> str:
    """A template's literal text: ``{{ ... }}`` read as a lower-case word, tags removed."""
    return _TAG.sub(" ", _TEMPLATE.sub(" x ", template))


def _forms(term: str) -> list[str]:
    """How a term is written: itself, and its singular or plural stem."""
    forms = [term]
    if term.endswith("s"):
        forms.append(term[:-1])
    if term.endswith("ies"):
        forms.append(term[:-3] + "y")
    elif term.endswith("y"):
        forms.append(term[:-1] + "ies")
    return forms


@lru_cache(maxsize=1024)
def _pattern(term: str) -> re.Pattern[str]:
    forms = "|".join(re.escape(form) for form in _forms(term))
    return re.compile(rf"(?<![A-Za-z-])(?:{forms})(?:s|es)?(?![A-Za-z-])")


def mentions(text: str, term: str) -> bool:
    """Whether ``text`` uses the defined term ``term``, in the singular or the plural."""
    return _pattern(term).search(text) is not None


class _Phrases:
    """Terms and names to find in text, indexed by their first three characters (every form shares them)."""

    def __init__(self, phrases: tuple[str, ...]) -> None:
        self.by_start: dict[str, list[tuple[str, list[str]]]] = {}
        for phrase in phrases:  # longest first
            self.by_start.setdefault(phrase[:3], []).append((phrase, _forms(phrase)))
        starts = sorted(self.by_start, key=len, reverse=True)
        firsts = "".join(sorted({start[0] for start in starts if start}))
        # Zero-width, so that starts overlapping one another are all seen. The class of first characters
        # comes before the alternation: most places fail on it at once (the scan takes 6 ms, not 15, on a pack).
        guard = f"(?=[{re.escape(firsts)}])" if firsts else ""
        self.scan = re.compile(f"(?<![A-Za-z-]){guard}(?=(" + "|".join(re.escape(start) for start in starts) + "))")

    def find(self, text: str) -> set[str]:
        """The phrases ``text`` uses, each place read once: the longest phrase there wins."""
        found: set[str] = set()
        after = 0
        by_start = self.by_start
        for start in self.scan.finditer(text):
            at = start.start()
            if at < after:
                continue  # inside a longer phrase found already
            # longest first: phrases of three characters or more, then the shorter ones ("EU") starting here
            candidates = [*by_start.get(text[at:at + 3], ()), *by_start.get(text[at:at + 2], ()), *by_start.get(text[at:at + 1], ())]
            end = self._match(text, at, candidates)
            if end is not None:
                found.add(end[0])
                after = end[1]
        return found

    @staticmethod
    def _match(text: str, at: int, candidates: list[tuple[str, list[str]]]) -> tuple[str, int] | None:
        for phrase, forms in candidates:
            for form in forms:
                if not text.startswith(form, at):
                    continue
                end = at + len(form)
                # as the regex (?:s|es)?(?![A-Za-z-]) would: "s", then "es", then nothing
                for stop in (end + 1 if text.startswith("s", end) else -1, end + 2 if text.startswith("es", end) else -1, end):
                    if stop >= 0 and (stop == len(text) or not _glued(text[stop])):
                        return phrase, stop
        return None


def _glued(character: str) -> bool:
    return character == "-" or ("A" <= character <= "Z") or ("a" <= character <= "z")


@lru_cache(maxsize=64)
def _phrases(phrases: tuple[str, ...]) -> _Phrases:
    return _Phrases(phrases)


def uses(text: str, terms: Iterable[str], names: Iterable[str] = ()) -> set[str]:
    """The ``terms`` that ``text`` uses, longest first: a term inside a longer term or a name does not count.

    "Amazon Web Services" is a name, not a use of Services; "Service Level
    Failure" uses that term, whose definition in turn uses Service Level.
    """
    terms = set(terms)
    phrases = tuple(sorted({*terms, *names}, key=lambda phrase: (-len(phrase), phrase)))
    if not phrases:
        return set()
    return _phrases(phrases).find(text) & terms


def _singular(phrase: str) -> Iterator[str]:
    yield phrase
    if phrase.endswith("ies"):
        yield phrase[:-3] + "y"
    if phrase.endswith("y"):
        yield phrase[:-1] + "ies"
    if phrase.endswith("es"):
        yield phrase[:-2]
    if phrase.endswith("s"):
        yield phrase[:-1]
    yield phrase + "s"


def undefined_candidates(template: str, known: Iterable[str]) -> list[str]:
    """Capitalised phrases in a clause that look like defined terms and are not in ``known``.

    Two kinds: a quoted capitalised phrase (how a clause defines a term), and
    two or more capitalised words not at the start of a sentence and not a
    paragraph's title. ``known`` holds the registry's terms and its names.
    """
    known = set(known)
    # a tag often opens a paragraph ({% if %}Licence Mobility. ...): mark where tags were, so its title is found
    marked = _TAG.sub("\x00", _TEMPLATE.sub(" x ", template))
    text = _HEADING.sub("x ", marked).replace("\x00", " ")
    starts = {match.end() for match in _STARTS.finditer(text)}
    found: list[str] = [match.group(1).strip() for match in _QUOTED.finditer(text)]
    for match in _RUN.finditer(text):
        phrase = _ARTICLE.sub("", match.group(0))
        if " " not in phrase:
            continue
        if match.start() in starts and phrase == match.group(0):
            # the first word is capitalised by grammar (an article already was); the rest may still be a term
            first, _, rest = phrase.partition(" ")
            if first in known or any(candidate in known for candidate in _singular(phrase)):
                continue
            phrase = rest.removeprefix("of ").strip()
            if " " not in phrase:
                continue
        found.append(phrase)
    return [phrase for phrase in dict.fromkeys(found) if not any(candidate in known for candidate in _singular(phrase))]

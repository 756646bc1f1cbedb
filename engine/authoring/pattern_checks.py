"""Checking a playbook's patterns against their own example sentences.

Every topic, ``meets`` wording and red flag carries sentences it must match
and sentences it must not; every value pattern carries sentences with the
value it must read (or ``null``). ``dealbook test`` runs them all and
reports pattern coverage (items with patterns, numeric terms with a value
pattern); ``dealbook lint`` reports the same failures as lint codes, plus
topics that also match another item's examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..errors import Location
from ..playbook.model import Playbook
from ..playbook.patterns import Example, ItemPatterns, Matcher, prepare, unit_family

__all__ = ["ExampleFailure", "example_failures", "pattern_coverage", "coverage_lines", "overlaps"]


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """An example sentence its pattern gets wrong."""

    item: str
    what: str  # topic, meets, flag N, value TERM
    example: Example
    message: str

    def __str__(self) -> str:
        return f"{self.example.location}: {self.item} {self.what}: {self.message}"


def _matcher_failures(item: str, what: str, matcher: Matcher, examples: tuple[Example, ...]) -> Iterator[ExampleFailure]:
    matcher = replace(matcher, heading=())  # example sentences have no heading; the scope is checked on real paper
    for example in examples:
        found = matcher.find(prepare(example.text)) is not None
        if found != example.matches:
            verb = "does not match" if example.matches else "matches"
            yield ExampleFailure(item, what, example, f"{verb} {'positive' if example.matches else 'negative'} example {example.text!r}")


def _pattern_failures(playbook: Playbook, patterns: ItemPatterns) -> Iterator[ExampleFailure]:
    yield from _matcher_failures(patterns.item, "topic", patterns.topic, patterns.examples)
    if patterns.meets is not None:
        yield from _matcher_failures(patterns.item, "meets", patterns.meets, patterns.meets_examples)
    for number, flag in enumerate(patterns.flags, 1):
        yield from _matcher_failures(patterns.item, f"flag {number}", flag.match, flag.examples)
    for value in patterns.values:
        term = playbook.terms_by_id.get(value.term)
        if term is None:
            continue
        for example in value.examples:
            read = value.read(prepare(example.text), term.unit)
            got = None if read is None else read[0]
            if got != example.value:
                yield ExampleFailure(patterns.item, f"value {value.term}", example,
                                     f"reads {got if got is not None else 'nothing'} from {example.text!r}, expected {example.value if example.value is not None else 'nothing'}")


def example_failures(playbook: Playbook) -> list[ExampleFailure]:
    """Every example its pattern gets wrong, in file order."""
    return [failure for patterns in playbook.patterns for failure in _pattern_failures(playbook, patterns)]


def overlaps(playbook: Playbook) -> Iterator[tuple[Location, str]]:
    """Topics that match another item's positive topic examples: the two items would claim the same clause."""
    for patterns in playbook.patterns:
        for other in playbook.patterns:
            if other.item == patterns.item:
                continue
            for example in other.examples:
                if example.matches and replace(patterns.topic, heading=()).find(prepare(example.text)) is not None:
                    yield (patterns.topic.location or patterns.location,
                           f"topic of '{patterns.item}' also matches an example of '{other.item}': {example.text!r}")
                    break


def pattern_coverage(playbook: Playbook) -> tuple[tuple[int, int], tuple[int, int]]:
    """``((items with patterns, items), (numeric terms with a value pattern, numeric terms))``."""
    items = (sum(item.id in playbook.patterns_by_item for item in playbook.items), len(playbook.items))
    readable = [term for term in playbook.terms if unit_family(term.unit) is not None]
    valued = {value.term for patterns in playbook.patterns for value in patterns.values}
    return items, (sum(term.id in valued for term in readable), len(readable))


def coverage_lines(playbook: Playbook) -> list[str]:
    """Pattern results and coverage for ``dealbook test``."""
    if not playbook.patterns:
        return []
    failures = example_failures(playbook)
    examples = sum(len(patterns.examples) + len(patterns.meets_examples) + sum(len(flag.examples) for flag in patterns.flags)
                   + sum(len(value.examples) for value in patterns.values) for patterns in playbook.patterns)
    (items, total_items), (terms, total_terms) = pattern_coverage(playbook)
    lines = ["", f"Pattern examples: {examples - len(failures)}/{examples} pass"]
    lines += [f"  FAIL {failure}" for failure in failures]
    lines += ["Pattern coverage",
              f"  {'items located:':<20} {items:>4}/{total_items:<4} {100.0 * items / total_items if total_items else 100.0:5.1f}%",
              f"  {'term values read:':<20} {terms:>4}/{total_terms:<4} {100.0 * terms / total_terms if total_terms else 100.0:5.1f}%"]
    return lines

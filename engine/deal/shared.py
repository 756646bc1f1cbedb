"""What every evaluation of one playbook shares: term values, item results, renders.

Deals of one playbook read mostly alike. Whatever depends only on the
playbook, or on a few answers, is kept here per playbook (in weak
dictionaries, so a playbook no longer used takes its entries with it) and
reused by every :class:`~dealbook.deal.evaluation.Evaluation`: the terms at
the playbook's own values, item results no rule tailored, rendered
templates by what they read, the terms a template reads by what decides its
branches. Each table is bounded and starts over when full.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..errors import Location
from ..playbook.clauses import TermValue, branch_reads
from ..playbook.model import PRIORITIES, Item, Module, Playbook
from .result import ItemResult, TermResult

__all__ = ["Shared", "PlaybookTerms", "SharedItem", "shared", "reads_key", "terms_key", "MAX_RENDERS", "MAX_SHARED"]

#: Entries a table of renders holds before it starts over.
MAX_RENDERS = 50_000
#: Entries a table of shared results (an item's, a term's) holds before it starts over.
MAX_SHARED = 512


@dataclass(frozen=True, slots=True)
class PlaybookTerms:
    """Every term at the playbook's own values: what a deal gets unless a rule sets the term."""

    results: Mapping[str, TermResult]
    values: Mapping[str, TermValue]
    #: option labels by question, for the questions that have options
    labels: Mapping[str, Mapping[str, str]]
    #: terms as rules set them, by (term, the rules' settings): deals whose rules set a term alike share the result
    set: dict[tuple[Any, ...], TermResult]


@dataclass(frozen=True, slots=True)
class SharedItem:
    """An item with what every deal shares: its module, its priority's rank, and its results when no rule tailors it."""

    item: Item
    module: Module
    rank: int
    #: results of the item when no rule tailors it, by what its condition read (one entry for an item without one)
    by_reads: dict[tuple[Any, ...], ItemResult] = field(default_factory=dict)


Plan = tuple[tuple[tuple[str, Location], ...], tuple[tuple[str, ...], tuple[str, ...]] | None]


@dataclass(frozen=True, slots=True)
class Shared:
    """Everything the evaluations of one playbook share; an evaluation looks it up once (:func:`shared`)."""

    terms: PlaybookTerms
    items: tuple[SharedItem, ...]
    #: rendered templates by what they read (option labels are the playbook's)
    renders: dict[tuple[Any, ...], str] = field(default_factory=dict)
    #: rendered templates with the terms each read (for what the pack prints)
    noted: dict[tuple[Any, ...], tuple[str, frozenset[str]]] = field(default_factory=dict)
    #: the terms a template, or an item's printed guidance, reads, by what decides its branches
    terms_read: dict[tuple[Any, ...], frozenset[str]] = field(default_factory=dict)
    #: per (item, opening tier): the templates it prints with Jinja in them, and what decides all their branches
    plans: dict[tuple[str, int], Plan] = field(default_factory=dict)
    #: templates without Jinja in them, as printed (no deal name ending in "." to tidy them for)
    plain: dict[str, str] = field(default_factory=dict)

    def printed_templates(self, item: Item, tier: int) -> Plan:
        """The templates an item prints opening at ``tier`` (the ones with Jinja in them), and what decides all their branches."""
        plan = self.plans.get((item.id, tier))
        if plan is None:
            positions = item.positions
            templates = [(item.rationale, item.location), *((point, item.location) for point in item.talking_points)]
            for position in (positions.tier(tier), *positions.fallbacks[tier:], positions.walk_away):
                templates += [(position.summary, position.location)] + ([(position.clause, position.location)] if position.clause else [])
            templated = tuple((template, location) for template, location in templates if "{" in template)
            branches = [branch_reads(template) for template, _ in templated]
            merged = None if any(branch is None for branch in branches) else (
                tuple(sorted({name for branch in branches for name in branch[0]})),  # type: ignore[index]
                tuple(sorted({term for branch in branches for term in branch[1]})))  # type: ignore[index]
            plan = self.plans[(item.id, tier)] = (templated, merged)
        return plan


_SHARED: weakref.WeakKeyDictionary[Playbook, Shared] = weakref.WeakKeyDictionary()


def shared(playbook: Playbook) -> Shared:
    """What the evaluations of ``playbook`` share, made on first use."""
    found = _SHARED.get(playbook)
    if found is None:
        results = {term.id: TermResult(term, term.target, term.fallback, term.walk_away) for term in playbook.terms}
        values = {term.id: TermValue(term, term.target, term.fallback, term.walk_away) for term in playbook.terms}
        labels = {question.id: question.option_labels for question in playbook.questions if question.options}
        # Read-only views: every evaluation of the playbook shares them.
        terms = PlaybookTerms(MappingProxyType(results), MappingProxyType(values), labels, {})
        modules = playbook.modules_by_id
        items = tuple(SharedItem(item, modules[item.module], PRIORITIES.index(item.priority)) for item in playbook.items)
        found = _SHARED[playbook] = Shared(terms, items)
    return found


def terms_key(term_ids: tuple[str, ...], terms: Mapping[str, TermResult]) -> tuple[Any, ...]:
    """What ``term_ids`` hold for a deal, as a dictionary key (``None`` for a term the playbook lacks)."""
    return tuple([None if (term := terms.get(term_id)) is None else (term.target, term.fallback, term.walk_away)
                  for term_id in term_ids])


def reads_key(names: tuple[str, ...], values: Mapping[str, Any]) -> tuple[Any, ...]:
    """What ``names`` hold, as a dictionary key: 1, 1.0 and True stay apart (they read differently), lists become tuples."""
    return tuple([(type(value), tuple(value) if type(value) is list else value) for value in map(values.get, names)])

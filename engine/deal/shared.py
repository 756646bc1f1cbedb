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

__all__ = [
    "PlaybookTerms", "playbook_terms", "SharedItem", "playbook_items", "printed_templates", "reads_key",
    "shared_renders", "shared_noted", "shared_terms_read", "MAX_RENDERS", "MAX_SHARED",
]


@dataclass(frozen=True, slots=True)
class PlaybookTerms:
    """Every term at the playbook's own values: what a deal gets unless a rule sets the term."""

    results: Mapping[str, TermResult]
    values: Mapping[str, TermValue]
    #: option labels by question, for the questions that have options
    labels: Mapping[str, Mapping[str, str]]
    #: terms as rules set them, by (term, the rules' settings): deals whose rules set a term alike share the result
    set: dict[tuple[Any, ...], TermResult]


_DEFAULT_TERMS: weakref.WeakKeyDictionary[Playbook, PlaybookTerms] = weakref.WeakKeyDictionary()


def playbook_terms(playbook: Playbook) -> PlaybookTerms:
    # Most deals set few terms: the rest are shared by every evaluation of the playbook.
    terms = _DEFAULT_TERMS.get(playbook)
    if terms is None:
        results = {term.id: TermResult(term, term.target, term.fallback, term.walk_away) for term in playbook.terms}
        values = {term.id: TermValue(term, term.target, term.fallback, term.walk_away) for term in playbook.terms}
        # Read-only views: every evaluation of the playbook shares them.
        labels = {question.id: question.option_labels for question in playbook.questions if question.options}
        terms = _DEFAULT_TERMS[playbook] = PlaybookTerms(MappingProxyType(results), MappingProxyType(values), labels, {})
    return terms


@dataclass(frozen=True, slots=True)
class SharedItem:
    """An item with what every deal shares: its module, its priority's rank, and its results when no rule tailors it."""

    item: Item
    module: Module
    rank: int
    #: results of the item when no rule tailors it, by what its condition read (one entry for an item without one)
    by_reads: dict[tuple[Any, ...], ItemResult] = field(default_factory=dict)


_ITEMS: weakref.WeakKeyDictionary[Playbook, tuple[SharedItem, ...]] = weakref.WeakKeyDictionary()


def playbook_items(playbook: Playbook) -> tuple[SharedItem, ...]:
    items = _ITEMS.get(playbook)
    if items is None:
        modules = playbook.modules_by_id
        items = _ITEMS[playbook] = tuple(SharedItem(item, modules[item.module], PRIORITIES.index(item.priority)) for item in playbook.items)
    return items


#: Rendered templates by what they read, per playbook (option labels are the playbook's); cleared when full.
_RENDERS: weakref.WeakKeyDictionary[Playbook, dict[tuple[Any, ...], str]] = weakref.WeakKeyDictionary()
MAX_RENDERS = 50_000
_PRINTED_TEMPLATES: weakref.WeakKeyDictionary[Playbook, dict[tuple[str, int], Any]] = weakref.WeakKeyDictionary()


def printed_templates(playbook: Playbook, item: Item, tier: int) -> tuple[tuple[tuple[str, Location], ...], tuple[tuple[str, ...], tuple[str, ...]] | None]:
    """The templates an item prints opening at ``tier`` (the ones with Jinja in them), and what decides all their branches."""
    plans = _PRINTED_TEMPLATES.get(playbook)
    if plans is None:
        plans = _PRINTED_TEMPLATES[playbook] = {}
    plan = plans.get((item.id, tier))
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
        plan = plans[(item.id, tier)] = (templated, merged)
    return plan


#: The terms a template reads, by what decides its branches, per playbook.
_NOTED_TERMS: weakref.WeakKeyDictionary[Playbook, dict[tuple[Any, ...], frozenset[str]]] = weakref.WeakKeyDictionary()
#: Rendered templates with the terms each read, per playbook (for what the pack prints).
_NOTED: weakref.WeakKeyDictionary[Playbook, dict[tuple[Any, ...], tuple[str, frozenset[str]]]] = weakref.WeakKeyDictionary()
MAX_SHARED = 512


def reads_key(names: tuple[str, ...], values: Mapping[str, Any]) -> tuple[Any, ...]:
    """What ``names`` hold, as a dictionary key: 1, 1.0 and True stay apart (they read differently), lists become tuples."""
    key = []
    for name in names:
        value = values.get(name)
        key.append((type(value), tuple(value) if isinstance(value, list) else value))
    return tuple(key)


def shared_renders(playbook: Playbook) -> dict[tuple[Any, ...], str]:
    """Rendered templates by what they read, shared by every evaluation of ``playbook``."""
    renders = _RENDERS.get(playbook)
    if renders is None:
        renders = _RENDERS[playbook] = {}
    return renders


def shared_noted(playbook: Playbook) -> dict[tuple[Any, ...], tuple[str, frozenset[str]]]:
    """Rendered templates with the terms each read, shared by every evaluation of ``playbook``."""
    noted = _NOTED.get(playbook)
    if noted is None:
        noted = _NOTED[playbook] = {}
    return noted


def shared_terms_read(playbook: Playbook) -> dict[tuple[Any, ...], frozenset[str]]:
    """The terms a template (or an item's printed guidance) reads, by what decides its branches."""
    noted = _NOTED_TERMS.get(playbook)
    if noted is None:
        noted = _NOTED_TERMS[playbook] = {}
    return noted

"""What every evaluation of one playbook shares: term values, item results, renders.

Deals of one playbook read mostly alike. Whatever depends only on the
playbook, or on a few answers, is kept here per playbook (in weak
dictionaries, so a playbook no longer used takes its entries with it) and
reused by every :class:`~dealbook.deal.evaluation.Evaluation`: the terms at
the playbook's own values, item results (one per way rules tailor an item), rendered
templates by what they read, the terms a template reads by what decides its
branches. Each table is bounded and starts over when full.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..errors import Location
from ..playbook.clauses import TermValue, branch_reads, compared_in, template_reads, truth_reads
from ..playbook.model import PRIORITIES, Item, Module, Playbook, Position
from ..playbook.wording_checks import templates_of
from .keys import DealKeys, TermKeys, picker, tuple_picker
from .result import Approval, ItemResult, RiskFlag, TermResult

__all__ = ["Shared", "PlaybookTerms", "SharedItem", "ItemPlan", "KeyPlan", "Pick", "shared", "MAX_RENDERS", "MAX_SHARED"]

#: Entries a table of renders holds before it starts over (the templates' own tables: all of them together).
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
    #: terms as one rule alone set them, by the id of that rule's settings (see ``Evaluation.terms_by_id``)
    by_rule: dict[int, tuple[Mapping[str, Any], TermResult]]
    #: every term's key part at the playbook's own values: its result (see :mod:`.keys`)
    keys: TermKeys


@dataclass(frozen=True, slots=True)
class SharedItem:
    """An item with what every deal shares: its module, its priority's rank, its results."""

    item: Item
    module: Module
    rank: int
    #: the item's terms at the playbook's own values, and what picks them from a deal's (as a tuple)
    terms: tuple[TermResult, ...]
    pick_terms: Callable[[Mapping[str, TermResult]], tuple[TermResult, ...]]
    #: the position it opens with, by opening tier
    openings: tuple[Position, ...]
    #: its result for every deal the rules leave it alone in
    untailored: ItemResult
    #: its results as rules tailored it, by (priority rank, opening tier, the terms' values if rules set them)
    tailored: dict[tuple[Any, ...], ItemResult] = field(default_factory=dict)


Pick = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True, slots=True, eq=False)
class KeyPlan:
    """What a key picks from a deal's key parts (:mod:`.keys`): values, truths (``None``: none) and terms."""

    values: Pick
    truths: Pick | None
    terms: Pick
    #: whether the deal's own fields count (a template reading ``deal``, or the money filter its currency)
    deal: bool
    #: whether it picks nothing at all: the same for every deal
    fixed: bool = False
    #: for a template's render key: its renders, and its renders with the terms each read (for what the pack
    #: prints), by what they read — a table per template, each small enough to stay near the processor
    texts: dict[tuple[Any, ...], str] = field(default_factory=dict)
    noted: dict[tuple[Any, ...], tuple[str, frozenset[str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, names: tuple[str, ...], tested: tuple[str, ...], term_ids: tuple[str, ...], deal: bool) -> KeyPlan:
        """A plan for ``names`` read (``tested`` among them only tested) and ``term_ids``."""
        values = tuple(name for name in names if name not in tested and name != "deal")
        return cls(picker(values), picker(tested) if tested else None, picker(term_ids), deal,
                   not values and not tested and not term_ids and not deal)

    def key(self, keys: DealKeys, deal: Any) -> tuple[Any, Any, Any, Any]:
        """What a deal with ``keys`` (its fields ``deal``) holds of what this plan picks."""
        truths = self.truths
        return (deal if self.deal else None, self.values(keys.values), None if truths is None else truths(keys.truths), self.terms(keys.terms))


@dataclass(frozen=True, slots=True, eq=False)
class ItemPlan:
    """What an item prints opening at one tier: the templates with Jinja in them, and what decides all their branches."""

    templates: tuple[tuple[str, Location], ...]
    #: what decides the branches, as a key; ``None`` when that cannot be told
    branches: KeyPlan | None
    #: the terms the item carries that its printed guidance reads, by what decides the branches (``None``: fixed)
    reads: dict[Any, frozenset[str]] = field(default_factory=dict)


_UNKNOWN: Any = object()


@dataclass(frozen=True, slots=True)
class Shared:
    """Everything the evaluations of one playbook share; an evaluation looks it up once (:func:`shared`)."""

    terms: PlaybookTerms
    items: tuple[SharedItem, ...]
    #: the indexes of the items carrying each term
    carried: Mapping[str, tuple[int, ...]]
    #: the names the playbook's templates read, those they test, and the constants they compare each with (see :mod:`.keys`)
    value_names: tuple[str, ...] = ()
    truth_names: tuple[str, ...] = ()
    comparisons: Mapping[str, tuple[tuple[str, Any], ...]] = field(default_factory=dict)
    #: how many more renders the templates' tables (:attr:`KeyPlan.texts`, :attr:`KeyPlan.noted`) may keep
    room: list[int] = field(default_factory=lambda: [MAX_RENDERS])
    #: the terms a template reads, by what decides its branches
    terms_read: dict[tuple[Any, ...], frozenset[str]] = field(default_factory=dict)
    #: per (item, opening tier): what it prints
    plans: dict[tuple[str, int], ItemPlan] = field(default_factory=dict)
    #: templates without Jinja in them, as printed (no deal name ending in "." to tidy them for)
    plain: dict[str, str] = field(default_factory=dict)
    #: approvals by (department, the rules that asked for it)
    approvals: dict[tuple[Any, ...], Approval] = field(default_factory=dict)
    #: risk flags by (rule, message template, message as rendered); those in plain words by the id of the rule's entry
    flags: dict[tuple[Any, ...], RiskFlag] = field(default_factory=dict)
    plain_flags: dict[int, tuple[Any, RiskFlag]] = field(default_factory=dict)
    #: per template: what its render key picks, and what its branches' key picks (``None``: cannot be told)
    key_plans: dict[str, KeyPlan | None] = field(default_factory=dict)
    branch_plans: dict[str, KeyPlan | None] = field(default_factory=dict)

    def keep(self, table: dict[Any, Any], key: Any, render: Any) -> None:
        """Keep ``render`` in one of the templates' tables; when all of them together are full, they start over."""
        room = self.room
        if room[0] <= 0:
            self.key_plans.clear()  # and with the plans, their tables (the table given here goes too)
            room[0] = MAX_RENDERS
        room[0] -= 1
        table[key] = render

    def key_plan(self, template: str) -> KeyPlan | None:
        """What ``template``'s render key picks from a deal's key parts; ``None`` when what it reads cannot be told."""
        plan = self.key_plans.get(template, _UNKNOWN)
        if plan is _UNKNOWN:
            reads = template_reads(template)
            plan = None if reads is None else KeyPlan.of(reads[0], self.testable(template, truth_reads(template)[0]), reads[1],
                                                          "deal" in reads[0] or "money" in template)
            if len(self.key_plans) >= MAX_RENDERS:
                self.key_plans.clear()
            self.key_plans[template] = plan
        return plan

    def testable(self, template: str, tested: tuple[str, ...]) -> tuple[str, ...]:
        """The names of ``tested`` (only tested in ``template``) that a deal's truths can key: a name the template
        compares with a constant the playbook's templates do not is keyed by its value instead."""
        compared = compared_in(template)
        if not compared:
            return tested
        known = self.comparisons
        return tuple(name for name in tested
                     if all((operator, constant) in known.get(name, ()) for compared_name, operator, constant in compared
                            if compared_name == name))

    def branch_plan(self, template: str) -> KeyPlan | None:
        """What decides ``template``'s branches, as a key plan; ``None`` when that cannot be told."""
        plan = self.branch_plans.get(template, _UNKNOWN)
        if plan is _UNKNOWN:
            if len(self.branch_plans) >= MAX_RENDERS:
                self.branch_plans.clear()
            plan = self.branch_plans[template] = self._merged_branches((template,))
        return plan

    def _merged_branches(self, templates: tuple[str, ...]) -> KeyPlan | None:
        """What decides the branches of all ``templates``, as one key plan; ``None`` when that cannot be told for one."""
        branches = [branch_reads(template) for template in templates]
        if any(branch is None for branch in branches):
            return None
        names = sorted({name for branch in branches for name in branch[0]})  # type: ignore[index]
        testable = [set(self.testable(template, truth_reads(template)[1])) for template in templates]
        # only tested where every template that branches on it only tests it
        tested = tuple(name for name in names if all(name in can for can, branch in zip(testable, branches, strict=True)
                                                     if name in branch[0]))  # type: ignore[index]
        term_ids = tuple(sorted({term for branch in branches for term in branch[1]}))  # type: ignore[index]
        return KeyPlan.of(tuple(names), tested, term_ids, "deal" in names)


    def printed_templates(self, item: Item, tier: int) -> ItemPlan:
        """What an item prints opening at ``tier``: the templates with Jinja in them, and what decides all their branches."""
        plan = self.plans.get((item.id, tier))
        if plan is None:
            positions = item.positions
            templates = [(item.rationale, item.location), *((point, item.location) for point in item.talking_points)]
            for position in (positions.tier(tier), *positions.fallbacks[tier:], positions.walk_away):
                templates += [(position.summary, position.location)] + ([(position.clause, position.location)] if position.clause else [])
            templated = tuple((template, location) for template, location in templates if "{" in template)
            plan = self.plans[(item.id, tier)] = ItemPlan(templated, self._merged_branches(tuple(template for template, _ in templated)))
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
        keys = TermKeys(results)
        terms = PlaybookTerms(MappingProxyType(results), MappingProxyType(values), labels, {}, {}, keys)
        modules = playbook.modules_by_id
        items = []
        for item in playbook.items:
            module, item_terms = modules[item.module], tuple(results[term] for term in item.terms)
            openings = tuple(item.positions.tier(tier) for tier in range(len(item.positions.fallbacks) + 1))
            untailored = ItemResult(item, module, item.priority, 0, openings[0], item_terms)
            items.append(SharedItem(item, module, PRIORITIES.index(item.priority), item_terms, tuple_picker(item.terms), openings, untailored))
        carried: dict[str, list[int]] = {}
        for index, item in enumerate(playbook.items):
            for term_id in item.terms:
                carried.setdefault(term_id, []).append(index)
        read, tested, comparisons = _names_read(playbook)
        found = _SHARED[playbook] = Shared(terms, tuple(items), {term_id: tuple(indexes) for term_id, indexes in carried.items()},
                                           read, tested, comparisons)
    return found


def _names_read(playbook: Playbook) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, tuple[tuple[str, Any], ...]]]:
    """The names the playbook's templates read, those they test, and what they compare each with (from what
    validation analysed)."""
    read: set[str] = set()
    tested: set[str] = set()
    comparisons: dict[str, set[tuple[str, Any]]] = {}
    for source, _ in templates_of(playbook):
        if "{" in source and (reads := template_reads(source)) is not None:
            read.update(reads[0])
            for names in truth_reads(source):
                tested.update(names)
            for name, operator, constant in compared_in(source):
                comparisons.setdefault(name, set()).add((operator, constant))
    return (tuple(sorted(read - {"deal"})), tuple(sorted(tested)),
            {name: tuple(sorted(found, key=repr)) for name, found in comparisons.items()})

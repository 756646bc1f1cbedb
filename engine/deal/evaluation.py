"""The result of evaluating a deal, built on demand.

:func:`dealbook.evaluate` records only what conditions held and what effects
fired (an :class:`~dealbook.playbook.effects.Outcome`). :class:`Evaluation`
derives everything a negotiator reads from that — applicable items with their
opening position, skipped items with the reason, term values, risk flags,
approvers, and the decision trace (the records of :mod:`.result`) — each once,
when first asked for. Clause text is rendered only when a renderer or
``--explain`` asks for it (:mod:`.renders`); what deals of one playbook
share comes from :mod:`.shared`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import compress
from types import MappingProxyType
from typing import Any

from ..errors import Location
from ..infra.lazy import cached_property
from ..playbook.effects import Outcome, apply_effects
from ..playbook.glossary import uses
from ..playbook.model import PRIORITIES, SEVERITIES, Definition, Module, Playbook, Position
from ..playbook.values import show_raw
from .answers import Answers
from .keys import DealKeys, TermKeys
from .reasons import because_lines, reading
from .renders import DealRenders
from .result import (
    Approval,
    Assumption,
    Decision,
    ItemResult,
    RenderedPosition,
    RiskFlag,
    SkippedItem,
    TermResult,
    condition_reads,
    item_decision,
    rule_decision,
    tailoring,
)
from .shared import MAX_RENDERS, MAX_SHARED, Shared
from .shared import shared as shared_by_playbook

__all__ = ["Evaluation"]


@dataclass(frozen=True, slots=True)
class _Printed:
    """What the pack prints for a deal: the rendered texts, and per item the terms its texts read."""

    texts: tuple[str, ...]
    terms: dict[str, frozenset[str]]


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The playbook tailored to one deal. Build it with :func:`dealbook.evaluate`."""

    playbook: Playbook
    answers: Answers
    values: Mapping[str, Any] = field(repr=False)
    applies: tuple[bool, ...] = field(repr=False)
    fired: tuple[int, ...] = field(repr=False)

    @cached_property
    def _shared(self) -> Shared:
        return shared_by_playbook(self.playbook)

    @cached_property
    def outcome(self) -> Outcome:
        """The fired rules' effects, folded in playbook order."""
        return apply_effects(self.playbook, self.fired)

    # --- items -----------------------------------------------------------

    def _item_decision(self, index: int) -> Decision:
        return item_decision(self.playbook, self.values, index, bool(self.applies[index]))

    def _rule_decision(self, rule_index: int, outcome: str, subject: str) -> Decision:
        return rule_decision(self.playbook, self.values, rule_index, outcome, subject)

    @cached_property
    def applicable(self) -> tuple[str, ...]:
        """The ids of the items that apply, in playbook order (what :attr:`items` holds, without building it)."""
        outcome, applies = self.outcome, self.applies
        included, excluded = outcome.included, outcome.excluded
        return tuple(item.id for index, item in enumerate(self.playbook.items) if index not in excluded and (applies[index] or index in included))

    @cached_property
    def items(self) -> tuple[ItemResult, ...]:
        """Items that apply, in playbook order."""
        results: list[ItemResult] = []
        append = results.append
        outcome = self.outcome
        included, excluded, lowered, raised, tiers = outcome.included, outcome.excluded, outcome.lowered, outcome.raised, outcome.tiers
        tailored = included.keys() | lowered.keys() | raised.keys() | tiers.keys()
        set_terms = outcome.terms
        touched: set[int] = set()  # items carrying a term a rule set: their terms are this deal's own
        if set_terms:
            carried = self._shared.carried
            for term_id in set_terms:
                touched.update(carried.get(term_id, ()))
        for index, (shared, applies) in enumerate(zip(self._shared.items, self.applies, strict=True)):
            if not (applies or index in included) or index in excluded:
                continue
            if index not in tailored and index not in touched:
                append(shared.untailored)  # most items: the one result every deal the rules leave alone shares
                continue
            rank = shared.rank
            if index in lowered:
                rank = max(rank, lowered[index][0])
            if index in raised:
                rank = min(rank, raised[index][0])
            tier = tiers[index][0] if index in tiers else 0
            # deals tailored alike share the result: the same priority, opening and term values (and who set them)
            if index in touched:
                terms = shared.pick_terms(self.terms_by_id)
                key: tuple[Any, ...] = (rank, tier, terms)  # the term results themselves: one per way rules set a term
            else:
                terms, key = shared.terms, (rank, tier)
            result = shared.tailored.get(key)
            if result is None:
                if len(shared.tailored) >= MAX_SHARED:
                    shared.tailored.clear()
                result = shared.tailored[key] = ItemResult(shared.item, shared.module, PRIORITIES[rank], tier, shared.openings[tier], terms)
            append(result)
        return tuple(results)

    @cached_property
    def skipped(self) -> tuple[SkippedItem, ...]:
        """Items that do not apply, each with the decision that ruled it out."""
        skipped = []
        for index, item in enumerate(self.playbook.items):
            if index in self.outcome.excluded:
                skipped.append(SkippedItem(item, self._rule_decision(self.outcome.excluded[index], "excluded by rule", f"item {item.id}")))
            elif not (self.applies[index] or index in self.outcome.included):
                skipped.append(SkippedItem(item, self._item_decision(index)))
        return tuple(skipped)

    @cached_property
    def items_by_module(self) -> tuple[tuple[Module, tuple[ItemResult, ...]], ...]:
        """Applicable items grouped by module (modules without any are left out)."""
        groups = []
        for module in self.playbook.modules:
            items = tuple(result for result in self.items if result.item.module == module.id)
            if items:
                groups.append((module, items))
        return tuple(groups)

    # --- terms, flags, approvers --------------------------------------------

    @cached_property
    def terms_by_id(self) -> Mapping[str, TermResult]:
        """Every term's value for this deal (targets, fallbacks, walk-aways after rules)."""
        return MappingProxyType(self._term_results) if self.outcome.terms else self._shared.terms.results

    @cached_property
    def _term_results(self) -> TermKeys:
        """Every term's result for this deal, by id: :attr:`terms_by_id`, and the terms' key parts (see :mod:`.keys`)."""
        set_terms = self.outcome.terms
        results = TermKeys(self._shared.terms.keys)
        if not set_terms:
            return results
        defaults = self._shared.terms.results
        made, by_rule = self._shared.terms.set, self._shared.terms.by_rule
        for term_id, overrides in set_terms.items():
            # A term one rule set holds that rule's own settings, the same read-only object for every deal: found
            # by it (kept in the entry, so that its id stays its own). A term several rules set is found by its values.
            alone = type(overrides) is MappingProxyType
            if alone:
                found = by_rule.get(id(overrides))
                if found is not None and found[0] is overrides:
                    results[term_id] = found[1]
                    continue
            key = (term_id, *overrides.items())
            result = made.get(key)
            if result is None:
                term = defaults[term_id].term
                values = {name: overrides[name][0] if name in overrides else getattr(term, name) for name in ("target", "fallback", "walk_away")}
                rules = tuple(dict.fromkeys(self.playbook.rules[rule].id for _, rule in overrides.values()))
                if len(made) >= MAX_SHARED:
                    made.clear()
                result = made[key] = TermResult(term, values["target"], values["fallback"], values["walk_away"], rules)
            if alone:
                by_rule[id(overrides)] = (overrides, result)
            results[term_id] = result
        return results

    @cached_property
    def terms(self) -> tuple[TermResult, ...]:
        """The term sheet, in playbook order: terms applicable items carry and their printed guidance uses.

        An item worded per deal shape carries terms for every shape; a
        per-core deal's reassignment clause never names the waiting period
        for user licences, so the term sheet does not list it either.
        """
        shown: set[str] = set()
        terms_of = self._item_terms_read
        for result in self.items:
            if result.terms:  # the terms it carries that its printed guidance reads, as item_terms() tells
                shown.update(terms_of(result))
        by_id = self.terms_by_id
        return tuple(compress(by_id.values(), map(shown.__contains__, by_id)))

    def item_terms(self, result: ItemResult) -> tuple[TermResult, ...]:
        """The terms an applicable item carries that its guidance, as printed for this deal, uses."""
        if not result.terms:
            return ()
        read = self._item_terms_read(result)
        return tuple(term for term in result.terms if term.id in read)

    def _item_terms_read(self, result: ItemResult) -> frozenset[str]:
        """The terms an item carries that its printed guidance reads.

        Rendering everything the pack prints tells it on the way; without that, it is told from what decides
        the branches of the item's templates, shared with the deals that agree on that.
        """
        if "_printed" in self.__dict__:
            return self._printed.terms.get(result.id, frozenset()).intersection(result.item.terms)
        shared, item = self._shared, result.item
        plan = shared.plans.get((item.id, result.tier)) or shared.printed_templates(item, result.tier)
        branches = plan.branches
        if branches is None:  # told template by template
            return frozenset().union(*(self._terms_read(template, location) for template, location in plan.templates)).intersection(item.terms)
        if branches.fixed:  # the same branches for every deal
            key: Any = None
        else:  # branches.key(), written out: a term sheet looks up dozens of items per deal
            keys, truths = self._keys, branches.truths
            key = (self.answers.deal if branches.deal else None, branches.values(keys.values),
                   None if truths is None else truths(keys.truths), branches.terms(keys.terms))
        read = plan.reads.get(key)
        if read is None:
            read = frozenset().union(*(self._terms_read(template, location) for template, location in plan.templates)).intersection(item.terms)
            if len(plan.reads) >= MAX_SHARED:
                plan.reads.clear()
            plan.reads[key] = read
        return read

    def _terms_read(self, template: str, location: Location) -> frozenset[str]:
        plan = self._shared.branch_plan(template)
        if plan is None:
            return self.renders.noting_terms(template, location)[1]
        key = ("terms read", template, *plan.key(self._keys, self.answers.deal))
        noted = self._shared.terms_read
        read = noted.get(key)
        if read is None:
            read = self.renders.noting_terms(template, location)[1]
            if len(noted) >= MAX_RENDERS:
                noted.clear()
            noted[key] = read
        return read

    @cached_property
    def flags(self) -> tuple[RiskFlag, ...]:
        """Risk flags raised by rules, most severe first."""
        by_severity: dict[str, list[RiskFlag]] = {severity: [] for severity in SEVERITIES}
        made, plain, rules, render = self._shared.flags, self._shared.plain_flags, self.playbook.rules, self.render
        deal = self.answers.deal
        tidied = any(name and name.endswith(".") for name in (deal.vendor, deal.customer, deal.product))
        for entry in self.outcome.flags:
            rule, effect = entry
            # A message in plain words is the same flag for every deal (unless a name ending in "." tidies it);
            # the rule's own entry, the same object for every deal, finds it (kept, so that its id stays its own).
            found = plain.get(id(entry)) if not tidied else None
            if found is not None and found[0] is entry:
                by_severity[effect.level].append(found[1])
                continue
            message = render(effect.message, effect.location)
            key = (rule, effect.message, message)  # deals whose rule raised the same words share the flag
            flag = made.get(key)
            if flag is None:
                if len(made) >= MAX_RENDERS:
                    made.clear()
                flag = made[key] = RiskFlag(effect.level, message, rules[rule], rules[rule].because)
            if not tidied and "{" not in effect.message:
                plain[id(entry)] = (entry, flag)
            by_severity[effect.level].append(flag)
        return tuple(flag for flags in by_severity.values() for flag in flags)

    @cached_property
    def approvals(self) -> tuple[Approval, ...]:
        """Departments whose approval rules require, in playbook department order."""
        departments, approvers, made = self.playbook.departments_by_id, self.outcome.approvers, self._shared.approvals
        rules = self.playbook.rules
        approvals = []
        for name in departments:
            if name in approvers:
                entries = approvers[name]
                # a rule's effects are fixed: the rules that asked say what was asked, and deals asked alike share it
                key = (name, *[rule for rule, _ in entries])
                approval = made.get(key)
                if approval is None:
                    if len(made) >= MAX_SHARED:
                        made.clear()
                    approval = made[key] = Approval(departments[name], tuple((rules[rule].id, effect.message) for rule, effect in entries))
                approvals.append(approval)
        return tuple(approvals)

    @cached_property
    def assumed(self) -> tuple[Assumption, ...]:
        """Questions asked for this deal but left unanswered, whose default stands in for the answer."""
        return tuple(
            Assumption(question, self.values[question.id], reading(self.playbook, self.answers, question.id, self.values[question.id]))
            for question in self.playbook.questions
            if question.id not in self.answers.values and question.default is not None and self.values.get(question.id) is not None
        )

    @cached_property
    def definitions(self) -> tuple[Definition, ...]:
        """The defined terms this deal's guidance uses as rendered, with the terms their definitions use, A to Z.

        Read from the rendered text, not from the registry's item lists: a
        clause that words itself for the deal (licences or consumption) uses
        only the terms of the branch this deal takes.
        """
        registry = self.playbook.definitions_by_term
        if not registry:
            return ()
        deal = self.answers.deal
        # the deal's own names ("Goliath Software Corporation") are not uses of a term
        names = (*self.playbook.glossary.names, *(name for name in (deal.vendor, deal.customer, deal.product) if name))
        wanted = uses("\n".join(self.printed_texts), registry, names)
        pending = list(wanted)
        while pending:
            for term in uses(registry[pending.pop()].definition, registry, names) - wanted:
                wanted.add(term)
                pending.append(term)
        return tuple(sorted((registry[term] for term in wanted), key=lambda definition: definition.term.lower()))

    @property
    def printed_texts(self) -> tuple[str, ...]:
        """Every piece of guidance text the pack prints for this deal: rationales, talking points, positions, flags."""
        return self._printed.texts

    @cached_property
    def _printed(self) -> _Printed:
        texts: list[str] = []
        read: dict[str, frozenset[str]] = {}
        for result in self.items:
            templates = [(result.item.rationale, result.item.location), *((point, result.item.location) for point in result.item.talking_points)]
            for position in (result.opening, *result.fallbacks, result.walk_away):
                templates += [(position.summary, position.location)] + ([(position.clause, position.location)] if position.clause else [])
            terms_read: set[str] = set()
            for template, location in templates:
                text, used = self.renders.noting_terms(template, location)
                terms_read |= used
                if text:
                    texts.append(text)
            read[result.id] = frozenset(terms_read)
        texts += [flag.message for flag in self.flags]
        return _Printed(tuple(texts), read)

    def reasons(self, result: ItemResult) -> tuple[Decision, ...]:
        """The decisions behind an applicable item: its condition, the rules that included or tailored it."""
        return self._why(result)[0]

    def because(self, result: ItemResult) -> tuple[str, ...]:
        """Why an applicable item applies and was tailored, as business sentences (see :mod:`dealbook.deal.reasons`)."""
        return self._why(result)[1]

    def _why(self, result: ItemResult) -> tuple[tuple[Decision, ...], tuple[str, ...]]:
        worked_out = self._explained.get(result.id)
        if worked_out is None:
            playbook, values = self.playbook, self.values
            index = playbook.item_index[result.id]
            applies, steps = bool(self.applies[index]), tailoring(self.outcome, index)
            reasons = [item_decision(playbook, values, index, True)] if applies else []
            reasons += [rule_decision(playbook, values, rule, outcome, f"item {result.id}") for rule, outcome in steps]
            conditions = ([result.item.applies_when] if applies else []) + [playbook.rules[rule].when for rule, _ in steps]
            worked_out = self._explained[result.id] = tuple(reasons), because_lines(playbook, self.answers, values, result.item, tuple(conditions))
        return worked_out

    @cached_property
    def _explained(self) -> dict[str, tuple[tuple[Decision, ...], tuple[str, ...]]]:
        return {}

    def rationale(self, result: ItemResult) -> str:
        """The item's rationale, rendered for this deal (it may quote the deal's figures)."""
        return self.render(result.item.rationale, result.item.location)

    def talking_points(self, result: ItemResult) -> tuple[str, ...]:
        """The item's talking points for this deal; one that renders empty does not apply."""
        rendered = (self.render(point, result.item.location) for point in result.item.talking_points)
        return tuple(point for point in rendered if point)

    # --- explanation ------------------------------------------------------

    @cached_property
    def trace(self) -> tuple[Decision, ...]:
        """Every decision: questions set aside, facts, item conditions, rules, overrides."""
        decisions: list[Decision] = []
        for node in self.playbook.resolution_order:
            condition = getattr(node, "when", None) or getattr(node, "expr", None)
            assert condition is not None
            if hasattr(node, "expr"):
                decisions.append(Decision(f"fact {node.id}", f"= {show_raw(self.values[node.id])}", node.location, condition.source, condition_reads(condition, self.values)))
            elif not condition(self.values):
                ignored = " (its answer is ignored)" if node.id in self.answers.values else ""
                decisions.append(Decision(f"question {node.id}", f"not asked{ignored}", node.location, condition.source, condition_reads(condition, self.values)))
        decisions.extend(self._item_decision(index) for index in range(len(self.playbook.items)))
        fired = set(self.fired)
        for index, rule in enumerate(self.playbook.rules):
            decisions.append(self._rule_decision(index, "fired" if index in fired else "did not fire", f"rule {rule.id}"))
        for what, earlier, later in self.outcome.overrides:
            rules = self.playbook.rules
            decisions.append(Decision(what, f"rule {rules[later].id} overrides rule {rules[earlier].id}", rules[later].location, rule=rules[later].id))
        return tuple(decisions)

    # --- clause text --------------------------------------------------------

    @cached_property
    def renders(self) -> DealRenders:
        """The playbook's templates rendered for this deal (shared with deals that read the same)."""
        return DealRenders(self._shared, self.values, self.answers.deal, self.terms_by_id, self.outcome.terms, self._keys)

    @cached_property
    def _keys(self) -> DealKeys:
        """This deal's values and terms as key parts, for the shared tables' look-ups (see :mod:`.keys`)."""
        terms = self._shared.terms.keys if not self.outcome.terms else self._term_results
        shared = self._shared
        return DealKeys(self.values, terms, shared.value_names, shared.truth_names, shared.comparisons)

    @property
    def template_context(self) -> dict[str, Any]:
        """What clause templates see: answers, facts, ``deal`` and ``terms``."""
        return self.renders.context

    @cached_property
    def render(self) -> Callable[[str, Location], str]:
        """``render(template, location)``: one playbook template (a summary, clause or flag message) rendered for this deal.

        A template's text depends only on what it reads, so a render is
        reused across evaluations whose reads are equal (see
        :func:`~dealbook.playbook.clauses.template_reads`). It is the
        renders' own function, so that the many renders of a report make
        one call each.
        """
        return self.renders.render

    def position(self, position: Position) -> RenderedPosition:
        """A position's summary and clause language, rendered for this deal."""
        clause = self.render(position.clause, position.location) if position.clause else None
        return RenderedPosition(self.render(position.summary, position.location), clause)

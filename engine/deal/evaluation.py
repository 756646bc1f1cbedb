"""The result of evaluating a deal, built on demand.

:func:`dealbook.evaluate` records only what conditions held and what effects
fired (an :class:`~dealbook.playbook.effects.Outcome`). :class:`Evaluation`
derives everything a negotiator reads from that — applicable items with their
opening position, skipped items with the reason, term values, risk flags,
approvers, and the decision trace (the records of :mod:`.result`) — each once,
when first asked for. Clause text is rendered only when a renderer or
``--explain`` asks for it; what deals of one playbook share comes from
:mod:`.shared`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from ..errors import Location
from ..playbook.clauses import OptionValue, TermValue, branch_reads, clause_context, render_template, template_reads
from ..playbook.effects import Outcome, apply_effects
from ..playbook.glossary import uses
from ..playbook.model import PRIORITIES, SEVERITIES, Definition, Module, Playbook, Position
from ..playbook.values import show_raw
from .answers import Answers
from .reasons import reading
from .result import (
    Approval,
    Assumption,
    Decision,
    Explanation,
    ItemResult,
    RenderedPosition,
    RiskFlag,
    SkippedItem,
    TermResult,
    condition_reads,
    item_decision,
    rule_decision,
)
from .shared import MAX_RENDERS, MAX_SHARED, Shared, reads_key
from .shared import shared as shared_by_playbook

__all__ = ["Evaluation"]


class _ReadTerms(dict):
    """The ``terms`` a template sees, noting which of them it reads."""

    def __init__(self, terms: Mapping[str, Any]) -> None:
        super().__init__(terms)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)


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
        results = []
        outcome = self.outcome
        playbook, answers, applies, terms_by_id, values, given = self.playbook, self.answers, self.applies, self.terms_by_id, self.values, self.answers.values
        included, excluded, lowered, raised, tiers = outcome.included, outcome.excluded, outcome.lowered, outcome.raised, outcome.tiers
        set_terms = outcome.terms.keys()
        currency = answers.deal.currency
        for index, shared in enumerate(self._shared.items):
            if index in excluded or not (applies[index] or index in included):
                continue
            item = shared.item
            tailored = index in included or index in lowered or index in raised or index in tiers
            if not tailored and (not set_terms or set_terms.isdisjoint(item.terms)):
                # Most items are untailored: deals that read the same (and answered the same questions) share one result.
                names = item.applies_when.names if item.applies_when is not None else ()
                key = (reads_key(names, values), tuple(name in given for name in names), currency) if names else ()
                result = shared.by_reads.get(key)
                if result is None:
                    if len(shared.by_reads) >= MAX_SHARED:
                        shared.by_reads.clear()
                    # kept for later deals: it holds only what its condition read, not this deal's whole answers
                    read = {name: values.get(name) for name in names}
                    light = Answers(answers.deal, {name: given[name] for name in names if name in given})
                    result = shared.by_reads[key] = ItemResult(
                        item, shared.module, item.priority, 0, tuple(terms_by_id[term] for term in item.terms),
                        Explanation(playbook, light, read, index, True))
                results.append(result)
                continue
            rank, steps = shared.rank, []
            if index in included:
                steps.append((included[index], "included by rule"))
            if index in lowered:
                rank = max(rank, lowered[index][0])
                steps.append((lowered[index][1], f"priority lowered to {PRIORITIES[lowered[index][0]]}"))
            if index in raised:
                rank = min(rank, raised[index][0])
                steps.append((raised[index][1], f"priority raised to {PRIORITIES[raised[index][0]]}"))
            tier = 0
            if index in tiers:
                tier = tiers[index][0]
                steps.append((tiers[index][1], f"opens at fallback {tier}" if tier else "opens at the preferred position"))
            terms = tuple(terms_by_id[term] for term in item.terms)
            why = Explanation(playbook, answers, values, index, bool(applies[index]), tuple(steps))
            results.append(ItemResult(item, shared.module, PRIORITIES[rank], tier, terms, why))
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
        set_terms = self.outcome.terms
        defaults = self._shared.terms.results
        if not set_terms:
            return defaults
        results = dict(defaults)
        made = self._shared.terms.set
        for term_id, overrides in set_terms.items():
            key = (term_id, *overrides.items())
            result = made.get(key)
            if result is None:
                term = defaults[term_id].term
                values = {name: overrides[name][0] if name in overrides else getattr(term, name) for name in ("target", "fallback", "walk_away")}
                rules = tuple(dict.fromkeys(self.playbook.rules[rule].id for _, rule in overrides.values()))
                if len(made) >= MAX_SHARED:
                    made.clear()
                result = made[key] = TermResult(term, values["target"], values["fallback"], values["walk_away"], rules)
            results[term_id] = result
        return MappingProxyType(results)

    @cached_property
    def terms(self) -> tuple[TermResult, ...]:
        """The term sheet, in playbook order: terms applicable items carry and their printed guidance uses.

        An item worded per deal shape carries terms for every shape; a
        per-core deal's reassignment clause never names the waiting period
        for user licences, so the term sheet does not list it either.
        """
        shown: set[str] = set()
        for result in self.items:
            if result.terms:  # the terms it carries that its printed guidance reads, as item_terms() tells
                shown |= self._terms_read_by(result).intersection(result.item.terms)
        return tuple(result for term_id, result in self.terms_by_id.items() if term_id in shown)

    def item_terms(self, result: ItemResult) -> tuple[TermResult, ...]:
        """The terms an applicable item carries that its guidance, as printed for this deal, uses."""
        if not result.terms:
            return ()
        read = self._terms_read_by(result)
        return tuple(term for term in result.terms if term.id in read)

    def _terms_read_by(self, result: ItemResult) -> frozenset[str]:
        # rendering everything the pack prints tells it on the way; without that, from what decides the branches
        if "_printed" in self.__dict__:
            return self._printed.terms.get(result.id, frozenset())
        return self._terms_printed(result)

    def _terms_printed(self, result: ItemResult) -> frozenset[str]:
        """The terms the item's printed guidance reads, told from what decides its branches where possible."""
        templates, branches = self._shared.printed_templates(result.item, result.tier)
        if branches is not None:  # one look-up for the whole item
            names, term_ids = branches
            if not names and not term_ids:
                key: tuple[Any, ...] = (result.item.id, result.tier)  # no branches: the same terms for every deal
            else:
                terms = self.terms_by_id
                key = ("item terms read", result.item.id, result.tier, reads_key(names, self.values),
                       tuple(None if (term := terms.get(term_id)) is None else (term.target, term.fallback, term.walk_away)
                             for term_id in term_ids))
            read = self._noted_terms.get(key)
            if read is None:
                read = frozenset().union(*(self._terms_read(template, location) for template, location in templates))
                if len(self._noted_terms) >= MAX_RENDERS:
                    self._noted_terms.clear()
                self._noted_terms[key] = read
            return read
        return frozenset().union(*(self._terms_read(template, location) for template, location in templates))

    def _terms_read(self, template: str, location: Location) -> frozenset[str]:
        branches = branch_reads(template)
        if branches is None:
            return self._render_noting_terms(template, location)[1]
        names, term_ids = branches
        terms = self.terms_by_id
        key = ("terms read", template, reads_key(names, self.values),
               tuple(None if (term := terms.get(term_id)) is None else (term.target, term.fallback, term.walk_away) for term_id in term_ids))
        read = self._noted_terms.get(key)
        if read is None:
            read = self._render_noting_terms(template, location)[1]
            if len(self._noted_terms) >= MAX_RENDERS:
                self._noted_terms.clear()
            self._noted_terms[key] = read
        return read

    @cached_property
    def _noted_terms(self) -> dict[tuple[Any, ...], frozenset[str]]:
        return self._shared.terms_read

    @cached_property
    def flags(self) -> tuple[RiskFlag, ...]:
        """Risk flags raised by rules, most severe first."""
        flags = [
            RiskFlag(effect.level, self.render(effect.message, effect.location), self.playbook.rules[rule], self.playbook.rules[rule].because)
            for rule, effect in self.outcome.flags
        ]
        return tuple(sorted(flags, key=lambda flag: SEVERITIES.index(flag.severity)))

    @cached_property
    def approvals(self) -> tuple[Approval, ...]:
        """Departments whose approval rules require, in playbook department order."""
        departments = self.playbook.departments_by_id
        return tuple(
            Approval(departments[name], tuple((self.playbook.rules[rule].id, effect.message) for rule, effect in self.outcome.approvers[name]))
            for name in departments
            if name in self.outcome.approvers
        )

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
                text, used = self._render_noting_terms(template, location)
                terms_read |= used
                if text:
                    texts.append(text)
            read[result.id] = frozenset(terms_read)
        texts += [flag.message for flag in self.flags]
        return _Printed(tuple(texts), read)

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
    def template_context(self) -> dict[str, Any]:
        """What clause templates see: answers, facts, ``deal`` and ``terms``."""
        return self._context_for(name for name in self.values if not name.startswith("deal."))

    def _context_for(self, names: Iterable[str]) -> dict[str, Any]:
        """The template context with only ``names`` of the answers and facts (a template reads no others)."""
        values, labels = self.values, self._shared.terms.labels
        context: dict[str, Any] = {}
        for name in names:
            value = values.get(name)
            if value is None:
                continue
            options = labels.get(name)
            if options is not None:
                entries = [OptionValue(entry, options.get(entry, entry)) for entry in (value if isinstance(value, list) else [value])]
                value = entries if isinstance(value, list) else entries[0]
            context[name] = value
        context["deal"] = self.answers.deal
        context["terms"] = self._term_values
        return clause_context(context)

    @cached_property
    def _term_values(self) -> Mapping[str, TermValue]:
        terms = self._shared.terms.values
        if not self.outcome.terms:
            return terms
        changed = dict(terms)
        for term_id in self.outcome.terms:
            result = self.terms_by_id[term_id]
            changed[term_id] = TermValue(result.term, result.target, result.fallback, result.walk_away)
        return MappingProxyType(changed)

    def render(self, template: str, location: Location) -> str:
        """Render one playbook template (a summary, clause or flag message) for this deal.

        A template's text depends only on what it reads, so a render is
        reused across evaluations whose reads are equal (see
        :func:`~dealbook.playbook.clauses.template_reads`).
        """
        if "{" not in template:  # plain text: nothing of the deal's to read
            if self._dotted:
                return self._render_in(template, location, {})
            plain = self._shared.plain
            text = plain.get(template)
            if text is None:
                if len(plain) >= MAX_RENDERS:
                    plain.clear()
                text = plain[template] = self._render_in(template, location, {})
            return text
        key = self._render_key(template)
        if key is None:
            return self._render_in(template, location, self.template_context)
        renders = self._renders
        text = renders.get(key)
        if text is None:
            # Rendered noting the terms it reads, which costs nothing more: the pack asks for those next
            # (item_terms), and would otherwise render every clause a second time to learn them.
            text = self._render_noting_terms(template, location)[0]
            if len(renders) >= MAX_RENDERS:
                renders.clear()
            renders[key] = text
        return text

    def _render_noting_terms(self, template: str, location: Location) -> tuple[str, frozenset[str]]:
        """A template rendered for this deal, and the terms it read doing so (a branch not taken reads none).

        Reused across deals like :meth:`render`: the same reads give the same text and the same terms.
        """
        if "{" not in template:
            return self._render_in(template, location, {}), frozenset()
        key = self._render_key(template)
        noted = self._noted.get(key) if key is not None else None
        if noted is None:
            reads = template_reads(template)
            values = self._term_values
            if reads is None:
                context = clause_context({**self.template_context, "terms": (terms := _ReadTerms(values))})
            else:  # only the names and terms the template reads
                context = self._context_for(reads[0])
                context["terms"] = terms = _ReadTerms({term: values[term] for term in reads[1] if term in values})
            noted = self._render_in(template, location, context), frozenset(terms.read)
            if key is not None:
                if len(self._noted) >= MAX_RENDERS:
                    self._noted.clear()
                self._noted[key] = noted
        return noted

    @cached_property
    def _noted(self) -> dict[tuple[Any, ...], tuple[str, frozenset[str]]]:
        return self._shared.noted

    def _render_key(self, template: str) -> tuple[Any, ...] | None:
        reads = template_reads(template)
        if reads is None:
            return None
        names, term_ids = reads
        dotted = self._dotted
        if not names and not dotted and self._set_terms.isdisjoint(term_ids) and "money" not in template:
            return (template,)  # reads only the playbook's own term values: the same text for every deal
        values, terms, deal = self.values, self.terms_by_id, self.answers.deal
        # The deal counts when the template reads it (the money filter reads its currency), and so do names
        # ending in "." that the text is tidied for (see _render).
        key: list[Any] = [template, deal if "deal" in names or "money" in template else None, dotted]
        try:
            key.append(reads_key(names, values))
            for term_id in term_ids:
                result = terms.get(term_id)
                key.append(None if result is None else (result.target, result.fallback, result.walk_away))
            hash(tuple(key))
        except TypeError:  # a value that cannot be a key: render it afresh
            return None
        return tuple(key)

    @cached_property
    def _renders(self) -> dict[tuple[Any, ...], str]:
        return self._shared.renders

    @cached_property
    def _set_terms(self) -> Any:
        return self.outcome.terms.keys()

    @cached_property
    def _dotted(self) -> tuple[str, ...]:
        deal = self.answers.deal
        return tuple(name for name in (deal.vendor, deal.customer, deal.product) if name and name.endswith("."))

    def _render_in(self, template: str, location: Location, context: Mapping[str, Any]) -> str:
        text = render_template(template, context, location)
        deal = self.answers.deal
        for name in (deal.vendor, deal.customer, deal.product):
            # "Stratus Analytics Corp." ending a sentence must not read "Corp.."
            if name and name.endswith(".") and name + "." in text:
                text = text.replace(name + ".", name)
        return text

    def position(self, position: Position) -> RenderedPosition:
        """A position's summary and clause language, rendered for this deal."""
        clause = self.render(position.clause, position.location) if position.clause else None
        return RenderedPosition(self.render(position.summary, position.location), clause)

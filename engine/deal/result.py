"""The result of evaluating a deal, as frozen dataclasses built on demand.

:func:`dealbook.evaluate` records only what conditions held and what effects
fired (an :class:`Outcome`). :class:`Evaluation` derives everything a
negotiator reads from that — applicable items with their opening position,
skipped items with the reason, term values, risk flags, approvers, and the
decision trace — each once, when first asked for. Clause text is rendered
only when a renderer or ``--explain`` asks for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..errors import Location
from ..playbook.clauses import OptionValue, TermValue, render_template
from ..playbook.effects import Outcome, apply_effects
from ..playbook.expressions import Condition
from ..playbook.glossary import uses
from ..playbook.model import PRIORITIES, SEVERITIES, Definition, Department, Item, Module, Playbook, Position, Question, Rule, Term
from ..playbook.values import show_raw
from .answers import Answers
from .reasons import because_lines, reading

__all__ = [
    "Evaluation",
    "ItemResult",
    "SkippedItem",
    "TermResult",
    "RiskFlag",
    "Approval",
    "Decision",
    "RenderedPosition",
    "Assumption",
]


@dataclass(frozen=True, slots=True)
class Decision:
    """One explained decision: what was decided, by which condition, reading which values."""

    subject: str
    outcome: str
    source: Location
    condition: str | None = None
    reads: tuple[tuple[str, Any], ...] = ()
    rule: str | None = None

    def __str__(self) -> str:
        text = f"{self.subject}: {self.outcome}"
        if self.rule and f"rule {self.rule}" not in text:
            text += f" {self.rule}" if self.outcome.endswith(" rule") else f" (rule {self.rule})"
        if self.condition:
            text += f" — {self.condition}"
        if self.reads:
            text += " [" + ", ".join(f"{name}={show_raw(value)}" for name, value in self.reads) + "]"
        return text



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


@dataclass(frozen=True, slots=True)
class TermResult:
    """A term's values for this deal, after rules."""

    term: Term
    target: float
    fallback: float
    walk_away: float
    set_by: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.term.id


@dataclass(frozen=True, slots=True)
class ItemResult:
    """An item that applies to the deal, tailored."""

    item: Item
    module: Module
    priority: str
    tier: int
    terms: tuple[TermResult, ...]
    reasons: tuple[Decision, ...]
    #: why the item applies and was tailored, as business sentences (see :mod:`dealbook.deal.reasons`)
    because: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def tradeable(self) -> Position | None:
        """The furthest fallback, beyond the opening, that we can concede for something else.

        ``None`` when the playbook marks none or the item is a must-win (critical) for this deal.
        """
        if self.priority == "critical":
            return None
        tradeable = [position for position in self.fallbacks if position.tradeable]
        return tradeable[-1] if tradeable else None

    @property
    def opening(self) -> Position:
        """The position we open with (the preferred one unless a rule moved it)."""
        return self.item.positions.tier(self.tier)

    @property
    def fallbacks(self) -> tuple[Position, ...]:
        """The fallbacks still available after the opening position, in order."""
        return self.item.positions.fallbacks[self.tier:]

    @property
    def walk_away(self) -> Position:
        return self.item.positions.walk_away


@dataclass(frozen=True, slots=True)
class SkippedItem:
    """An item that does not apply to the deal, and why."""

    item: Item
    reason: Decision


@dataclass(frozen=True, slots=True)
class RiskFlag:
    """A risk a rule raised for this deal."""

    severity: str
    message: str
    rule: Rule
    because: str


@dataclass(frozen=True, slots=True)
class Approval:
    """A department whose approval the deal needs, with the reasons."""

    department: Department
    reasons: tuple[tuple[str, str], ...]  # (rule id, reason)


@dataclass(frozen=True, slots=True)
class Assumption:
    """A question asked for this deal but not answered, whose default was assumed."""

    question: Question
    value: Any
    sentence: str


@dataclass(frozen=True, slots=True)
class RenderedPosition:
    """A position's summary and clause, rendered for this deal."""

    summary: str
    clause: str | None


def _reads(condition: Condition, values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((name, values.get(name)) for name in condition.names)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The playbook tailored to one deal. Build it with :func:`dealbook.evaluate`."""

    playbook: Playbook
    answers: Answers
    values: Mapping[str, Any] = field(repr=False)
    applies: tuple[bool, ...] = field(repr=False)
    fired: tuple[int, ...] = field(repr=False)

    @cached_property
    def outcome(self) -> Outcome:
        """The fired rules' effects, folded in playbook order."""
        return apply_effects(self.playbook, self.fired)

    # --- items -----------------------------------------------------------

    def _item_decision(self, index: int) -> Decision:
        item = self.playbook.items[index]
        if item.applies_when is None:
            return Decision(f"item {item.id}", "applies to every deal", item.location)
        verdict = "applies" if self.applies[index] else "does not apply"
        return Decision(f"item {item.id}", verdict, item.location, item.applies_when.source, _reads(item.applies_when, self.values))

    def _rule_decision(self, rule_index: int, outcome: str, subject: str) -> Decision:
        rule = self.playbook.rules[rule_index]
        return Decision(subject, outcome, rule.location, rule.when.source, _reads(rule.when, self.values), rule.id)

    @cached_property
    def items(self) -> tuple[ItemResult, ...]:
        """Items that apply, in playbook order."""
        results = []
        outcome = self.outcome
        for index, item in enumerate(self.playbook.items):
            if index in outcome.excluded or not (self.applies[index] or index in outcome.included):
                continue
            subject = f"item {item.id}"
            reasons = [self._item_decision(index)] if self.applies[index] else []
            rules = [outcome.included[index]] if index in outcome.included else []
            if index in outcome.included:
                reasons.append(self._rule_decision(outcome.included[index], "included by rule", subject))
            rank = PRIORITIES.index(item.priority)
            if index in outcome.lowered:
                rank = max(rank, outcome.lowered[index][0])
                rules.append(outcome.lowered[index][1])
                reasons.append(self._rule_decision(outcome.lowered[index][1], f"priority lowered to {PRIORITIES[outcome.lowered[index][0]]}", subject))
            if index in outcome.raised:
                rank = min(rank, outcome.raised[index][0])
                rules.append(outcome.raised[index][1])
                reasons.append(self._rule_decision(outcome.raised[index][1], f"priority raised to {PRIORITIES[outcome.raised[index][0]]}", subject))
            tier = 0
            if index in outcome.tiers:
                tier = outcome.tiers[index][0]
                rules.append(outcome.tiers[index][1])
                reasons.append(self._rule_decision(outcome.tiers[index][1], f"opens at fallback {tier}" if tier else "opens at the preferred position", subject))
            terms = tuple(self.terms_by_id[term] for term in item.terms)
            conditions = ([item.applies_when] if self.applies[index] else []) + [self.playbook.rules[rule].when for rule in rules]
            because = because_lines(self.playbook, self.answers, self.values, item, tuple(conditions))
            results.append(ItemResult(item, self.playbook.modules_by_id[item.module], PRIORITIES[rank], tier, terms, tuple(reasons), because))
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
    def terms_by_id(self) -> dict[str, TermResult]:
        """Every term's value for this deal (targets, fallbacks, walk-aways after rules)."""
        results = {}
        for term in self.playbook.terms:
            overrides = self.outcome.terms.get(term.id, {})
            values = {name: overrides[name][0] if name in overrides else getattr(term, name) for name in ("target", "fallback", "walk_away")}
            rules = tuple(dict.fromkeys(self.playbook.rules[rule].id for _, rule in overrides.values()))
            results[term.id] = TermResult(term, values["target"], values["fallback"], values["walk_away"], rules)
        return results

    @cached_property
    def terms(self) -> tuple[TermResult, ...]:
        """The term sheet, in playbook order: terms applicable items carry and their printed guidance uses.

        An item worded per deal shape carries terms for every shape; a
        per-core deal's reassignment clause never names the waiting period
        for user licences, so the term sheet does not list it either.
        """
        shown = {term.id for result in self.items for term in self.item_terms(result)}
        return tuple(result for term_id, result in self.terms_by_id.items() if term_id in shown)

    def item_terms(self, result: ItemResult) -> tuple[TermResult, ...]:
        """The terms an applicable item carries that its guidance, as printed for this deal, uses."""
        read = self._printed.terms.get(result.id, frozenset())
        return tuple(term for term in result.terms if term.id in read)

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
            context = {**self.template_context, "terms": _ReadTerms(self.template_context["terms"])}
            templates = [(result.item.rationale, result.item.location), *((point, result.item.location) for point in result.item.talking_points)]
            for position in (result.opening, *result.fallbacks, result.walk_away):
                templates += [(position.summary, position.location)] + ([(position.clause, position.location)] if position.clause else [])
            texts += [text for template, location in templates if (text := self._render_in(template, location, context))]
            read[result.id] = frozenset(context["terms"].read)
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
                decisions.append(Decision(f"fact {node.id}", f"= {show_raw(self.values[node.id])}", node.location, condition.source, _reads(condition, self.values)))
            elif not condition(self.values):
                ignored = " (its answer is ignored)" if node.id in self.answers.values else ""
                decisions.append(Decision(f"question {node.id}", f"not asked{ignored}", node.location, condition.source, _reads(condition, self.values)))
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
        context = {name: value for name, value in self.values.items() if value is not None and not name.startswith("deal.")}
        for name, value in context.items():
            question = self.playbook.questions_by_id.get(name)
            if question is not None and question.options:
                labels = {option.value: option.label for option in question.options}
                entries = [OptionValue(entry, labels.get(entry, entry)) for entry in (value if isinstance(value, list) else [value])]
                context[name] = entries if isinstance(value, list) else entries[0]
        context["deal"] = self.answers.deal
        context["terms"] = {
            term_id: TermValue(result.term, result.target, result.fallback, result.walk_away) for term_id, result in self.terms_by_id.items()
        }
        return context

    def render(self, template: str, location: Location) -> str:
        """Render one playbook template (a summary, clause or flag message) for this deal."""
        return self._render_in(template, location, self.template_context)

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

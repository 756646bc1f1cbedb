"""What a negotiator reads about one deal, as frozen records.

:class:`~dealbook.deal.evaluation.Evaluation` builds them on demand: the
items that apply (:class:`ItemResult`, each with its opening position), the items that do not (:class:`SkippedItem`), every term's
values after rules (:class:`TermResult`), risk flags, approvals, assumed
defaults, rendered positions, and the decisions that explain all of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Location
from ..playbook.effects import Outcome
from ..playbook.expressions import Condition
from ..playbook.model import PRIORITIES, Department, Item, Module, Playbook, Position, Question, Rule, Term
from ..playbook.values import show_raw

__all__ = [
    "ItemResult",
    "SkippedItem",
    "TermResult",
    "RiskFlag",
    "Approval",
    "Decision",
    "RenderedPosition",
    "Assumption",
    "item_decision",
    "tailoring",
    "rule_decision",
    "condition_reads",
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


@dataclass(frozen=True, slots=True, eq=False)
class TermResult:
    """A term's values for this deal, after rules.

    Deals whose rules set a term alike share one result, so results compare (and hash) as objects, which
    is quick: compare their values to tell two results apart.
    """

    term: Term
    target: float
    fallback: float
    walk_away: float
    set_by: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.term.id


def tailoring(outcome: Outcome, index: int) -> tuple[tuple[int, str], ...]:
    """What the rules did to item ``index``, in the order they are told: ``(rule index, what it did)``."""
    steps = []
    if index in outcome.included:
        steps.append((outcome.included[index], "included by rule"))
    if index in outcome.lowered:
        rank, rule = outcome.lowered[index]
        steps.append((rule, f"priority lowered to {PRIORITIES[rank]}"))
    if index in outcome.raised:
        rank, rule = outcome.raised[index]
        steps.append((rule, f"priority raised to {PRIORITIES[rank]}"))
    if index in outcome.tiers:
        tier, rule = outcome.tiers[index]
        steps.append((rule, f"opens at fallback {tier}" if tier else "opens at the preferred position"))
    return tuple(steps)


def item_decision(playbook: Playbook, values: Mapping[str, Any], index: int, applies: bool) -> Decision:
    """Whether item ``index`` applies, by its condition and what that read."""
    item = playbook.items[index]
    if item.applies_when is None:
        return Decision(f"item {item.id}", "applies to every deal", item.location)
    verdict = "applies" if applies else "does not apply"
    return Decision(f"item {item.id}", verdict, item.location, item.applies_when.source, condition_reads(item.applies_when, values))


def rule_decision(playbook: Playbook, values: Mapping[str, Any], rule_index: int, outcome: str, subject: str) -> Decision:
    """What rule ``rule_index`` did to ``subject``, by its condition and what that read."""
    rule = playbook.rules[rule_index]
    return Decision(subject, outcome, rule.location, rule.when.source, condition_reads(rule.when, values), rule.id)


@dataclass(frozen=True, slots=True)
class ItemResult:
    """An item that applies to the deal, tailored: its priority, opening tier and term values for this deal.

    It holds nothing else of the deal's, so deals tailored alike share one; why it applies is the
    evaluation's to tell (:meth:`~dealbook.deal.evaluation.Evaluation.because`).
    """

    item: Item
    module: Module
    priority: str
    tier: int
    #: the position we open with (the preferred one unless a rule moved it): ``item.positions.tier(tier)``
    opening: Position
    terms: tuple[TermResult, ...]

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


def condition_reads(condition: Condition, values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    names = condition.names
    return tuple(zip(names, map(values.get, names), strict=True))

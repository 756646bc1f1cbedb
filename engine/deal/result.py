"""What a negotiator reads about one deal, as frozen records.

:class:`~dealbook.deal.evaluation.Evaluation` builds them on demand: the
items that apply (:class:`ItemResult`, each with its opening position and
why it applies), the items that do not (:class:`SkippedItem`), every term's
values after rules (:class:`TermResult`), risk flags, approvals, assumed
defaults, rendered positions, and the decisions that explain all of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location
from ..playbook.expressions import Condition
from ..playbook.model import Department, Item, Module, Playbook, Position, Question, Rule, Term
from ..playbook.values import show_raw
from .answers import Answers
from .reasons import because_lines

__all__ = [
    "ItemResult",
    "SkippedItem",
    "TermResult",
    "RiskFlag",
    "Approval",
    "Decision",
    "RenderedPosition",
    "Assumption",
    "Explanation",
    "item_decision",
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


class Explanation:
    """Why one item applies to a deal and how rules tailored it, worked out when first read.

    Most readers of an evaluation (a batch over many deals, a term sheet)
    never ask why; a pack or ``--explain`` does, and then gets the same
    decisions and sentences as if they had been built with the item.
    """

    __slots__ = ("_playbook", "_answers", "_values", "_index", "_applies", "_steps", "_worked_out")

    def __init__(self, playbook: Playbook, answers: Answers, values: Mapping[str, Any], index: int, applies: bool,
                 steps: tuple[tuple[int, str], ...] = ()) -> None:
        self._playbook, self._answers, self._values = playbook, answers, values
        self._index, self._applies, self._steps = index, applies, steps  # steps: (rule index, what it did)
        self._worked_out: tuple[tuple[Decision, ...], tuple[str, ...]] | None = None

    def _work_out(self) -> tuple[tuple[Decision, ...], tuple[str, ...]]:
        if self._worked_out is None:
            playbook, values = self._playbook, self._values
            item = playbook.items[self._index]
            reasons = [item_decision(playbook, values, self._index, self._applies)] if self._applies else []
            reasons += [rule_decision(playbook, values, rule, outcome, f"item {item.id}") for rule, outcome in self._steps]
            conditions = ([item.applies_when] if self._applies else []) + [playbook.rules[rule].when for rule, _ in self._steps]
            self._worked_out = tuple(reasons), because_lines(playbook, self._answers, values, item, tuple(conditions))
        return self._worked_out

    @property
    def reasons(self) -> tuple[Decision, ...]:
        return self._work_out()[0]

    @property
    def because(self) -> tuple[str, ...]:
        return self._work_out()[1]


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
    """An item that applies to the deal, tailored."""

    item: Item
    module: Module
    priority: str
    tier: int
    terms: tuple[TermResult, ...]
    #: why the item applies and was tailored, worked out when first read
    why: Explanation = field(compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def reasons(self) -> tuple[Decision, ...]:
        """The decisions behind the item: its condition, the rules that included or tailored it."""
        return self.why.reasons

    @property
    def because(self) -> tuple[str, ...]:
        """Why the item applies and was tailored, as business sentences (see :mod:`dealbook.deal.reasons`)."""
        return self.why.because

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


def condition_reads(condition: Condition, values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    names = condition.names
    return tuple(zip(names, map(values.get, names), strict=True))

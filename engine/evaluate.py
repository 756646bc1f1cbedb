"""Evaluating a deal: which items apply, at what priority and opening position,
with which term values, risk flags and approvers — and why.

:func:`evaluate` is the hot path. It works on a per-playbook plan of plain
functions and indexes (built once, cached per playbook object) and records
only compact facts: which conditions held and which effects fired. The
result, :class:`~dealbook.result.Evaluation`, turns those into frozen
dataclasses — items, terms, flags, approvers, the decision trace and clause
text — only when someone reads them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .answers import Answers
from .model import PRIORITIES, Effect, Playbook, Question
from .result import Evaluation, Outcome

__all__ = ["evaluate", "resolve_values", "EFFECTS"]

_RANK = {priority: rank for rank, priority in enumerate(PRIORITIES)}


def _include(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    for item in effect.items:
        outcome.included[items[item]] = rule


def _exclude(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    for item in effect.items:
        outcome.excluded[items[item]] = rule


def _raise(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    rank = _RANK[effect.level]
    for item in effect.items:
        index = items[item]
        if index not in outcome.raised or rank < outcome.raised[index][0]:
            outcome.raised[index] = (rank, rule)


def _lower(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    rank = _RANK[effect.level]
    for item in effect.items:
        index = items[item]
        if index not in outcome.lowered or rank > outcome.lowered[index][0]:
            outcome.lowered[index] = (rank, rule)


def _open_at(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    for item in effect.items:
        index = items[item]
        earlier = outcome.tiers.get(index)
        if earlier is not None and earlier[0] != effect.tier:
            outcome.overrides.append((f"opening tier of item '{item}'", earlier[1], rule))
        outcome.tiers[index] = (effect.tier, rule)


def _set_term(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    fields = outcome.terms.setdefault(effect.term, {})
    for name, value in effect.values:
        earlier = fields.get(name)
        if earlier is not None and earlier[0] != value:
            outcome.overrides.append((f"{name} of term '{effect.term}'", earlier[1], rule))
        fields[name] = (value, rule)


def _flag(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    outcome.flags.append((rule, effect))


def _require_approver(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    outcome.approvers.setdefault(effect.approver, []).append((rule, effect))


#: Rule effects by kind: ``(outcome, rule index, effect, item index by id)``.
EFFECTS: dict[str, Callable[[Outcome, int, Effect, dict[str, int]], None]] = {
    "include": _include,
    "exclude": _exclude,
    "raise_priority": _raise,
    "lower_priority": _lower,
    "open_at": _open_at,
    "set_term": _set_term,
    "flag": _flag,
    "require_approver": _require_approver,
}


@dataclass(frozen=True, slots=True)
class _Plan:
    """A playbook compiled for evaluation: plain functions and indexes."""

    blank: dict[str, Any]
    order: tuple[tuple[bool, str, Callable[[dict[str, Any]], Any]], ...]  # (is question, id, function)
    applies: tuple[Callable[[dict[str, Any]], Any] | None, ...]
    rules: tuple[tuple[Callable[[dict[str, Any]], Any], tuple[tuple[Callable[..., None], Effect], ...]], ...]
    item_index: dict[str, int]


_PLANS: weakref.WeakKeyDictionary[Playbook, _Plan] = weakref.WeakKeyDictionary()


def _plan(playbook: Playbook) -> _Plan:
    plan = _PLANS.get(playbook)
    if plan is None:
        blank: dict[str, Any] = {f"deal.{name}": None for name in ("name", "vendor", "customer", "product", "currency", "date", "negotiator")}
        for question in playbook.questions:
            default = question.default
            blank[question.id] = list(default) if isinstance(default, list) else default
        blank.update({fact.id: None for fact in playbook.facts})
        order = tuple(
            (isinstance(node, Question), node.id, (node.when if isinstance(node, Question) else node.expr).function)  # type: ignore[union-attr]
            for node in playbook.resolution_order
        )
        plan = _Plan(
            blank=blank,
            order=order,
            applies=tuple(None if item.applies_when is None else item.applies_when.function for item in playbook.items),
            rules=tuple(
                (rule.when.function, tuple((EFFECTS[effect.kind], effect) for effect in rule.effects))
                for rule in playbook.rules
            ),
            item_index=playbook.item_index,
        )
        _PLANS[playbook] = plan
    return plan


def resolve_values(playbook: Playbook, answers: Answers) -> dict[str, Any]:
    """Every name a condition can read: answers (or defaults), deal fields, facts.

    Answers to questions whose ``when`` does not hold are replaced by ``None``.
    """
    plan = _plan(playbook)
    values = dict(plan.blank)
    values.update(answers.values)
    values.update(answers.deal.as_values())
    for is_question, name, function in plan.order:
        if is_question:
            if not function(values):
                values[name] = None
        else:
            values[name] = function(values)
    return values


def evaluate(playbook: Playbook, answers: Answers) -> Evaluation:
    """Tailor ``playbook`` to one deal. Pure: no I/O, same inputs give the same result."""
    plan = _plan(playbook)
    values = resolve_values(playbook, answers)
    applies = tuple(True if function is None else bool(function(values)) for function in plan.applies)
    outcome = Outcome()
    fired = []
    item_index = plan.item_index
    for index, (condition, effects) in enumerate(plan.rules):
        if condition(values):
            fired.append(index)
            for apply, effect in effects:
                apply(outcome, index, effect, item_index)
    return Evaluation(playbook, answers, MappingProxyType(values), applies, tuple(fired), outcome)


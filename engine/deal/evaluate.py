"""Evaluating a deal: which questions apply, what each fact is, which items'
conditions hold and which rules fire.

:func:`evaluate` is the hot path. It runs a per-playbook plan of three
generated functions (built once, cached per playbook object): one resolves
questions and facts in dependency order, one evaluates every item condition,
one every rule condition. The result, :class:`~dealbook.result.Evaluation`,
derives the rest — the rules' effects (:mod:`dealbook.effects`), items,
terms, flags, approvers, the decision trace and clause text — when first read.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .answers import Answers
from ..playbook.expressions import compile_all, compile_steps
from ..playbook.model import DEAL_FIELDS, Playbook, Question
from .result import Evaluation

__all__ = ["evaluate", "resolve_values"]


@dataclass(frozen=True, slots=True)
class _Plan:
    """A playbook compiled for evaluation: batch functions and indexes."""

    blank: dict[str, Any]
    resolve: Callable[[dict[str, Any]], None]
    applies: Callable[[dict[str, Any]], tuple[Any, ...]]
    fires: Callable[[dict[str, Any]], tuple[Any, ...]]


_PLANS: weakref.WeakKeyDictionary[Playbook, _Plan] = weakref.WeakKeyDictionary()


def _plan(playbook: Playbook) -> _Plan:
    plan = _PLANS.get(playbook)
    if plan is None:
        blank: dict[str, Any] = {f"deal.{name}": None for name in DEAL_FIELDS}
        for question in playbook.questions:
            default = question.default
            blank[question.id] = list(default) if isinstance(default, list) else default
        blank.update({fact.id: None for fact in playbook.facts})
        steps = tuple(
            ("question", node.id, node.when) if isinstance(node, Question) else ("fact", node.id, node.expr)
            for node in playbook.resolution_order
        )
        plan = _Plan(
            blank=blank,
            resolve=compile_steps(steps),  # type: ignore[arg-type]
            applies=compile_all(tuple(item.applies_when for item in playbook.items)),
            fires=compile_all(tuple(rule.when for rule in playbook.rules)),
        )
        _PLANS[playbook] = plan
    return plan


def resolve_values(playbook: Playbook, answers: Answers) -> dict[str, Any]:
    """Every name a condition can read: answers (or defaults), deal fields, facts.

    Answers to questions whose ``when`` does not hold are replaced by ``None``.
    """
    return _resolved(_plan(playbook), answers)


def _resolved(plan: _Plan, answers: Answers) -> dict[str, Any]:
    values = {**plan.blank, **answers.given}
    plan.resolve(values)
    return values


def evaluate(playbook: Playbook, answers: Answers) -> Evaluation:
    """Tailor ``playbook`` to one deal. Pure: no I/O, same inputs give the same result."""
    plan = _plan(playbook)
    values = _resolved(plan, answers)
    fired = tuple(index for index, hit in enumerate(plan.fires(values)) if hit)
    return Evaluation(playbook, answers, values, plan.applies(values), fired)

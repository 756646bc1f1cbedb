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

import dataclasses
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, ValidationErrors
from ..infra.yamlfile import Document, read_document
from ..playbook.expressions import compile_all, compile_steps
from ..playbook.model import DEAL_FIELDS, Playbook, Question
from .answers import Answers, answers_and_problems, read_answers
from .evaluation import Evaluation

__all__ = ["compiled_plan", "evaluate", "resolve_values", "missing_required", "check_complete", "complete_answers", "load_answers"]


@dataclass(frozen=True, slots=True)
class Plan:
    """A playbook compiled for evaluation: batch functions and indexes."""

    blank: dict[str, Any]
    resolve: Callable[[dict[str, Any]], None]
    applies: Callable[[dict[str, Any]], tuple[Any, ...]]
    fires: Callable[[dict[str, Any]], tuple[Any, ...]]


_PLANS: weakref.WeakKeyDictionary[Playbook, Plan] = weakref.WeakKeyDictionary()


def compiled_plan(playbook: Playbook) -> Plan:
    """The playbook compiled for evaluation, built once per playbook object and kept while it lives."""
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
        plan = Plan(
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
    return _resolved(compiled_plan(playbook), answers)


def _resolved(plan: Plan, answers: Answers) -> dict[str, Any]:
    values = {**plan.blank, **answers.given}
    plan.resolve(values)
    return values


def evaluate(playbook: Playbook, answers: Answers, *, require_complete: bool = False) -> Evaluation:
    """Tailor ``playbook`` to one deal. Pure: no I/O, same inputs give the same result.

    With ``require_complete``, a deal whose name or vendor is empty, or that
    leaves a required question it is asked unanswered, raises
    :class:`~dealbook.errors.ValidationErrors` naming each gap where it is
    (or would be) in the answers file.
    """
    plan = compiled_plan(playbook)
    values = _resolved(plan, answers)
    if require_complete:
        answers = check_complete(playbook, answers, values)
    fired = tuple(index for index, hit in enumerate(plan.fires(values)) if hit)
    return Evaluation(playbook, answers, values, plan.applies(values), fired)


def missing_required(playbook: Playbook, answers: Answers, values: dict[str, Any] | None = None) -> tuple[str, ...]:
    """Required questions that are asked for this deal but have no answer."""
    values = resolve_values(playbook, answers) if values is None else values
    return tuple(
        question.id
        for question in playbook.questions
        if question.required and question.id not in answers.values
        and (question.when is None or bool(question.when(values)))
    )


def load_answers(path: str | Path, playbook: Playbook, *, require_complete: bool = True) -> Answers:
    """Read and check an answers file (YAML or JSON) for ``playbook``.

    Unless ``require_complete`` is false, every gap (empty deal name or
    vendor, required question unanswered) is reported at once; either way the
    returned answers list the unanswered required questions.
    """
    if require_complete:
        return complete_answers(read_document(Path(path)), playbook)
    answers = read_answers(path, playbook)
    values = resolve_values(playbook, answers)
    return dataclasses.replace(answers, unanswered=missing_required(playbook, answers, values))


def complete_answers(document: Document, playbook: Playbook) -> Answers:
    """An answers document read, checked and complete, or :class:`ValidationErrors` with every problem at once.

    Problems in the answers and gaps (required questions unanswered, deal
    name or vendor empty) are reported together; an answer that is there but
    wrong is not also reported as missing.
    """
    answers, problems = answers_and_problems(document, playbook)
    try:
        answers = check_complete(playbook, answers)
    except ValidationErrors as error:
        reported = {problem.location.path for problem in problems}
        problems += [gap for gap in error.problems
                     if gap.location.path not in reported and not (gap.location.path.startswith("deal/") and "deal" in reported)]
    ValidationErrors.raise_if(problems)
    return answers


def check_complete(playbook: Playbook, answers: Answers, values: dict[str, Any] | None = None) -> Answers:
    """``answers`` with the unanswered required questions listed; raises if any gap remains (see :func:`evaluate`)."""
    values = resolve_values(playbook, answers) if values is None else values
    unanswered = missing_required(playbook, answers, values)
    unfilled = [name for name in ("name", "vendor") if not getattr(answers.deal, name)]
    document = answers.document
    if (unanswered or unfilled) and document is not None:
        content = document.content
        where = document.locate(["answers"], key=True) if "answers" in content else document.locate([])
        raise ValidationErrors([
            *(Problem(document.locate(["deal", name]), f"deal {name} is not filled in yet") for name in unfilled),
            *(Problem(document.locate(["answers", question_id], key=True) if ("answers", question_id) in document.keys
                      else Location(where.file, where.line, where.column, f"answers/{question_id}"),
                      f"question '{question_id}' is not answered yet (required): {playbook.questions_by_id[question_id].text}")
              for question_id in unanswered),
        ])
    if (unanswered or unfilled) and document is None:
        missing = [f"deal {name}" for name in unfilled] + [f"question '{name}'" for name in unanswered]
        raise ValidationErrors([Problem(Location(answers.file), f"{what} is not filled in yet") for what in missing])
    return dataclasses.replace(answers, unanswered=unanswered) if unanswered != answers.unanswered else answers

"""The finite answer space of a playbook: every deal that conditions can tell apart.

Questions with finite answers — yes/no, choices, multi-choices, and numbers
split at the thresholds that conditions compare them against — span a finite
space of deals. A condition only depends on the questions it reads (through
facts and through the ``when`` that decides whether a question is asked): its
*cone*. :class:`AnswerSpace` enumerates the cone of what a check looks at, so
a question about two rules reads a few hundred combinations rather than the
whole space; a cone larger than ``limit`` is sampled with a reported seed and
count. The exhaustive check and lint both walk it.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..deal.answers import Deal
from ..playbook.checks import NUMERIC_TYPES, conditions_of
from ..playbook.model import Playbook, Question

__all__ = ["EXAMPLE_DEAL", "Dimension", "AnswerSpace", "answer_space"]

#: Deal metadata used for every enumerated deal.
EXAMPLE_DEAL = Deal(name="Example deal", vendor="Example Vendor Ltd", customer="Example Customer plc", currency="EUR")


@dataclass(frozen=True, slots=True)
class Dimension:
    """One question's candidate answers; ``None`` stands for "left unanswered"."""

    question: Question
    values: tuple[Any, ...]


def _numbers(question: Question, thresholds: list[float]) -> list[Any]:
    """One number in every interval the thresholds cut the line into, and each threshold."""
    if not thresholds:
        base = question.default if question.default is not None else question.minimum if question.minimum is not None else 1
        return [base]
    whole = question.type == "integer"
    candidates = [thresholds[0] - 1]
    for low, high in itertools.pairwise(thresholds):
        candidates += [low, (low + high) // 2 if whole else (low + high) / 2]
    candidates += [thresholds[-1], thresholds[-1] + 1]
    low = question.minimum if question.minimum is not None else float("-inf")
    high = question.maximum if question.maximum is not None else float("inf")
    result = []
    for value in candidates:
        value = min(max(value, low), high)
        value = int(value) if whole or float(value).is_integer() else value
        if value not in result:
            result.append(value)
    return result


def _choices(question: Question, compared: set[Any]) -> list[Any]:
    named = [value for value in question.option_values if value in compared]
    other = [value for value in question.option_values if value not in compared]
    if question.type == "choice":
        return named + other[:1] if named else [question.default or question.option_values[0]]
    subsets = []
    for size in range(len(named) + 1):
        for subset in itertools.combinations(named, size):
            subsets.append([value for value in question.option_values if value in subset])
            if other:  # one answer nothing compares against, which still counts for `| length`
                subsets.append([value for value in question.option_values if value in subset or value == other[0]])
    return subsets


def _values(question: Question, comparisons: list[tuple[str, tuple[Any, ...]]]) -> tuple[Any, ...]:
    compared = {value for _, values in comparisons for value in values}
    kind = question.type
    if kind == "bool":
        values: list[Any] = [True, False]
    elif kind in ("choice", "multi-choice"):
        values = _choices(question, compared)
    elif kind in NUMERIC_TYPES:
        values = _numbers(question, sorted(value for value in compared if isinstance(value, (int, float)) and not isinstance(value, bool)))
    else:
        values = sorted(value for value in compared if isinstance(value, str)) + ["2026-01-31" if kind == "date" else "example"]
    if not question.required and question.default is None:
        values.append(None)
    return tuple(values)


def answer_space(playbook: Playbook) -> dict[str, Dimension]:
    """Every question's candidate answers, split where conditions tell answers apart."""
    compared: dict[str, list[tuple[str, tuple[Any, ...]]]] = {}
    for condition, _ in conditions_of(playbook):
        for comparison in condition.comparisons:
            compared.setdefault(comparison.name, []).append((comparison.op, comparison.values))
    return {question.id: Dimension(question, _values(question, compared.get(question.id, []))) for question in playbook.questions}


class AnswerSpace:
    """Enumerates or samples deals over the cone of chosen names."""

    def __init__(self, playbook: Playbook, *, limit: int = 200_000, samples: int = 20_000, seed: int = 0) -> None:
        self.playbook = playbook
        self.dimensions = answer_space(playbook)
        self.limit, self.samples, self.seed = limit, samples, seed
        self.combinations = 0
        self.sampled_checks = 0
        unconditional = [question for question in playbook.questions if question.when is None]
        self._order: list[Any] = [*unconditional, *playbook.resolution_order]
        # Names outside a check's cone keep these values; they cannot change its outcome.
        self._baseline: dict[str, Any] = {**EXAMPLE_DEAL.as_values(), **{name: None for name in playbook.facts_by_id}}
        self._baseline.update({name: dimension.values[0] for name, dimension in self.dimensions.items()})

    @property
    def size(self) -> int:
        """How many deals the whole space holds (an upper bound: ``when`` prunes some)."""
        size = 1
        for dimension in self.dimensions.values():
            size *= len(dimension.values)
        return size

    def cone(self, names: Iterable[str]) -> set[str]:
        """The questions whose answers can change the value of ``names``."""
        return {name for name in self.closure(names) if name in self.dimensions}

    def closure(self, names: Iterable[str]) -> set[str]:
        """``names`` and every question and fact they read, directly or not."""
        questions, facts = self.playbook.questions_by_id, self.playbook.facts_by_id
        seen: set[str] = set()
        pending = list(names)
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in questions and questions[name].when is not None:
                pending.extend(questions[name].when.names)
            elif name in facts:
                pending.extend(facts[name].expr.names)
        return seen

    def _steps(self, closure: set[str]) -> list[tuple[str, Any, tuple[Any, ...]]]:
        """What to do, in order, for the names in ``closure``: branch on a question, compute a fact."""
        steps = []
        for node in self._order:
            if node.id not in closure:
                continue
            if isinstance(node, Question):
                steps.append((node.id, node.when.function if node.when else None, self.dimensions[node.id].values))
            else:
                steps.append((node.id, node.expr.function, ()))
        return steps

    def deals(self, names: Iterable[str]) -> Iterator[dict[str, Any]]:
        """Resolved values of every deal in the cone of ``names`` (one dict, reused).

        Enumerates when the cone holds at most ``limit`` deals, otherwise draws
        ``samples`` deals at random (see :meth:`sampled`).
        """
        closure = self.closure(names)
        steps = self._steps(closure)
        values = {**self._baseline}
        if self._cone_size(steps) > self.limit:
            self.sampled_checks += 1
            generator = random.Random(f"{self.seed}:{','.join(sorted(closure))}")  # noqa: S311 - repeatable sampling, not secrecy
            for _ in range(self.samples):
                _sample(steps, values, generator)
                self.combinations += 1
                yield values
            return
        for deal in _walk(steps, values, 0):
            self.combinations += 1
            yield deal

    def sampled(self, names: Iterable[str]) -> bool:
        """Whether :meth:`deals` samples the cone of ``names`` rather than enumerating it."""
        return self._cone_size(self._steps(self.closure(names))) > self.limit

    @staticmethod
    def _cone_size(steps: list[tuple[str, Any, tuple[Any, ...]]]) -> int:
        size = 1
        for _, _, values in steps:
            size *= max(len(values), 1)
        return size

    def example(self, values: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
        """The answers of a deal, as an answers file would hold them."""
        cone = self.cone(names)
        return {
            question.id: list(values[question.id]) if isinstance(values[question.id], list) else values[question.id]
            for question in self.playbook.questions
            if values.get(question.id) is not None and (question.id in cone or question.required)
        }


def _walk(steps: list[tuple[str, Any, tuple[Any, ...]]], values: dict[str, Any], start: int) -> Iterator[dict[str, Any]]:
    for index in range(start, len(steps)):
        name, condition, choices = steps[index]
        if not choices:  # a fact
            values[name] = condition(values) if condition is not None else None
            continue
        if condition is not None and not condition(values):
            values[name] = None
            continue
        if len(choices) > 1:
            for choice in choices:
                values[name] = choice
                yield from _walk(steps, values, index + 1)
            return
        values[name] = choices[0]
    yield values


def _sample(steps: list[tuple[str, Any, tuple[Any, ...]]], values: dict[str, Any], generator: random.Random) -> None:
    for name, condition, choices in steps:
        if not choices:
            values[name] = condition(values) if condition is not None else None
        elif condition is not None and not condition(values):
            values[name] = None
        else:
            values[name] = choices[0] if len(choices) == 1 else generator.choice(choices)

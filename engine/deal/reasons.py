"""Why an item applies to a deal, in the negotiator's words.

A condition reads answers and facts; the playbook gives each question, option
and fact a ``reason`` sentence ("the vendor will hold our employees' personal
data"). This module turns the decisions behind an item into those sentences:
only the readings that made the condition hold are given, an answer that was
assumed from a default says so, and an item that applies to every deal gives
its one-phrase ``because``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..playbook.expressions import Comparison, Condition
from ..playbook.model import Item, Playbook, Question
from ..playbook.values import show_label, show_number
from .answers import Answers

__all__ = ["because_lines", "answer_words", "reading", "EVERY_DEAL"]

#: What an item without ``applies_when`` or ``because`` says.
EVERY_DEAL = "applies to every deal"

_OPERATORS = {
    "eq": lambda value, constants: value == constants[0],
    "ne": lambda value, constants: value != constants[0],
    "lt": lambda value, constants: value < constants[0],
    "lteq": lambda value, constants: value <= constants[0],
    "gt": lambda value, constants: value > constants[0],
    "gteq": lambda value, constants: value >= constants[0],
    "in": lambda value, constants: value in constants,
    "notin": lambda value, constants: value not in constants,
    "contains": lambda value, constants: constants[0] in value,
    "notcontains": lambda value, constants: constants[0] not in value,
}


def _holds(comparison: Comparison, value: Any) -> bool:
    try:
        return bool(_OPERATORS[comparison.op](value, comparison.values))
    except (TypeError, IndexError, KeyError):
        return False


def answer_words(question: Question, value: Any, currency: str | None = None) -> str:
    """An answer as a negotiator reads it: option labels, ``yes``/``no``, formatted numbers."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = show_number(value)
        if question.type == "money" and currency:
            return f"{currency} {number}"
        return f"{number}%" if question.type == "percent" else number
    return show_label(question.option_labels, value)


def _question_sentence(question: Question, value: Any, picked: tuple[str, ...], currency: str | None) -> str:
    if isinstance(value, bool):
        sentence = question.reason if value else question.reason_if_not
        if sentence:
            return sentence
    else:
        options = {option.value: option for option in question.options}
        chosen = [options[entry] for entry in (picked or ((value,) if isinstance(value, str) else ())) if entry in options]
        if chosen and all(option.reason for option in chosen):
            return "; ".join(option.reason for option in chosen)
        if question.reason:
            return question.reason.replace("{answer}", answer_words(question, value, currency))
    return f"{question.id.replace('_', ' ')}: {answer_words(question, value, currency)}"


def reading(playbook: Playbook, answers: Answers, name: str, value: Any, picked: tuple[str, ...] = ()) -> str:
    """The sentence for one value a condition read; ``picked`` narrows a list to the options tested."""
    question = playbook.questions_by_id.get(name)
    if question is not None:
        sentence = _question_sentence(question, value, picked, answers.deal.currency)
        if name not in answers.values and question.default is not None:
            return f"assumed: {sentence} — not answered"
        return sentence
    fact = playbook.facts_by_id.get(name)
    if fact is not None:
        if value:
            return fact.reason or fact.description.rstrip(".")
        return fact.reason_if_not or f"not: {fact.description.rstrip('.')}"
    return f"{name.replace('_', ' ')}: {value}"


def _supporting(condition: Condition, values: Mapping[str, Any]) -> tuple[list[tuple[str, Any, tuple[str, ...]]], list[tuple[str, Any]]]:
    """The readings that made ``condition`` hold, and the false ones it read (for a condition built on ``not``)."""
    compared: dict[str, list[Comparison]] = {}
    for comparison in condition.comparisons:
        compared.setdefault(comparison.name, []).append(comparison)
    held: list[tuple[str, Any, tuple[str, ...]]] = []
    unheld: list[tuple[str, Any]] = []
    for name in condition.names:
        value = values.get(name)
        if value is None:
            continue
        if name in compared:
            holding = [comparison for comparison in compared[name] if _holds(comparison, value)]
            if holding:
                picked = tuple(str(comparison.values[0]) for comparison in holding if comparison.op == "contains")
                held.append((name, value, picked))
        elif value not in (False, 0, [], ""):
            held.append((name, value, ()))
        else:
            unheld.append((name, value))
    return held, unheld


def because_lines(
    playbook: Playbook, answers: Answers, values: Mapping[str, Any], item: Item, conditions: tuple[Condition | None, ...]
) -> tuple[str, ...]:
    """Why ``item`` applies and was tailored, as sentences, each once.

    ``conditions`` are the conditions of the decisions behind it (the item's
    ``applies_when``, rules that included it or changed it); ``None`` stands
    for an item that applies to every deal.
    """
    lines: list[str] = []
    for condition in conditions:
        if condition is None:
            if item.because or len(conditions) == 1:
                lines.append(item.because or EVERY_DEAL)
            continue
        held, unheld = _supporting(condition, values)
        if held:
            lines.extend(reading(playbook, answers, name, value, picked) for name, value, picked in held)
        else:
            lines.extend(reading(playbook, answers, name, value) for name, value in unheld)
    return tuple(dict.fromkeys(lines))

"""Answers files: one deal's metadata and its answers, checked against a playbook.

People type numbers and yes/no answers in many ways. This module reads the
unambiguous ones — ``450000``, ``450,000``, ``"$450,000"``, ``"EUR 1.2m"``,
``yes``/``no``, ``15%``, ``2026-03-31`` — and rejects the ambiguous ones
(``1,5``, ``31/03/2026``, ``450.000,00``) with a message saying what is
expected, rather than guessing wrong.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationErrors, did_you_mean, shorten
from ..infra.schema import check_document
from ..infra.yamlfile import Document, read_document
from ..playbook.model import DEAL_FIELDS, Playbook, Question

__all__ = ["Answers", "Deal", "read_answers", "parse_answers", "answers_and_problems", "coerce_answer", "AnswerError", "plainly_valid"]

_TRUE = {"yes", "y", "true"}
_FALSE = {"no", "n", "false"}
_GROUPED = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")
_MONEY = re.compile(r"^(?P<pre>[A-Za-z]{3}|[$€£¥])?\s*(?P<amount>[-+]?[\d.,]+)\s*(?P<scale>[kKmM])?\s*(?P<post>[A-Za-z]{3})?$")
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 5000


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says what is expected."""


@dataclass(frozen=True, slots=True)
class Deal:
    """Deal metadata from the answers file's ``deal:`` block."""

    name: str
    vendor: str
    customer: str = "Customer"
    product: str = "the Software"
    currency: str | None = None
    date: str | None = None
    negotiator: str | None = None

    def as_values(self) -> dict[str, Any]:
        """``{"deal.vendor": ..., ...}``, as conditions read them."""
        return {f"deal.{name}": getattr(self, name) for name in DEAL_FIELDS}


@dataclass(frozen=True)
class Answers:
    """A deal's metadata and its answers, coerced to each question's type."""

    deal: Deal
    values: Mapping[str, Any]
    file: str = ""
    #: answers kept aside because their question no longer applies (see the interview)
    parked: Mapping[str, Any] = field(default_factory=dict)
    #: required questions that are asked for this deal but not answered yet
    unanswered: tuple[str, ...] = ()
    #: the document the answers were read from, to locate what is missing
    document: Document | None = field(default=None, compare=False, repr=False)

    @cached_property
    def given(self) -> dict[str, Any]:
        """Answers and ``deal.<field>`` values in one mapping, as conditions read them."""
        return {**self.values, **self.deal.as_values()}


def _number(text: str) -> float | int:
    text = text.strip().replace(" ", "").replace("_", "")
    if _GROUPED.match(text):
        text = text.replace(",", "")
    elif not _PLAIN.match(text):
        raise AnswerError("expected a number such as 1200 or 1,200.50")
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def _money(text: str, currency: str | None) -> float | int:
    match = _MONEY.match(text.strip())
    if not match:
        raise AnswerError('expected an amount such as 450000, 450,000, "$450,000" or "EUR 1.2m"')
    codes = {_SYMBOLS.get(code, code.upper()) for code in (match["pre"], match["post"]) if code}
    if len(codes) > 1:
        raise AnswerError(f"amount names two currencies: {', '.join(sorted(codes))}")
    if codes and currency and codes != {currency}:
        raise AnswerError(f"amount is in {codes.pop()} but the deal currency is {currency}")
    value = _number(match["amount"])
    scale = (match["scale"] or "").lower()
    if scale:
        value = value * (1000 if scale == "k" else 1_000_000)
        value = int(value) if float(value).is_integer() else value
    return value


def coerce_answer(question: Question, raw: Any, currency: str | None = None) -> Any:
    """Convert one raw answer to the question's type, or raise :class:`AnswerError`."""
    kind = question.type
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise AnswerError("expected yes or no")
    if kind == "choice":
        return _option(question, raw)
    if kind == "multi-choice":
        picked = raw if isinstance(raw, list) else [raw]
        values: list[str] = []
        for entry in picked:
            value = _option(question, entry)
            if value not in values:
                values.append(value)
        return values
    if kind in ("integer", "number", "money", "percent"):
        return _bounded(question, _numeric(kind, raw, currency))
    if kind == "date":
        if not isinstance(raw, str) or not _DATE.match(raw.strip()):
            raise AnswerError("expected a date as YYYY-MM-DD, e.g. 2026-03-31")
        try:
            _dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise AnswerError(f"{shorten(raw)!r} is not a real calendar date") from None
        return raw.strip()
    text = raw if isinstance(raw, str) else str(raw)
    if isinstance(raw, (list, dict)):
        raise AnswerError("expected text, got a list or mapping")
    if len(text) > MAX_TEXT:
        raise AnswerError(f"text is longer than {MAX_TEXT} characters")
    return text


def _numeric(kind: str, raw: Any, currency: str | None) -> float | int:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise AnswerError(f"expected a number, got {type(raw).__name__ if not isinstance(raw, bool) else 'yes/no'}")
    if isinstance(raw, str):
        text = raw.strip()
        if kind == "money":
            value = _money(text, currency)
        elif kind == "percent":
            value = _number(text.removesuffix("%"))
        else:
            value = _number(text)
    else:
        value = raw
    if value != value or value in (float("inf"), float("-inf")):
        raise AnswerError("expected a finite number")
    if kind == "integer":
        if isinstance(value, float) and not value.is_integer():
            raise AnswerError("expected a whole number")
        value = int(value)
    return value


def _bounded(question: Question, value: float | int) -> float | int:
    if question.minimum is not None and value < question.minimum:
        raise AnswerError(f"must be at least {question.minimum:g}")
    if question.maximum is not None and value > question.maximum:
        raise AnswerError(f"must be at most {question.maximum:g}")
    return value


def _option(question: Question, raw: Any) -> str:
    if isinstance(raw, str):
        text = raw.strip()
        if text in question.option_values:
            return text
        for option in question.options:
            if text.lower() in (option.value.lower(), option.label.lower()):
                return option.value
    values = question.option_values
    hint = did_you_mean(str(raw)[:200], values) or f" (options: {', '.join(values)})"
    raise AnswerError(f"{shorten(raw)!r} is not an option{hint}")


_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_FIELDS = frozenset(DEAL_FIELDS)


def _plain_answers(block: Any) -> bool:
    if block is None:
        return True
    if type(block) is not dict:
        return False
    for key, value in block.items():
        if type(key) is not str or not _ID.match(key):
            return False
        if type(value) is list:
            if len(value) > 100 or any(type(entry) not in (str, int, float) for entry in value):
                return False
        elif value is not None and type(value) not in (str, int, float, bool):
            return False
    return True


def plainly_valid(content: Any) -> bool:
    """Whether an answers file is certainly valid against ``schemas/answers.schema.json``, checked quickly.

    It accepts only what the schema accepts and says ``False`` for anything
    unusual, which is then checked against the schema itself (the one source
    of the messages). Reading a folder of deals spends most of its time in
    the schema check otherwise.
    """
    if type(content) is not dict or "deal" not in content or not content.keys() <= {"deal", "answers", "parked"}:
        return False
    deal = content["deal"]
    if type(deal) is not dict or "name" not in deal or "vendor" not in deal or not deal.keys() <= _FIELDS:
        return False
    for name, value in deal.items():
        if value is None:
            continue
        if type(value) is not str or not 1 <= len(value) <= 300:
            return False
        if name == "currency" and not _CURRENCY.match(value):
            return False
        if name == "date":
            if not _ISO_DATE.match(value):
                return False
            try:
                _dt.date.fromisoformat(value)
            except ValueError:
                return False
    return _plain_answers(content.get("answers")) and _plain_answers(content.get("parked"))


def parse_answers(document: Document, playbook: Playbook) -> Answers:
    """Check an answers document against the playbook and coerce every answer; raises :class:`ValidationErrors`.

    See :func:`answers_and_problems` for what is checked.
    """
    answers, problems = answers_and_problems(document, playbook)
    ValidationErrors.raise_if(problems)
    return answers


def answers_and_problems(document: Document, playbook: Playbook) -> tuple[Answers, list[Problem]]:
    """Check an answers document against the playbook and coerce every answer.

    Returns the answers that could be read and every problem: schema violations,
    unknown question ids (with a did-you-mean), answers of the wrong type or
    not among the options. Whether every required question is answered
    depends on which questions this deal is asked; that is the evaluator's
    to say (:func:`dealbook.deal.evaluate.evaluate` with ``require_complete``).
    """
    content = document.content
    problems = [] if plainly_valid(content) else check_document(document, "answers")
    if not isinstance(content, dict):
        ValidationErrors.raise_if(problems)
    # The answers are checked even when the deal block has problems, so that one run reports all of them.
    deal_block = content.get("deal") if isinstance(content.get("deal"), dict) else {}
    # An empty deal field is not filled in yet: the others fall back to their defaults.
    filled = {name: value for name, value in deal_block.items() if name in DEAL_FIELDS and isinstance(value, str)}
    deal = Deal(**{"name": "", "vendor": "", **filled})
    values: dict[str, Any] = {}
    parked: dict[str, Any] = {}
    for block, target in (("answers", values), ("parked", parked)):
        entries = content.get(block)
        for question_id, raw in (entries.items() if isinstance(entries, dict) else ()):
            if problems and any(problem.location.path.startswith(f"{block}/{question_id}") for problem in problems):
                continue  # already reported by the schema
            question = playbook.questions_by_id.get(question_id)
            if question is None:
                problems.append(Problem(document.locate([block, question_id], key=True), _unknown(question_id, playbook)))
                continue
            if raw is None or raw == [] and question.type != "multi-choice":
                continue
            try:
                target[question_id] = coerce_answer(question, raw, deal.currency)
            except AnswerError as error:
                problems.append(Problem(document.locate([block, question_id]), f"question '{question_id}': {error}"))
    return Answers(deal, values, document.file, parked, document=document), problems


def _unknown(question_id: str, playbook: Playbook) -> str:
    if question_id in playbook.facts_by_id:
        return f"'{question_id}' is a fact computed from other answers; it cannot be answered directly"
    return f"unknown question '{question_id}'{did_you_mean(question_id, playbook.questions_by_id)}"


def read_answers(path: str | Path, playbook: Playbook) -> Answers:
    """Read and check an answers file (YAML or JSON) for ``playbook``, without the completeness check."""
    return parse_answers(read_document(Path(path)), playbook)

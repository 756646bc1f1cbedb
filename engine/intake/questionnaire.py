"""The questionnaire as an answers file, blank or partly filled in.

A negotiator who prefers an editor to the interview fills in the file this
module writes: a ``deal:`` block and every question of the playbook as a key,
grouped by section in playbook order, each with its text, help, the answers
it takes and when it is asked as comments. Empty values are "not answered
yet", so the blank file loads and ``dealbook evaluate`` lists what is left.

The interview saves with the same writer, so the file it keeps up to date is
this questionnaire with the answers filled in. Answers are written as YAML
data (quoted where needed), never into comments.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import yaml

from ..deal.answers import Answers, Deal, parse_answers
from ..infra.files import write_keeping_previous
from ..infra.yamlfile import read_document
from ..playbook.model import DEAL_FIELDS, Playbook, Question, Section
from ..playbook.values import NOT_PRINTABLE, show_number

__all__ = ["AnswerSheet", "questionnaire_text", "write_questionnaire", "load_sheet", "format_for"]

WIDTH = 88

_DEAL_DEFAULTS = {entry.name: entry.default for entry in fields(Deal)}

#: What each deal field is, for the comment next to it.
DEAL_NOTES: dict[str, str] = {
    "name": "a short name for the deal, e.g. CRM renewal 2027 (needed)",
    "vendor": "the vendor's name as clauses should say it (needed)",
    "customer": f'our contracting entity (left empty: "{_DEAL_DEFAULTS["customer"]}")',
    "product": f'what we buy (left empty: "{_DEAL_DEFAULTS["product"]}")',
    "currency": "three-letter currency code, e.g. EUR, USD, GBP",
    "date": "date of this guidance, YYYY-MM-DD",
    "negotiator": "who leads the negotiation",
}

_PARKED_NOTE = (
    "Parked answers: answers to questions that no longer apply to this deal,",
    "because an earlier answer changed. dealbook ignores them. The interview",
    "moves each one back under answers: when its question applies again;",
    "delete any you no longer need.",
)

_PLAIN_WORD = re.compile(r"[a-z][a-z0-9_]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


@dataclass(frozen=True, slots=True)
class AnswerSheet:
    """What an answers file holds, as filled in: deal fields, answers, parked answers.

    A key that is missing is not filled in (deal field) or not answered yet
    (question). Answers are values already coerced to each question's type.
    """

    deal: Mapping[str, str] = field(default_factory=dict)
    answers: Mapping[str, Any] = field(default_factory=dict)
    parked: Mapping[str, Any] = field(default_factory=dict)
    #: where the file's modeline points editors for its schema ("" for the bundled answers schema)
    schema: str = field(default="", compare=False)

    def answered(self, question_id: str, value: Any) -> AnswerSheet:
        """The sheet with one more (or a changed) answer."""
        parked = {key: kept for key, kept in self.parked.items() if key != question_id}
        return AnswerSheet(self.deal, {**self.answers, question_id: value}, parked)

    def with_deal(self, name: str, value: str | None) -> AnswerSheet:
        """The sheet with one deal field filled in, or emptied when ``value`` is empty."""
        deal = {key: kept for key, kept in self.deal.items() if key != name}
        if value:
            deal[name] = value
        return AnswerSheet(deal, self.answers, self.parked)

    def to_answers(self, file: str = "") -> Answers:
        """The sheet as :class:`~dealbook.answers.Answers`, ready to evaluate."""
        deal = Deal(**{"name": "", "vendor": "", **self.deal})
        return Answers(deal, dict(self.answers), file, dict(self.parked))


def load_sheet(path: str | Path, playbook: Playbook) -> AnswerSheet:
    """Read an answers file as filled in, checking it (every problem at once)."""
    document = read_document(Path(path))
    answers = parse_answers(document, playbook)
    deal = {name: value for name, value in document.content["deal"].items() if value is not None}
    return AnswerSheet(deal, dict(answers.values), dict(answers.parked), _modeline_schema(Path(path)))


_MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(?P<schema>\S+)")


def _modeline_schema(path: Path) -> str:
    """The schema an answers file's modeline names, kept when the file is rewritten."""
    if path.suffix.lower() == ".json":
        return ""
    with path.open(encoding="utf-8-sig", errors="replace") as stream:
        match = _MODELINE.match(stream.readline())
    return match["schema"] if match else ""


@cache
def bundled_answers_schema() -> str:
    """The path of the answers schema installed with dealbook, for modelines."""
    return str(files("dealbook.schemas") / "answers.schema.json")


def format_for(path: Path | None, requested: str | None = None) -> str:
    """The format to write: the one requested, else ``json`` for a ``.json`` file, else ``yaml``."""
    if requested:
        return requested
    return "json" if path is not None and path.suffix.lower() == ".json" else "yaml"


def questionnaire_text(playbook: Playbook, sheet: AnswerSheet | None = None, fmt: str = "yaml") -> str:
    """The questionnaire for ``playbook`` in ``fmt``, with the answers in ``sheet`` filled in."""
    return _WRITERS[fmt](playbook, sheet or AnswerSheet())


def write_questionnaire(playbook: Playbook, path: Path, fmt: str | None = None, *, schema: str = "") -> Path:
    """Write the questionnaire to ``path``.

    When ``path`` already is an answers file, its answers are kept and the
    questionnaire is rewritten around them (new questions appear, comments
    follow the playbook); the previous content is kept as ``path.bak``.
    """
    sheet = load_sheet(path, playbook) if path.exists() else AnswerSheet()
    if schema:
        sheet = dataclasses.replace(sheet, schema=schema)
    return write_keeping_previous(path, questionnaire_text(playbook, sheet, format_for(path, fmt)))


# --- values -----------------------------------------------------------------


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _PLAIN_WORD.fullmatch(text) and text not in _YAML11_WORDS:
        return text
    return _quoted(text)


@lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    # PyYAML's emitter knows which characters need escaping in a double-quoted scalar.
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=sys.maxsize).rstrip("\n")


def _yaml_value(value: Any) -> str:
    """A value as it follows ``key:`` in YAML: ``" saas"``, ``" [gdpr, hipaa]"``, or nothing."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " [" + ", ".join(map(_scalar, value)) + "]"
    return " " + _scalar(value)



# --- comments ---------------------------------------------------------------


def _comment(text: str, prefix: str = "# ") -> list[str]:
    return list(_wrapped(text, prefix))


@lru_cache(maxsize=4096)
def _wrapped(text: str, prefix: str) -> tuple[str, ...]:
    # The same help texts are wrapped on every save of an answers file (the web workspace saves per field).
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        paragraph = NOT_PRINTABLE.sub(" ", paragraph)
        wrapped = textwrap.wrap(paragraph, WIDTH - len(prefix), break_on_hyphens=False)
        lines += [prefix + line for line in wrapped] or [prefix.rstrip()]
    return tuple(lines)


def _bounds(question: Question) -> str:
    low, high = question.minimum, question.maximum
    if low is not None and high is not None:
        return f" from {show_number(low)} to {show_number(high)}"
    if low is not None:
        return f", at least {show_number(low)}"
    return f", at most {show_number(high)}" if high is not None else ""


def _options(question: Question) -> list[str]:
    width = max(len(option.value) for option in question.options)
    return [f"  {option.value.ljust(width)}  {option.label}" for option in question.options]


#: How each type of question is answered, as the comment says it.
ANSWER_NOTES: dict[str, Callable[[Question], list[str]]] = {
    "bool": lambda question: ["Answer yes or no."],
    "choice": lambda question: ["Answer one of:", *_options(question)],
    "multi-choice": lambda question: ["Answer a list of any of these, e.g. [a, b], or [] for none:", *_options(question)],
    "integer": lambda question: [f"Answer a whole number{_bounds(question)}."],
    "number": lambda question: [f"Answer a number{_bounds(question)}."],
    "money": lambda question: [f'Answer an amount such as 450000, 450,000 or "EUR 1.2m"{_bounds(question)}.'],
    "percent": lambda question: [f"Answer a percentage such as 15{_bounds(question)}."],
    "date": lambda question: ["Answer a date as YYYY-MM-DD, e.g. 2026-03-31."],
    "text": lambda question: ['Answer in words, in "double quotes" if the text has a colon or a #.'],
}


def describe(question: Question) -> list[str]:
    """The comment lines that explain a question: text, help, answers, default, when asked."""
    key = (question.text, question.help, question.type, question.options, question.minimum, question.maximum,
           repr(question.default), question.required, question.when.source if question.when is not None else None)
    lines = _DESCRIBED.get(key)
    if lines is None:
        if len(_DESCRIBED) >= 2048:
            _DESCRIBED.clear()
        lines = _DESCRIBED[key] = tuple(_described(question))
    return list(lines)


#: Comment lines by everything they say (a question itself is unhashable when its default is a list):
#: the web workspace rewrites the whole file, comments included, on every save.
_DESCRIBED: dict[tuple[Any, ...], tuple[str, ...]] = {}


def _described(question: Question) -> list[str]:
    lines = _comment(question.text)
    if question.help:
        lines += _comment(question.help, "#   ")
    lines += ["#   " + line for line in ANSWER_NOTES[question.type](question)]
    notes = []
    if question.default is not None and question.default != []:
        notes.append(f"Default: {_yaml_value(question.default).strip()} (assumed while unanswered).")
    if question.required:
        notes.append("Required.")
    if question.when is not None:
        notes.append(f"Asked only when: {' '.join(question.when.source.split())}")
    if notes:
        lines += _comment(" ".join(notes), "#   ")
    return lines


# --- writers ----------------------------------------------------------------


def _heading(playbook: Playbook) -> list[str]:
    return [
        *_comment(f"Answers for one deal, for the playbook {playbook.title} ({playbook.id} {playbook.version})."),
        "#",
        "# Write each answer after its colon. An empty answer is not answered yet.",
        "# Check the file with `dealbook evaluate FILE`, or answer the questions one",
        "# at a time with `dealbook interview FILE` (add -p PLAYBOOK to either when the",
        "# playbook is not the bundled one). The interview rewrites this file after",
        "# every answer and keeps the file as it found it as FILE.bak.",
    ]


def _section_heading(section: Section) -> list[str]:
    rule = f"# == {section.title} "
    lines = ["", "  " + rule + "=" * max(3, WIDTH - 2 - len(rule))]
    if section.description:
        lines += ["  " + line for line in _comment(section.description)]
    return lines


def _yaml_text(playbook: Playbook, sheet: AnswerSheet) -> str:
    skeleton = _skeleton(playbook)
    modeline = f"# yaml-language-server: $schema={sheet.schema or bundled_answers_schema()}"
    parts = [modeline, skeleton.heading]
    for name in DEAL_FIELDS:
        entry = f"  {name}:{_yaml_value(sheet.deal.get(name))}"
        parts.append(f"\n{entry.ljust(16)}  # {DEAL_NOTES[name]}")
    parts.append("\n\nanswers:")
    answers, parked = sheet.answers, sheet.parked
    for heading, questions in skeleton.sections:
        parts.append(heading)
        for question_id, block, parked_line in questions:
            if question_id in parked:
                parts.append(parked_line)
            else:
                parts += (block, _yaml_value(answers.get(question_id)))
    if parked:
        parts.append("\n" + "".join("\n" + line for line in (*_comment(" ".join(_PARKED_NOTE)), "parked:")))
        for question_id, block in skeleton.questions:
            if question_id in parked:
                parts += (block, _yaml_value(parked[question_id]))
    parts.append("\n")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class _Skeleton:
    """What a playbook's questionnaire says whatever the answers: each piece with the line breaks before it."""

    heading: str
    #: per section: its heading, and per question (id, its comment and key, the line saying it is parked)
    sections: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]
    #: per question in playbook order: (id, its comment and key), for the parked section
    questions: tuple[tuple[str, str], ...]


#: Skeletons by playbook.
_SKELETONS: WeakKeyDictionary[Playbook, _Skeleton] = WeakKeyDictionary()


def _skeleton(playbook: Playbook) -> _Skeleton:
    # The web workspace rewrites the whole file, comments included, on every save of a field.
    known = _SKELETONS.get(playbook)
    if known is not None:
        return known

    def joined(lines: Iterable[str]) -> str:
        return "".join("\n" + line for line in lines)

    def block(question: Question) -> str:
        return joined(["", *("  " + line for line in describe(question)), f"  {question.id}:"])

    sections = tuple(
        (joined(_section_heading(section)),
         tuple((question.id, block(question), f"\n\n  # {question.id}: parked, see the end of the file") for question in section.questions))
        for section in playbook.sections
    )
    skeleton = _Skeleton(joined([*_heading(playbook), "", "deal:"]), sections,
                         tuple((question.id, block(question)) for question in playbook.questions))
    _SKELETONS[playbook] = skeleton
    return skeleton


def _json_text(playbook: Playbook, sheet: AnswerSheet) -> str:
    data: dict[str, Any] = {
        "deal": {name: sheet.deal.get(name) for name in DEAL_FIELDS},
        "answers": {question.id: sheet.answers.get(question.id) for question in playbook.questions if question.id not in sheet.parked},
    }
    if sheet.parked:
        data["parked"] = {question.id: sheet.parked[question.id] for question in playbook.questions if question.id in sheet.parked}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


_WRITERS: dict[str, Callable[[Playbook, AnswerSheet], str]] = {"yaml": _yaml_text, "json": _json_text}

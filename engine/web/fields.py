"""The questionnaire as form fields: what each question shows, and how a submitted form reads back.

A field is named by its key, ``answer.<question id>`` or ``deal.<field>``;
beside it the form carries ``version.<key>``, the version of the value it
was shown with (:func:`dealbook.web.workspace.field_version`). A field is
part of a submission only when its version is, so a form that shows some
questions changes only those.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..playbook.model import DEAL_FIELDS, Playbook, Question
from ..playbook.values import show_label, show_number
from .workspace import Change, DealFile, Saved

__all__ = ["NONE_OF_THESE", "DEAL_LABELS", "Choice", "Field", "answer_fields", "deal_fields", "changes_from_form", "notes_for"]

#: The checkbox that answers a multi-choice question with "none of these" (an empty list).
NONE_OF_THESE = ":none"

#: Deal fields as the form labels them: (label, hint).
DEAL_LABELS: dict[str, tuple[str, str]] = {
    "name": ("Deal name", "A short name, e.g. CRM renewal 2027. Needed for the pack."),
    "vendor": ("Vendor", "The vendor's name as clauses should say it. Needed for the pack."),
    "customer": ("Our contracting entity", "Left empty, the pack says “Customer”."),
    "product": ("What we buy", "Left empty, the pack says “the Software”."),
    "currency": ("Currency", "Three letters, e.g. EUR, USD or GBP."),
    "date": ("Date of this guidance", "YYYY-MM-DD."),
    "negotiator": ("Negotiator", "Who leads the negotiation."),
}

_INPUT_MODES = {"integer": "numeric", "number": "decimal", "percent": "decimal", "money": "text"}
_HINTS = {
    "integer": "A whole number",
    "number": "A number",
    "money": "An amount such as 450000, 450,000 or EUR 1.2m",
    "percent": "A percentage such as 15",
    "date": "A date as YYYY-MM-DD",
    "text": "In words",
}


@dataclass(frozen=True, slots=True)
class Choice:
    """One radio button or checkbox."""

    value: str
    label: str
    help: str
    checked: bool


@dataclass(frozen=True, slots=True)
class Field:
    """Everything a template needs to draw one field; the names used in the page derive from ``key``."""

    kind: str  # "answer" or "deal"
    name: str
    label: str
    help: str
    widget: str  # "radio", "checkbox", "text" or "date"
    version: str
    asked: bool = True
    text: str = ""
    choices: tuple[Choice, ...] = ()
    input_mode: str = ""
    hint: str = ""
    assumed: str = ""
    required: bool = False
    message: str = ""
    tone: str = ""  # "error", "conflict" or "" (no message, or a plain note)

    @property
    def key(self) -> str:
        return f"{self.kind}.{self.name}"

    @property
    def slug(self) -> str:
        """The field's part of element ids: ``deployment``, ``deal-name``."""
        return self.name.replace("_", "-") if self.kind == "answer" else f"deal-{self.name}"


def _shown_text(question: Question, value: Any) -> str:
    if value is None:
        return ""
    if question.type in ("text", "date"):
        return str(value)
    return show_number(value) if isinstance(value, (int, float)) else str(value)


def _assumed(question: Question) -> str:
    default = question.default
    if default is None or (question.type != "multi-choice" and default == []):
        return ""
    if isinstance(default, bool):
        return "Yes" if default else "No"
    if isinstance(default, (int, float)):
        return show_number(default)
    return show_label(question.option_labels, default)


def _choices(question: Question, value: Any, raw: Any) -> tuple[Choice, ...]:
    picked = raw if raw is not None else value
    if question.type == "bool":
        current = {True: "yes", False: "no"}.get(picked, picked) if not isinstance(picked, str) else picked
        return (Choice("yes", "Yes", "", current == "yes"), Choice("no", "No", "", current == "no"),
                Choice("", "Not answered yet", "", current in (None, "")))
    if question.type == "choice":
        options = tuple(Choice(option.value, option.label, option.help, picked == option.value) for option in question.options)
        return (*options, Choice("", "Not answered yet", "", picked in (None, "")))
    ticked = set(picked) if isinstance(picked, list) else set()
    none = picked == [] or NONE_OF_THESE in ticked
    options = tuple(Choice(option.value, option.label, option.help, option.value in ticked) for option in question.options)
    return (*options, Choice(NONE_OF_THESE, "None of these", "", none))


def question_field(question: Question, deal: DealFile, asked: bool, *, raw: Any = None, message: str = "", tone: str = "") -> Field:
    """One question as a field; ``raw`` is what the browser sent, shown again when it was refused."""
    value = deal.sheet.answers.get(question.id)
    common = {
        "kind": "answer", "name": question.id, "label": question.text, "help": question.help,
        "version": deal.version("answer", question.id), "asked": asked, "assumed": _assumed(question),
        "required": question.required, "message": message, "tone": tone,
    }
    if question.type in ("bool", "choice", "multi-choice"):
        widget = "checkbox" if question.type == "multi-choice" else "radio"
        return Field(widget=widget, choices=_choices(question, value, raw), **common)
    text = raw if isinstance(raw, str) else _shown_text(question, value)
    return Field(widget="date" if question.type == "date" else "text", text=text, input_mode=_INPUT_MODES.get(question.type, ""),
                 hint=_HINTS[question.type], **common)


def deal_field(name: str, deal: DealFile | None, *, raw: Any = None, message: str = "", tone: str = "") -> Field:
    """One deal field (name, vendor, ...) as a field."""
    label, hint = DEAL_LABELS[name]
    value = deal.sheet.deal.get(name) if deal else None
    text = raw if isinstance(raw, str) else (value or "")
    version = deal.version("deal", name) if deal else ""
    return Field("deal", name, label, "", "date" if name == "date" else "text", version, text=text, hint=hint,
                 required=name in ("name", "vendor"), message=message, tone=tone)


def answer_fields(playbook: Playbook, deal: DealFile, asked: Sequence[str], overrides: Mapping[str, Mapping[str, Any]] = {}) -> dict[str, Field]:
    """Every question of the playbook as a field, by question id (those not asked drawn hidden)."""
    shown = set(asked)
    return {question.id: question_field(question, deal, question.id in shown, **overrides.get(f"answer.{question.id}", {}))
            for question in playbook.questions}


def deal_fields(deal: DealFile | None, overrides: Mapping[str, Mapping[str, Any]] = {}) -> list[Field]:
    """The deal block's fields, in the answers file's order."""
    return [deal_field(name, deal, **overrides.get(f"deal.{name}", {})) for name in DEAL_FIELDS]


def _raw(form: Any, kind: str, name: str, playbook: Playbook) -> Any:
    key = f"{kind}.{name}"
    if kind == "answer" and playbook.questions_by_id[name].type == "multi-choice":
        ticked = [value for value in form.getlist(key) if value]
        if not ticked:
            return None
        if NONE_OF_THESE in ticked:
            return [] if ticked == [NONE_OF_THESE] else ticked  # ":none" with others is refused as not an option
        return ticked
    value = form.get(key)
    return value if value is None else str(value)


def changes_from_form(form: Any, playbook: Playbook, only: str | None = None) -> list[Change]:
    """The changes a submitted form carries: each field whose version came with it (or just ``only``)."""
    keys = [f"deal.{name}" for name in DEAL_FIELDS] + [f"answer.{question.id}" for question in playbook.questions]
    changes = []
    for key in keys:
        if (only is not None and key != only) or f"version.{key}" not in form:
            continue
        kind, name = key.split(".", 1)
        changes.append(Change(kind, name, _raw(form, kind, name, playbook), str(form.get(f"version.{key}"))))
    return changes


def _shown(question: Question | None, value: Any) -> str:
    if value is None:
        return "not answered"
    return show_label(question.option_labels, value) if question else str(value)


def overrides_for(saved: Saved, changes: Sequence[Change], playbook: Playbook) -> dict[str, dict[str, Any]]:
    """Per field key, what to draw beside it after a save: the refusal with the value sent, or the conflict."""
    overrides: dict[str, dict[str, Any]] = {}
    sent = {change.key: change.raw for change in changes}
    for key, message in saved.refused.items():
        overrides[key] = {"raw": sent.get(key), "message": f"Not saved: {message}.", "tone": "error"}
    for key, refused in saved.conflicts.items():
        kind, name = key.split(".", 1)
        now = saved.deal.stored(kind, name)
        question = playbook.questions_by_id.get(name) if kind == "answer" else None
        overrides[key] = {"message": f"Not saved: this was changed elsewhere to “{_shown(question, now)}” after you opened the page. "
                                     f"Your “{_shown(question, refused)}” was not saved; choose again to replace it.", "tone": "conflict"}
    return overrides


def notes_for(saved: Saved, playbook: Playbook, appeared: Sequence[str], disappeared: Sequence[str]) -> list[str]:
    """What the status line says after a save, in the interview's words."""
    questions = playbook.questions_by_id
    notes = []
    if saved.refused or saved.conflicts:
        notes.append("Some changes were not saved: see the message beside each field.")
    elif saved.written:
        notes.append("Saved.")
    else:
        notes.append("No change to save.")
    notes += [f"Now asked: {questions[name].text}" for name in appeared if name not in saved.restored]
    notes += [f"Your earlier answer to “{questions[name].text}” applies again and is back." for name in saved.restored]
    for name in disappeared:
        parked = " Your answer is parked and comes back if you change the earlier answer back." if name in saved.parked else ""
        text = questions[name].text
        notes.append(f"No longer asked: {text}{'' if text.endswith(('?', '.')) else '.'}{parked}")
    return notes

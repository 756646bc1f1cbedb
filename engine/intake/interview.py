"""The interview: a deal's questions asked one at a time, and nothing ever lost.

The flow lives here and talks to the negotiator only through an
:class:`Asker` — the terminal one is :class:`dealbook.asker.TerminalAsker`,
tests use a scripted one. It asks, in playbook order, each question whose
``when`` holds given the answers so far, and saves the answers file
atomically after every answer, so an interrupted interview resumes at the
first unanswered question.

An answer whose question stops applying (an earlier answer changed) is
*parked*: kept in the file's ``parked:`` section, ignored by evaluation, and
moved back when the question applies again. At the end the interview shows
a one-screen summary and offers to write the briefing pack.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..deal.answers import AnswerError, coerce_answer
from ..deal.evaluate import evaluate, missing_required, resolve_values
from ..deal.evaluation import Evaluation
from ..errors import DealbookError, Location
from ..infra.files import write_atomic, write_keeping_previous
from ..infra.folders import folder_name
from ..playbook.model import PRIORITIES, SEVERITIES, Playbook, Question
from ..playbook.values import show_answer
from .questionnaire import AnswerSheet, format_for, load_sheet, questionnaire_text

__all__ = [
    "Asker",
    "Pick",
    "HELP",
    "SKIP",
    "PackWriter",
    "asked",
    "deal_check",
    "sort_relevant",
    "next_question",
    "run_interview",
    "summary_lines",
]

#: Picked to see a question's help, or typed as ``?`` in a text prompt.
HELP = "?"
#: Picked (or an empty text answer) to pass a question over for now.
SKIP = ""

#: Writes the briefing pack for an evaluation into a folder; returns the files written.
PackWriter = Callable[[Evaluation, Path], Sequence[Path]]

_CURRENCY = re.compile(r"[A-Z]{3}")
#: The deal date is read like a date answer.
_DATE_QUESTION = Question("date", "Date of this guidance", "", "date", "deal", Location(""))


@dataclass(frozen=True, slots=True)
class Pick:
    """One entry of a list to pick from: the value returned, its label, an optional key."""

    value: str
    label: str
    key: str | None = None


class Asker(Protocol):
    """Everything the interview needs from a user interface."""

    def select(self, message: str, picks: Sequence[Pick], default: str | None) -> str:
        """One entry picked from a list (arrow keys); returns its value."""

    def checkbox(self, message: str, picks: Sequence[Pick], checked: Sequence[str]) -> list[str]:
        """Any number of entries ticked; returns their values."""

    def text(self, message: str, default: str, check: Callable[[str], str | None], hint: str = "") -> str:
        """A line of text, re-asked while ``check`` returns a reason it does not fit."""

    def confirm(self, message: str, default: bool) -> bool:
        """Yes or no."""

    def tell(self, message: str) -> None:
        """Show a message."""


# --- which questions apply ----------------------------------------------------


def asked(question: Question, values: dict[str, Any]) -> bool:
    """Whether ``question`` is asked, given resolved values (see :func:`dealbook.evaluate.resolve_values`)."""
    if question.when is None:
        return True
    try:
        return bool(question.when(values))
    except TypeError:  # as when resolving: a comparison that cannot be made does not hold
        return False


def sort_relevant(playbook: Playbook, sheet: AnswerSheet) -> tuple[AnswerSheet, tuple[str, ...], tuple[str, ...]]:
    """Park answers whose question no longer applies; bring back parked ones that apply again.

    Returns the new sheet, the questions just parked and those just brought back.
    """
    remembered = {**sheet.parked, **sheet.answers}
    # Resolving with every remembered answer decides each question in dependency
    # order, so a parked answer that applies again counts for the questions after it.
    values = resolve_values(playbook, AnswerSheet(sheet.deal, remembered).to_answers())
    answers: dict[str, Any] = {}
    parked: dict[str, Any] = {}
    for question in playbook.questions:
        if question.id in remembered:
            (answers if asked(question, values) else parked)[question.id] = remembered[question.id]
    newly_parked = tuple(name for name in parked if name not in sheet.parked)
    restored = tuple(name for name in answers if name in sheet.parked and name not in sheet.answers)
    return AnswerSheet(sheet.deal, answers, parked), newly_parked, restored


def next_question(playbook: Playbook, sheet: AnswerSheet, passed: Collection[str] = ()) -> Question | None:
    """The first question, in playbook order, that is asked and not answered (nor passed over)."""
    values = resolve_values(playbook, sheet.to_answers())
    for question in playbook.questions:
        if question.id not in sheet.answers and question.id not in passed and asked(question, values):
            return question
    return None


# --- asking one question --------------------------------------------------------


def _special_picks(answered: bool) -> list[Pick]:
    return [Pick(SKIP, "Keep my answer" if answered else "Skip for now", "s"), Pick(HELP, "Help: what does this mean?", "h")]


def _ask_bool(asker: Asker, question: Question, shown: Any, currency: str | None, answered: bool) -> Any:
    picks = [Pick("yes", "Yes", "y"), Pick("no", "No", "n"), *_special_picks(answered)]
    default = None if shown is None else ("yes" if shown else "no")
    return asker.select(question.text, picks, default)


def _ask_choice(asker: Asker, question: Question, shown: Any, currency: str | None, answered: bool) -> Any:
    picks = [Pick(option.value, option.label) for option in question.options]
    return asker.select(question.text, [*picks, *_special_picks(answered)], shown)


def _ask_many(asker: Asker, question: Question, shown: Any, currency: str | None, answered: bool) -> Any:
    picks = [Pick(option.value, option.label) for option in question.options]
    return asker.checkbox(question.text, [*picks, *_special_picks(answered)], list(shown or []))


_HINTS = {
    "integer": "a whole number",
    "number": "a number",
    "money": "an amount, e.g. 450,000 or EUR 1.2m",
    "percent": "a percentage, e.g. 15",
    "date": "YYYY-MM-DD",
    "text": "in words",
}


def _ask_typed(asker: Asker, question: Question, shown: Any, currency: str | None, answered: bool) -> Any:
    def check(text: str) -> str | None:
        if text.strip() in (HELP, SKIP):
            return None
        try:
            coerce_answer(question, text, currency)
        except AnswerError as error:
            return str(error)
        return None

    default = "" if shown is None else (str(shown) if question.type in ("date", "text") else show_answer(shown).replace(",", ""))
    hint = f"({_HINTS[question.type]}; ? for help; empty to {'keep my answer' if answered else 'skip'})"
    return asker.text(question.text, default, check, hint).strip()


#: How each type of question is asked.
ASKING: dict[str, Callable[[Asker, Question, Any, str | None, bool], Any]] = {
    "bool": _ask_bool,
    "choice": _ask_choice,
    "multi-choice": _ask_many,
}


def help_text(question: Question) -> str:
    """What a negotiator sees on asking for help with a question."""
    lines = [question.help or "No help is written for this question."]
    lines += [f"  {option.label}: {option.help}" for option in question.options if option.help]
    return "\n".join(lines)


def ask(asker: Asker, question: Question, current: Any, currency: str | None) -> Any:
    """Ask one question until it gets an answer that fits; ``None`` when passed over.

    ``current`` (the answer so far, else the question's default) is pre-filled.
    """
    shown = current if current is not None else question.default
    asking = ASKING.get(question.type, _ask_typed)
    while True:
        raw = asking(asker, question, shown, currency, current is not None)
        picked = raw if isinstance(raw, list) else [raw]
        if HELP in picked:
            asker.tell(help_text(question))
            shown = [value for value in picked if value != HELP] if isinstance(raw, list) else shown
            continue
        if SKIP in picked:
            return None
        try:
            return coerce_answer(question, raw, currency)
        except AnswerError as error:  # only reachable through an Asker that ignores its check
            asker.tell(f"That does not fit: {error}.")


# --- the deal block -------------------------------------------------------------

#: The deal fields the interview asks for: (field, question, needed).
DEAL_QUESTIONS: tuple[tuple[str, str, bool], ...] = (
    ("name", "What do we call this deal? (e.g. CRM renewal 2027)", True),
    ("vendor", "What is the vendor's name, as the contract should say it?", True),
    ("customer", "What is our contracting entity? (empty: the playbook's default)", False),
    ("product", "What are we buying? (empty: the playbook's default)", False),
    ("currency", "In which currency is the deal? (three letters, e.g. EUR)", False),
)


def deal_check(name: str, needed: bool) -> Callable[[str], str | None]:
    """A check of one deal field's text: ``None`` when it fits, else what is expected."""

    def check(text: str) -> str | None:
        text = text.strip()
        if not text:
            return "needed for the briefing pack (you can change it later)" if needed else None
        if name == "currency" and not _CURRENCY.fullmatch(text.upper()):
            return "expected a three-letter currency code such as EUR, USD or GBP"
        if name == "date":
            try:
                coerce_answer(_DATE_QUESTION, text)
            except AnswerError as error:
                return str(error)
        return "at most 300 characters" if len(text) > 300 else None

    return check


# --- one session ----------------------------------------------------------------


class _Session:
    """One run of the interview: the sheet so far, and the file it is saved to."""

    def __init__(self, playbook: Playbook, path: Path, asker: Asker, sheet: AnswerSheet) -> None:
        self.playbook, self.path, self.asker, self.sheet = playbook, path, asker, sheet
        self.format = format_for(path)
        self.passed: set[str] = set()
        self.section = ""
        # The file as it was when the session started goes to NAME.bak once, on the
        # first save that changes it; later saves just replace the file.
        self.kept = not path.exists()

    @property
    def currency(self) -> str | None:
        return self.sheet.deal.get("currency")

    def save(self) -> None:
        text = questionnaire_text(self.playbook, self.sheet, self.format)
        if self.kept:
            write_atomic(self.path, text)
        else:
            self.kept = not self.path.exists() or self.path.read_bytes() != text.encode("utf-8")
            write_keeping_previous(self.path, text)

    def settle(self) -> bool:
        """Park and bring back answers as their questions stop or start applying; tell why."""
        self.sheet, parked, restored = sort_relevant(self.playbook, self.sheet)
        questions = self.playbook.questions_by_id
        for name in parked:
            question = questions[name]
            condition = question.when.source if question.when else ""
            self.asker.tell(
                f"Note: '{question.text}' no longer applies (asked only when {condition}). Your answer "
                f"({show_answer(self.sheet.parked[name])}) is parked at the end of {self.path.name}; "
                "it comes back if you change the earlier answer back."
            )
        for name in restored:
            self.asker.tell(f"Note: your earlier answer to '{questions[name].text}' ({show_answer(self.sheet.answers[name])}) applies again and is back.")
        return bool(parked or restored)

    def answer(self, question: Question, value: Any) -> None:
        self.sheet = self.sheet.answered(question.id, value)
        self.settle()
        self.save()

    def announce(self, question: Question) -> None:
        if question.section != self.section:
            self.section = question.section
            section = next(entry for entry in self.playbook.sections if entry.id == question.section)
            self.asker.tell(f"\n== {section.title} ==" + (f"\n{section.description}" if section.description else ""))

    def ask_deal(self, everything: bool) -> None:
        if not everything and all(self.sheet.deal.get(name) for name in ("name", "vendor")):
            return
        self.asker.tell("\n== Deal details ==")
        for name, text, needed in DEAL_QUESTIONS:
            current = self.sheet.deal.get(name)
            if current and not everything:
                continue
            hint = "(needed)" if needed else "(empty to leave out)"
            value = self.asker.text(text, current or "", deal_check(name, needed), hint).strip()
            value = value.upper() if name == "currency" else value
            if value != (current or ""):
                self.sheet = self.sheet.with_deal(name, value or None)
                self.save()

    def ask_one(self, question: Question) -> None:
        self.announce(question)
        current = self.sheet.answers.get(question.id)
        value = ask(self.asker, question, current, self.currency)
        if value is None:
            self.passed.add(question.id)
        elif value != current or question.id not in self.sheet.answers:
            self.answer(question, value)

    def review(self) -> None:
        """Walk every question that is asked, answered or not, in playbook order."""
        for question in self.playbook.questions:
            values = resolve_values(self.playbook, self.sheet.to_answers())
            if asked(question, values):
                self.ask_one(question)

    def fill(self) -> None:
        """Ask each question that is asked and not answered yet, until none is left."""
        while (question := next_question(self.playbook, self.sheet, self.passed)) is not None:
            self.ask_one(question)


# --- the end: summary and briefing pack -------------------------------------------


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def fit_titles(titles: Sequence[str], width: int) -> str:
    """As many titles as fit in ``width`` characters, joined with "; ", and "(+N more)" for the rest."""
    for count in range(len(titles), 0, -1):
        suffix = f" (+{len(titles) - count} more)" if count < len(titles) else ""
        line = "; ".join(titles[:count])
        if len(line) + len(suffix) <= width or count == 1:
            return _clip(line, width - len(suffix)) + suffix
    return ""


def summary_lines(evaluation: Evaluation, width: int = 100, max_flags: int = 6) -> list[str]:
    """A one-screen summary: items by priority, risk flags by severity, approvers."""
    deal = evaluation.answers.deal
    items, flags = evaluation.items, evaluation.flags
    lines = [_clip(f"Summary: {deal.name or 'this deal'}" + (f" with {deal.vendor}" if deal.vendor else ""), width)]
    by_priority = {level: [result.item.title for result in items if result.priority == level] for level in PRIORITIES}
    counts = ", ".join(f"{len(titles)} {level}" for level, titles in by_priority.items() if titles) or "none"
    lines.append(f"{len(items)} checklist items apply ({counts}); {len(evaluation.skipped)} do not.")
    lines += [f"  {level.upper():<10}{fit_titles(titles, width - 12)}" for level, titles in by_priority.items() if titles]
    by_severity = [sum(flag.severity == level for flag in flags) for level in SEVERITIES]
    lines.append("Risk flags: " + (", ".join(f"{count} {level}" for count, level in zip(by_severity, SEVERITIES, strict=True) if count) or "none"))
    lines += [_clip(f"  {flag.severity.upper():<10}{flag.message}", width) for flag in flags[:max_flags]]
    if len(flags) > max_flags:
        lines.append(f"  (+{len(flags) - max_flags} more)")
    names = [approval.department.name for approval in evaluation.approvals]
    lines += textwrap.wrap("Approvers required: " + (", ".join(names) or "none beyond the usual sign-off"), width, subsequent_indent="  ")
    return lines


def _bundled_pack_writer() -> PackWriter | None:
    try:
        from ..renderers import write_briefing_pack  # noqa: PLC0415 - heavy, and only needed at the very end
    except ImportError:
        return None
    return write_briefing_pack


def offer_pack(asker: Asker, evaluation: Evaluation, folder: Path, writer: PackWriter | None) -> list[Path]:
    """Offer to write the briefing pack into ``folder`` (or one the negotiator names)."""
    if writer is None:
        asker.tell("The briefing pack writer is not available in this installation.")
        return []
    if not asker.confirm("Write the briefing pack now?", True):
        return []
    chosen = asker.text("Into which folder?", str(folder), lambda text: None if text.strip() else "a folder is needed")
    written = list(writer(evaluation, Path(chosen.strip())))
    asker.tell("Briefing pack written:\n" + "\n".join(f"  {path}" for path in written))
    return written


def _finish(session: _Session, pack_writer: PackWriter | None) -> None:
    playbook, asker = session.playbook, session.asker
    answers = session.sheet.to_answers(str(session.path))
    unanswered = missing_required(playbook, answers)
    unfilled = [name for name in ("name", "vendor") if not session.sheet.deal.get(name)]
    asker.tell(f"\nAll answers are saved in {session.path}.")
    evaluation = evaluate(playbook, answers)
    try:
        asker.tell("\n".join(summary_lines(evaluation, min(100, shutil.get_terminal_size((100, 24)).columns))))
    except DealbookError as error:  # a flag message may need an answer that is still missing
        asker.tell(f"No summary yet: {error}")
    if unanswered or unfilled:
        missing = [f"deal {name}" for name in unfilled] + [playbook.questions_by_id[name].text for name in unanswered]
        asker.tell("Still to answer before the briefing pack:\n" + "\n".join(f"  - {text}" for text in missing)
                   + "\nRun the interview again with the same file to answer them.")
        return
    folder = Path(folder_name(answers.deal.name))  # the folder `dealbook brief` writes by default
    offer_pack(asker, evaluation, folder, pack_writer or _bundled_pack_writer())


# --- entry points -------------------------------------------------------------------


def run_interview(playbook: Playbook, path: str | Path, asker: Asker, *, review: bool = False,
                  pack_writer: PackWriter | None = None) -> AnswerSheet:
    """Interview a negotiator about one deal, saving ``path`` after every answer.

    An existing answers file is checked first (every problem reported at
    once) and resumed at its first unanswered question; with ``review`` every
    answer is offered for change. Ctrl-C (``KeyboardInterrupt``) stops the
    interview with every answer so far saved, and is raised on.
    """
    path = Path(path)
    sheet = load_sheet(path, playbook) if path.exists() else AnswerSheet()
    session = _Session(playbook, path, asker, sheet)
    kept = "" if session.kept else f" (the file as it is now is kept as {path.name}.bak)"
    asker.tell(f"Interview for {playbook.title}. Every answer is saved to {path} as you go{kept}.\n"
               "Enter accepts the pre-filled answer; pick Help or type ? for help; Ctrl-C stops, losing nothing.")
    try:
        if session.settle():
            session.save()
        session.ask_deal(everything=review)
        if review:
            session.review()
        session.fill()
    except (KeyboardInterrupt, EOFError):
        asker.tell(f"\nStopped. Every answer so far is saved in {path}; run the same command again to carry on.")
        raise KeyboardInterrupt from None
    _finish(session, pack_writer)
    return session.sheet

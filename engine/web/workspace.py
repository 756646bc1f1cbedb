"""A workspace: a folder of ordinary answers files, read and changed safely by many browsers.

Nothing here knows about HTTP. A deal is one answers file in the folder,
named by its id (a slug: ``eu-saas-crm`` is ``eu-saas-crm.yaml``), so the
CLI, the browser and git see the same files. Every change goes through
:meth:`Workspace.save`: under a lock per deal file it reads the file, checks
that each change was made on the value the file still holds (optimistic
concurrency: each field carries the version it was shown with), checks each
value with the engine's own coercion, parks or brings back answers as the
interview does, and writes the questionnaire atomically, keeping the
previous content as ``NAME.bak``.

Several server processes may share one folder (``dealbook serve --workers``):
given a private ``lock_folder``, each deal's lock is also a file lock there
(``fcntl.flock``), so saves to one deal are serialised across processes as
well as threads. What a process keeps in memory is only ever used for a file
holding exactly the bytes it was read from.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..deal.answers import AnswerError, coerce_answer
from ..deal.evaluate import missing_required, resolve_values
from ..errors import DealbookError, InputFileError, Location
from ..infra.files import write_atomic, write_keeping_previous
from ..intake.interview import asked, deal_check, sort_relevant
from ..intake.questionnaire import AnswerSheet, format_for, load_sheet, questionnaire_text
from ..playbook.model import DEAL_FIELDS, Playbook

__all__ = ["SLUG", "EXTENSIONS", "Change", "DealFile", "DealSummary", "Saved", "Workspace", "field_version", "slug_for"]

#: A deal id: lower-case words joined by hyphens, as a file name stem.
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
#: Answers file extensions, in the order an id is looked up.
EXTENSIONS = (".yaml", ".yml", ".json")
#: Deal fields the new-deal form and the deal block need before a pack can be written.
NEEDED_DEAL_FIELDS = ("name", "vendor")


def slug_for(text: str) -> str:
    """A deal id made from its name: ``CRM renewal 2027!`` → ``crm-renewal-2027``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    return slug or "deal"


def field_version(value: Any) -> str:
    """The version of one stored value: a short hash of it, ``None`` (not filled in) included."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Change:
    """One field as the browser sent it: ``answer`` or ``deal``, its name, the raw value and the version it was based on.

    ``raw`` is ``None`` (or ``""``) for "not answered", a string, or a list
    of option values for a multi-choice question.
    """

    kind: str
    name: str
    raw: Any
    base: str

    @property
    def key(self) -> str:
        return f"{self.kind}.{self.name}"


@dataclass(frozen=True, slots=True)
class DealFile:
    """One deal as read: its id, path, what it holds, and the questions asked now."""

    id: str
    path: Path
    sheet: AnswerSheet
    values: Mapping[str, Any]
    modified: float
    #: the questions asked for this deal now, in playbook order
    asked: tuple[str, ...] = ()

    def version(self, kind: str, name: str) -> str:
        """The version of one field as stored now."""
        return field_version(self.stored(kind, name))

    def stored(self, kind: str, name: str) -> Any:
        """The value stored for a deal field or an answer (``None`` when not filled in)."""
        return (self.sheet.deal if kind == "deal" else self.sheet.answers).get(name)


@dataclass(frozen=True, slots=True)
class Saved:
    """What a save did: the deal as it is now, and per field what happened.

    ``refused`` holds each value that does not fit (the engine's message);
    ``conflicts`` each field changed elsewhere since the browser showed it
    (the save is refused and the current value is in ``deal``); ``written``
    is false when nothing changed.
    """

    deal: DealFile
    before: DealFile
    refused: Mapping[str, str] = field(default_factory=dict)
    conflicts: Mapping[str, Any] = field(default_factory=dict)
    parked: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()
    written: bool = False


@dataclass(frozen=True, slots=True)
class DealSummary:
    """One line of the deals list."""

    id: str
    name: str
    vendor: str
    annual_value: Any
    date: str
    open_questions: int
    modified: float
    problem: str = ""


class Workspace:
    """The deals folder and the playbook its deals are answered against."""

    def __init__(self, folder: Path, playbook: Playbook, *, lock_folder: Path | None = None) -> None:
        self.folder = Path(folder).resolve()
        self.playbook = playbook
        self.lock_folder = lock_folder
        self._locks: dict[Path, threading.Lock] = {}
        self._sheets: dict[Path, tuple[bytes, AnswerSheet]] = {}
        self._locks_guard = threading.Lock()

    # --- finding deals ---------------------------------------------------------

    def path_for(self, deal_id: str) -> Path | None:
        """The answers file of ``deal_id``, or ``None``: ids are slugs, resolved only inside the folder."""
        if not SLUG.fullmatch(deal_id):
            return None
        for extension in EXTENSIONS:
            path = self.folder / f"{deal_id}{extension}"
            if path.is_file() and path.resolve().parent == self.folder:
                return path
        return None

    def deal_ids(self) -> list[str]:
        """Every deal in the folder, in name order: answers files whose stem is a slug."""
        if not self.folder.is_dir():
            return []
        ids = {path.stem for path in self.folder.iterdir() if path.suffix in EXTENSIONS and SLUG.fullmatch(path.stem)}
        return sorted(deal_id for deal_id in ids if self.path_for(deal_id) is not None)

    def read(self, deal_id: str) -> DealFile:
        """Read and check one deal (every problem at once, as a :class:`DealbookError`)."""
        path = self.path_for(deal_id)
        if path is None:
            raise KeyError(deal_id)
        return self._read(deal_id, path)

    def _read(self, deal_id: str, path: Path) -> DealFile:
        # A file holding exactly the bytes last read or written here is not parsed again;
        # any other content (an edit in an editor, the CLI) is read and checked afresh.
        data = path.read_bytes()
        cached = self._sheets.get(path)
        if cached is not None and cached[0] == data:
            sheet = cached[1]
        else:
            sheet = self._written_by_a_worker(path, data) or load_sheet(path, self.playbook)
            if path.read_bytes() == data:
                self._sheets[path] = (data, sheet)
        return self._deal_file(deal_id, path, sheet)

    # Several processes: a deal one of them saved is read by the others from what that one wrote beside the
    # lock (plain JSON, in the server's private folder), kept only while it names the file's exact bytes.

    def _sheet_note(self, path: Path) -> Path | None:
        if self.lock_folder is None:
            return None
        return self.lock_folder / f"{_lock_name(path)}.sheet.json"

    def _note_written(self, path: Path, data: bytes, sheet: AnswerSheet) -> None:
        note = self._sheet_note(path)
        if note is None:
            return
        plain = {"sha256": hashlib.sha256(data).hexdigest(), "deal": dict(sheet.deal), "answers": dict(sheet.answers),
                 "parked": dict(sheet.parked), "schema": sheet.schema}
        temporary = note.with_name(f".{note.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            temporary.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, note)  # no flush: a note lost in a crash only means one parse
        except (OSError, TypeError, ValueError):
            temporary.unlink(missing_ok=True)
            note.unlink(missing_ok=True)

    def _written_by_a_worker(self, path: Path, data: bytes) -> AnswerSheet | None:
        note = self._sheet_note(path)
        if note is None:
            return None
        try:
            plain = json.loads(note.read_text(encoding="utf-8"))
            if plain["sha256"] != hashlib.sha256(data).hexdigest():
                return None
            return AnswerSheet(plain["deal"], plain["answers"], plain["parked"], plain["schema"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _deal_file(self, deal_id: str, path: Path, sheet: AnswerSheet) -> DealFile:
        values = resolve_values(self.playbook, sheet.to_answers(str(path)))
        plain = dict(values)
        questions = tuple(question.id for question in self.playbook.questions if asked(question, plain))
        return DealFile(deal_id, path, sheet, values, path.stat().st_mtime, questions)

    def asked(self, deal: DealFile) -> list[str]:
        """The questions asked for this deal now, in playbook order."""
        return list(deal.asked)

    def open_questions(self, deal: DealFile) -> int:
        """Questions asked and not answered yet (defaults still assumed)."""
        return sum(1 for name in self.asked(deal) if name not in deal.sheet.answers)

    def missing(self, deal: DealFile) -> tuple[str, ...]:
        """Required questions asked and not answered: what stands between the deal and its pack."""
        return missing_required(self.playbook, deal.sheet.to_answers(), dict(deal.values))

    def summaries(self) -> list[DealSummary]:
        """The deals list: name, vendor, annual value, date, open questions, last change; a file with problems says so."""
        money = next((question.id for question in self.playbook.questions if question.id == "annual_value"), None)
        money = money or next((question.id for question in self.playbook.questions if question.type == "money"), None)
        lines = []
        for deal_id in self.deal_ids():
            try:
                deal = self.read(deal_id)
            except DealbookError as error:
                path = self.path_for(deal_id)
                modified = path.stat().st_mtime if path else 0.0
                lines.append(DealSummary(deal_id, deal_id, "", None, "", 0, modified, error.lines()[0]))
                continue
            except KeyError:
                continue
            sheet = deal.sheet
            lines.append(DealSummary(deal_id, sheet.deal.get("name", ""), sheet.deal.get("vendor", ""),
                                     sheet.answers.get(money) if money else None, sheet.deal.get("date", ""),
                                     self.open_questions(deal), deal.modified))
        return lines

    # --- changing deals ----------------------------------------------------------

    @contextmanager
    def lock(self, path: Path) -> Iterator[None]:
        """Hold the lock that serialises writes to one deal file (across processes too, given a lock folder)."""
        with self._locks_guard:
            thread_lock = self._locks.setdefault(path, threading.Lock())
        with thread_lock, _file_lock(self.lock_folder, _lock_name(path)):
            yield

    def create(self, deal: Mapping[str, str]) -> tuple[str | None, dict[str, str]]:
        """Write a new deal with these deal fields; returns its id, or ``None`` and the problem per field."""
        problems = {}
        filled: dict[str, str] = {}
        for name in DEAL_FIELDS:
            text = " ".join(str(deal.get(name) or "").split())
            text = text.upper() if name == "currency" else text
            problem = deal_check(name, name in NEEDED_DEAL_FIELDS)(text)
            if problem:
                problems[name] = problem
            elif text:
                filled[name] = text
        if problems:
            return None, problems
        self.folder.mkdir(parents=True, exist_ok=True)
        base = slug_for(filled["name"])
        with self._locks_guard, _file_lock(self.lock_folder, "new-deal"):
            number = 1
            deal_id = base
            while any((self.folder / f"{deal_id}{extension}").exists() for extension in EXTENSIONS):
                number += 1
                deal_id = f"{base[:75]}-{number}"
            write_atomic(self.folder / f"{deal_id}.yaml", questionnaire_text(self.playbook, AnswerSheet(filled)))
        return deal_id, {}

    def save(self, deal_id: str, changes: Sequence[Change]) -> Saved:
        """Apply ``changes`` to one deal under its lock and write it once (see the module docstring)."""
        path = self.path_for(deal_id)
        if path is None:
            raise KeyError(deal_id)
        with self.lock(path):
            before = self._read(deal_id, path)
            sheet = before.sheet
            refused: dict[str, str] = {}
            conflicts: dict[str, Any] = {}
            # Deal fields first: the deal currency decides how amounts are read.
            for change in sorted(changes, key=lambda change: change.kind != "deal"):
                current = before.stored(change.kind, change.name)
                try:
                    value = self._coerce(change, sheet)
                except AnswerError as error:
                    refused[change.key] = str(error)
                    continue
                if value == current or field_version(value) == change.base:
                    continue  # nothing to change, or the value as it was shown: someone else's change stands
                if change.base != field_version(current):
                    conflicts[change.key] = value
                    continue
                sheet = _applied(sheet, change, value)
            sheet, parked, restored = sort_relevant(self.playbook, sheet)
            if sheet == before.sheet:
                return Saved(before, before, refused, conflicts)
            data = questionnaire_text(self.playbook, sheet, format_for(path)).encode("utf-8")
            write_keeping_previous(path, data)
            self._sheets[path] = (data, sheet)
            self._note_written(path, data, sheet)
            return Saved(self._deal_file(deal_id, path, sheet), before, refused, conflicts, parked, restored, True)

    def _coerce(self, change: Change, sheet: AnswerSheet) -> Any:
        raw = change.raw
        if change.kind == "deal":
            if change.name not in DEAL_FIELDS:
                raise AnswerError(f"unknown deal field {change.name!r}")
            text = " ".join(str(raw or "").split())
            text = text.upper() if change.name == "currency" else text
            problem = deal_check(change.name, change.name in NEEDED_DEAL_FIELDS)(text)
            if problem:
                raise AnswerError(problem)
            return text or None
        question = self.playbook.questions_by_id.get(change.name)
        if question is None:
            raise AnswerError(f"unknown question {change.name!r}")
        if raw is None or raw == "" or (isinstance(raw, str) and not raw.strip()):
            return None
        return coerce_answer(question, raw, sheet.deal.get("currency"))

    def check(self, deal_id: str, question_id: str, raw: Any) -> str | None:
        """What is wrong with ``raw`` as an answer to one question, as the CLI says it; ``None`` when it fits."""
        deal = self.read(deal_id)
        try:
            self._coerce(Change("answer", question_id, raw, ""), deal.sheet)
        except AnswerError as error:
            return str(error)
        return None


def _lock_name(path: Path) -> str:
    return hashlib.sha256(str(path).encode()).hexdigest()[:32]


@contextmanager
def _file_lock(folder: Path | None, name: str) -> Iterator[None]:
    """An exclusive ``flock`` on ``folder/name.lock`` while the block runs; nothing without a folder."""
    if folder is None:
        yield
        return
    import fcntl  # noqa: PLC0415 - POSIX only, and only where several processes serve one folder

    descriptor = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


def _applied(sheet: AnswerSheet, change: Change, value: Any) -> AnswerSheet:
    if change.kind == "deal":
        return sheet.with_deal(change.name, value)
    if value is not None:
        return sheet.answered(change.name, value)
    answers = {key: kept for key, kept in sheet.answers.items() if key != change.name}
    parked = {key: kept for key, kept in sheet.parked.items() if key != change.name}
    return dataclasses.replace(sheet, answers=answers, parked=parked)


def check_folder(folder: Path) -> Path:
    """The deals folder, created when missing; a file in its place is one clear error."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputFileError(Location(str(folder)), "is not a folder: --deals needs a folder of answers files")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def changed_questions(before: Iterable[str], after: Iterable[str]) -> tuple[list[str], list[str]]:
    """Questions that appeared and disappeared between two lists of asked questions."""
    was, now = set(before), set(after)
    return [name for name in after if name not in was], [name for name in before if name not in now]

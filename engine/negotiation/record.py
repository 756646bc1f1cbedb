"""The negotiation record: an append-only, hash-chained file beside a deal's answers.

``deal.yaml`` gets ``deal.negotiation.yaml`` (schema
``schemas/negotiation.schema.json``): the playbook it is pinned to (id,
version, content hash) and a list of entries — rounds, the vendor's
positions, our responses, approvals, corrections, re-pins. Nothing is ever
rewritten: a correction is a new entry that voids an earlier one. Each entry
carries the SHA-256 of the one before it (the first, of the header) and its
own, over its canonical JSON, so :func:`verify` finds any edit, insertion or
deletion.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputFileError, Location, Problem, ValidationErrors
from ..infra.files import write_keeping_previous
from ..infra.schema import check_document
from ..infra.yamlfile import Document, read_document
from ..playbook.load import content_digest
from ..playbook.model import Playbook

__all__ = ["RECORD_SUFFIX", "DEAL_SUBJECT", "Pin", "Record", "record_path", "new_record", "read_record", "write_record",
           "entry_hash", "verify_chain", "pin_of", "record_text"]

RECORD_SUFFIX = ".negotiation.yaml"
#: The subject of approvals that sign the deal as a whole (the approvers the deal's rules require).
DEAL_SUBJECT = "*deal"


@dataclass(frozen=True, slots=True)
class Pin:
    """The playbook a record is negotiated under."""

    id: str
    version: str
    digest: str

    def data(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "digest": self.digest}

    def __str__(self) -> str:
        return f"{self.id} {self.version} ({self.digest[:12]})"


def pin_of(playbook: Playbook) -> Pin:
    """The pin for ``playbook``: its id, version and content hash."""
    return Pin(playbook.id, playbook.version, content_digest(Path(playbook.root)))


def record_path(answers: Path) -> Path:
    """``deals/acme.yaml`` → ``deals/acme.negotiation.yaml``."""
    return answers.with_name(answers.stem + RECORD_SUFFIX)


def _canonical(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 of an entry's canonical JSON without its ``hash``."""
    return hashlib.sha256(_canonical({key: value for key, value in entry.items() if key != "hash"})).hexdigest()


def _header_hash(data: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical({"negotiation": data.get("negotiation"), "deal": data.get("deal"), "playbook": data.get("playbook")})).hexdigest()


#: Fields an entry always carries, ``null`` when there is nothing to say (no value read, no position yet).
_NULLABLE = frozenset({"value", "position"})


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Record:
    """A negotiation record as read (or about to be written): its header and entries, as plain data."""

    path: Path
    data: Mapping[str, Any]
    document: Document | None = None

    @property
    def entries(self) -> list[Mapping[str, Any]]:
        return self.data["entries"]

    @property
    def answers(self) -> Path:
        """The deal's answers file."""
        return self.path.parent / self.data["deal"]

    @property
    def first_pin(self) -> Pin:
        return Pin(**self.data["playbook"])

    @property
    def pin(self) -> Pin:
        """The playbook the record is pinned to now: the header's, or the latest re-pin's."""
        for entry in reversed(self.entries):
            if entry["kind"] == "repin":
                return Pin(**entry["playbook"])
        return self.first_pin

    @property
    def voided(self) -> set[int]:
        """Entry numbers a correction has voided."""
        return {entry["corrects"] for entry in self.entries if entry["kind"] == "correction"}

    @property
    def rounds(self) -> int:
        return sum(entry["kind"] == "round" for entry in self.entries)

    def locate(self, index: int, *path: str) -> Location:
        if self.document is not None:
            return self.document.locate(["entries", index, *path])
        return Location(str(self.path), path="/".join(["entries", str(index), *path]))

    def append(self, kind: str, **fields: Any) -> tuple[Record, dict[str, Any]]:
        """A new record with one more entry (numbered, chained, hashed); the entry too."""
        entries = self.entries
        previous = entries[-1]["hash"] if entries else _header_hash(self.data)
        entry: dict[str, Any] = {"n": len(entries) + 1, "kind": kind, "recorded": _now(), "previous": previous}
        entry.update({key: value for key, value in fields.items() if value is not None or key in _NULLABLE})
        entry["hash"] = entry_hash(entry)
        data = {**self.data, "entries": [*entries, entry]}
        return Record(self.path, data, None), entry


def new_record(answers: Path, playbook: Playbook) -> Record:
    """An empty record for the deal in ``answers``, pinned to ``playbook`` (not written yet)."""
    path = record_path(answers)
    return Record(path, {"negotiation": 1, "deal": answers.name, "playbook": pin_of(playbook).data(), "entries": []})


def read_record(path: Path) -> Record:
    """Read and check a record file; every schema problem is reported at once, located."""
    document = read_document(path)
    ValidationErrors.raise_if(check_document(document, "negotiation"))
    return Record(path, document.content, document)


def _modeline(path: Path) -> str:
    schema = files("dealbook.schemas") / "negotiation.schema.json"
    try:
        target = os.path.relpath(str(schema), str(path.resolve().parent))
    except ValueError:  # another drive
        target = str(schema)
    return f"# yaml-language-server: $schema={Path(target).as_posix()}\n"


def record_text(record: Record) -> str:
    """The record as YAML: a modeline, a warning not to edit it, then the data."""
    body = yaml.safe_dump(dict(record.data), sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)
    return (_modeline(record.path) + "# Negotiation record written by `dealbook negotiate`. Do not edit: every entry is hash-chained,\n"
            "# and `dealbook negotiate verify` reports any change. Correct a mistake with a new entry.\n" + body)


def write_record(record: Record) -> Path:
    """Write ``record`` atomically, keeping the previous file as ``.bak``; refuses to drop entries already on disk."""
    if record.path.exists():
        on_disk = read_record(record.path)
        written = [entry["hash"] for entry in on_disk.entries]
        if [entry["hash"] for entry in record.entries[: len(written)]] != written:
            raise InputFileError(Location(str(record.path)), "the record on disk changed while this command ran; run it again")
    return write_keeping_previous(record.path, record_text(record))


def verify_chain(record: Record) -> list[Problem]:
    """Every break in the record's chain: an edited, inserted, removed or reordered entry."""
    problems = []
    previous = _header_hash(record.data)
    numbers: set[int] = set()
    for index, entry in enumerate(record.entries):
        if entry["n"] != index + 1:
            problems.append(Problem(record.locate(index, "n"), f"entry {index + 1} is numbered {entry['n']}: entries were removed or reordered"))
        if entry["previous"] != previous:
            what = "the record's header (deal or playbook pin) was changed" if index == 0 else f"entry {index} before it was changed or removed"
            problems.append(Problem(record.locate(index, "previous"), f"entry {entry['n']} does not follow on: {what}"))
        if entry_hash(entry) != entry["hash"]:
            problems.append(Problem(record.locate(index, "hash"), f"entry {entry['n']} ({entry['kind']}) was edited after it was written"))
        if entry["kind"] == "correction" and entry["corrects"] not in numbers:
            problems.append(Problem(record.locate(index, "corrects"), f"entry {entry['n']} corrects entry {entry['corrects']}, which does not come before it"))
        numbers.add(entry["n"])
        previous = entry["hash"]
    return problems

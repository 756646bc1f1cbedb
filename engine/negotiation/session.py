"""What a negotiator does to a record: open it, record a round and the vendor's positions,
respond, approve, correct, import a review, re-pin. Each returns the new record, which
the caller writes with :func:`~dealbook.negotiation.record.write_record`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..deal.answers import read_answers
from ..deal.evaluate import evaluate
from ..deal.evaluation import Evaluation
from ..deal.offers import Offer, OfferError, place_offer, subject_of
from ..errors import InputFileError, Location, Problem, ValidationErrors, did_you_mean
from ..infra.schema import check_document
from ..infra.yamlfile import read_document
from ..playbook.load import load_playbook
from ..playbook.model import Playbook
from .record import DEAL_SUBJECT, Pin, Record, new_record, pin_of, read_record, record_path
from .standing import Negotiation, negotiation_of

__all__ = ["Session", "open_session", "add_round", "record_position", "respond", "approve", "correct", "import_review", "repin",
           "document_sha256", "NegotiationError"]

MAX_DOCUMENT = 100 * 1024 * 1024


class NegotiationError(InputFileError):
    """A negotiation command that cannot be carried out, located at the record (or the deal)."""


@dataclass(frozen=True, eq=False)
class Session:
    """A deal, its playbook, its evaluation and its record (new if none was written yet)."""

    answers: Path
    playbook: Playbook
    evaluation: Evaluation
    record: Record
    pin: Pin  # the pin of the playbook given

    @property
    def pinned(self) -> bool:
        """Whether the playbook given is the one the record is pinned to."""
        return self.record.pin.digest == self.pin.digest

    @property
    def negotiation(self) -> Negotiation:
        return negotiation_of(self.record, self.evaluation)

    def with_record(self, record: Record) -> Session:
        return Session(self.answers, self.playbook, self.evaluation, record, self.pin)

    def require_pinned(self) -> None:
        """Refuse to add to a record under a playbook other than the one it is pinned to."""
        if not self.pinned:
            raise NegotiationError(Location(str(self.record.path), path="playbook"),
                                   f"the record is pinned to {self.record.pin}, not to the playbook given, {self.pin}: "
                                   "run `dealbook negotiate repin` to see what changes and move the deal to it")


def open_session(answers: Path, playbook: str | Path | None = None) -> Session:
    """Load the playbook, evaluate the deal and read its record (or start one)."""
    loaded = load_playbook(playbook)
    evaluation = evaluate(loaded, read_answers(answers, loaded), require_complete=True)
    path = record_path(answers)
    record = read_record(path) if path.exists() else new_record(answers, loaded)
    return Session(answers, loaded, evaluation, record, pin_of(loaded))


def document_sha256(path: Path) -> str:
    """The SHA-256 of a vendor document, read in chunks; a located error if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as error:
        raise NegotiationError(Location(str(path)), f"cannot read the vendor's document: {error.strerror or error}") from None
    return digest.hexdigest()


def _today() -> str:
    return _dt.date.today().isoformat()


def _date(text: str | None) -> str:
    if text is None:
        return _today()
    try:
        return _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise NegotiationError(Location("--date"), f"{text!r} is not a date as YYYY-MM-DD") from None


def add_round(session: Session, *, date: str | None = None, document: Path | None = None, note: str | None = None,
              review: str | None = None) -> Session:
    """A new round: a reviewed vendor document (hashed) or a call with the vendor."""
    session.require_pinned()
    if document is not None:
        source: dict[str, Any] = {"type": "document", "file": document.name, "sha256": document_sha256(document)}
        if review:
            source["review"] = review
    else:
        source = {"type": "call", "note": note or "call with the vendor"}
    record, _ = session.record.append("round", round=session.record.rounds + 1, date=_date(date), source=source)
    return session.with_record(record)


def record_position(session: Session, subject: str, text: str, **round_source: Any) -> tuple[Session, Offer]:
    """Record the vendor's position on ``subject``, read and placed at once; a round is opened first
    when ``round_source`` names one (``date``, ``document``, ``note``) or none exists yet."""
    session.require_pinned()
    try:
        offer = place_offer(session.evaluation, subject, text)
    except OfferError as error:
        raise NegotiationError(Location(str(session.record.path), path=subject), str(error)) from None
    if any(value is not None for value in round_source.values()) or session.record.rounds == 0:
        session = add_round(session, **round_source)
    record, _ = session.record.append("position", round=session.record.rounds, subject=subject, text=offer.text,
                                      value=offer.value, tier=offer.tier.id)
    return session.with_record(record), offer


def respond(session: Session, subject: str, response: str, text: str | None = None) -> Session:
    """Our response to the vendor's current position: ``ask`` (our opening), ``counter`` (text), ``accept`` or ``withdraw``."""
    session.require_pinned()
    standing = session.negotiation.by_subject.get(subject)
    where = Location(str(session.record.path), path=subject)
    if response in ("accept", "counter") and (standing is None or standing.tier is None):
        raise NegotiationError(where, f"no position of the vendor's is recorded for '{subject}' yet: record it with `dealbook negotiate set`")
    if response == "accept":
        assert standing is not None and standing.tier is not None
        status = "agreed" if standing.tier.scored and not standing.tier.below(standing.opening) else "conceded"
    else:
        status = "withdrawn" if response == "withdraw" else "open"
    if response == "ask":
        text = text or _our_ask(session.evaluation, subject)
    position = next((entry["n"] for entry in reversed(session.record.entries)
                     if entry["kind"] == "position" and entry.get("subject") == subject and entry["n"] not in session.record.voided), None)
    record, _ = session.record.append("response", subject=subject, response=response, text=text or None, status=status, position=position)
    return session.with_record(record)


def _our_ask(evaluation: Evaluation, subject: str) -> str:

    try:
        _, item, term = subject_of(evaluation, subject)
    except OfferError as error:
        raise NegotiationError(Location(subject), str(error)) from None
    if term is not None:
        return term.term.format(term.target if item.tier == 0 else term.fallback)
    return evaluation.position(item.opening).summary


def approve(session: Session, subject: str | None, department: str, name: str, note: str | None = None) -> Session:
    """Approve the acceptance of ``subject`` (``None``: the deal, for its rules' approvers) as ``department``."""
    session.require_pinned()
    negotiation = session.negotiation
    where = Location(str(session.record.path), path=subject or "deal")
    departments = session.playbook.departments_by_id
    if department not in departments:

        raise NegotiationError(where, f"unknown department '{department}'{did_you_mean(department, departments)}")
    if subject is None:
        needed, binding, what = negotiation.deal_needed, negotiation.deal_binding, "the deal"
        if not negotiation.agreed_any:
            raise NegotiationError(where, "nothing is agreed yet: the deal's approvers sign once positions are accepted")
    else:
        standing = negotiation.by_subject.get(subject)
        if standing is None or not standing.accepted:
            raise NegotiationError(where, f"'{subject}' is not accepted: approvals are given for an accepted position (`dealbook negotiate accept`)")
        needed, binding, what = standing.needed, standing.binding, f"accepting '{subject}' at {standing.tier.label if standing.tier else 'this tier'}"
    if department not in needed.departments:
        asked = ", ".join(departments[name].name for name in needed.departments if name in departments) or "nobody"
        raise NegotiationError(where, f"{departments[department].name}'s approval is not needed for {what} (needed: {asked})")
    if needed.reason and not (note or "").strip():
        raise NegotiationError(where, f"{what} needs a written reason: give it with --note")
    record, _ = session.record.append("approval", subject=subject or DEAL_SUBJECT, **{"as": department}, name=name, note=note or None, binds=binding)
    return session.with_record(record)


def correct(session: Session, number: int, note: str) -> Session:
    """Void entry ``number`` (a position, response or approval recorded by mistake), saying why."""
    entries = {entry["n"]: entry for entry in session.record.entries}
    where = Location(str(session.record.path), path=f"entries/{number}")
    if number not in entries or entries[number]["kind"] not in ("position", "response", "approval"):
        raise NegotiationError(where, f"entry {number} is not a position, response or approval of this record")
    if number in session.record.voided:
        raise NegotiationError(where, f"entry {number} is already corrected")
    record, _ = session.record.append("correction", corrects=number, note=note)
    return session.with_record(record)


def import_review(session: Session, review: Path, document: Path | None = None, date: str | None = None) -> tuple[Session, list[Offer], list[str]]:
    """A new round from a vendor-paper review's issues list (JSON, internal audience).

    The vendor's document is hashed (``document``, or the file the review
    names, beside it). Each finding that located the clause becomes a
    position: a term value read in the review as a position on the term, in
    the vendor's words; the clause's text as a position on the item. Tiers
    are placed again here, never copied from the review. Returns the
    session, the offers recorded, and what was skipped (not found, or no
    longer applicable).
    """
    session.require_pinned()
    document_read = read_document(review)
    ValidationErrors.raise_if(check_document(document_read, "review"))
    content = document_read.content
    findings, paper = content["findings"], content["paper"]
    if content.get("audience") != "internal":
        raise NegotiationError(document_read.locate(["audience"]), "a vendor-audience issues list has no tiers or values: import the internal one")
    document = document or review.parent / str(paper.get("file", ""))
    if not document.is_file():
        raise NegotiationError(Location(str(review), path="paper/file"), f"the reviewed document {document.name} is not beside the review: name it with --paper")
    session = add_round(session, date=date, document=document, review=review.name)
    offers, skipped, missing, problems = [], [], [], []
    for index, finding in enumerate(findings):
        subjects = [(value.get("term"), value.get("words") or value.get("shown")) for value in finding.get("values") or []]
        if finding.get("excerpt") and not subjects:
            subjects = [(finding.get("item"), finding.get("excerpt"))]
        if not subjects:
            missing.append(str(finding.get("item")))
        for subject, text in subjects:
            if not isinstance(subject, str) or not isinstance(text, str) or not text.strip():
                problems.append(Problem(Location(str(review), path=f"findings/{index}"), "a finding without an item or term and the vendor's words"))
                continue
            try:
                offer = place_offer(session.evaluation, subject, text)
            except OfferError as error:
                skipped.append(f"{subject}: {error}")
                continue
            record, _ = session.record.append("position", round=session.record.rounds, subject=subject, text=offer.text,
                                              value=offer.value, tier=offer.tier.id)
            session = session.with_record(record)
            offers.append(offer)
    ValidationErrors.raise_if(problems)
    if missing:
        skipped.append(f"{len(missing)} item(s) not found in the document, so no position of the vendor's: {', '.join(missing)}")
    return session, offers, skipped


def repin(session: Session, note: str | None = None) -> Session:
    """Move the record to the playbook given (an entry; nothing earlier changes)."""
    if session.pinned:
        raise NegotiationError(Location(str(session.record.path), path="playbook"), f"the record is already pinned to {session.pin}")
    record, _ = session.record.append("repin", playbook=session.pin.data(), note=note)
    return session.with_record(record)

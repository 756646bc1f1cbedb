"""Where each item and term stands: the record replayed against the deal's evaluation.

For every subject the record mentions: the vendor's latest position, the tier
it reaches for this deal (placed again from the vendor's words, never read
from the file), our latest response and the status it left, who must
approve accepting it (the playbook's routing), and which approvals count.

An approval is bound to what it approved: the hash of the position entry,
the response entry and the tier. A new position, a new response, or a
re-pin that moves the tier gives a new binding, and the approval given
before no longer counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..deal.evaluation import Evaluation
from ..deal.offers import OfferError, place_offer, subject_of
from ..deal.routing import Needed, approvals_needed, deal_approvals_needed
from ..deal.tiers import Tier, parse_tier
from .record import DEAL_SUBJECT, Record

__all__ = ["GivenApproval", "Standing", "Negotiation", "negotiation_of", "ACCEPTED"]

#: Statuses in which a position is accepted and so needs its approvals.
ACCEPTED = ("agreed", "conceded")


@dataclass(frozen=True, slots=True)
class GivenApproval:
    """An approval entry, and whether it still counts."""

    department: str
    name: str
    note: str
    entry: int
    counts: bool
    why: str = ""  # why it does not count


@dataclass(frozen=True, slots=True)
class Standing:
    """One subject's state in the negotiation."""

    subject: str
    kind: str  # item, term
    title: str
    item: str  # the item whose routing and opening apply
    owner: str
    opening: int  # the tier we open at (0 = preferred)
    text: str  # the vendor's latest position, "" if none yet
    value: float | None
    shown: str  # the value in the term's unit, or the text
    tier: Tier | None
    response: str  # ask, counter, accept, withdraw, or ""
    said: str  # our ask or counter text
    status: str  # open, agreed, conceded, withdrawn
    binding: str
    needed: Needed
    approvals: tuple[GivenApproval, ...]
    history: tuple[int, ...]  # entry numbers about this subject

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED

    @property
    def missing(self) -> tuple[str, ...]:
        """Departments whose approval the acceptance still needs (nothing while not accepted)."""
        if not self.accepted:
            return ()
        given = {approval.department for approval in self.approvals if approval.counts}
        return tuple(department for department in self.needed.departments if department not in given)


@dataclass(frozen=True, eq=False)
class Negotiation:
    """A deal's record read against its evaluation."""

    record: Record
    evaluation: Evaluation
    standings: tuple[Standing, ...]
    deal_needed: Needed
    deal_approvals: tuple[GivenApproval, ...]
    deal_binding: str

    @cached_property
    def by_subject(self) -> dict[str, Standing]:
        return {standing.subject: standing for standing in self.standings}

    @property
    def agreed_any(self) -> bool:
        return any(standing.accepted for standing in self.standings)

    @property
    def deal_missing(self) -> tuple[str, ...]:
        """The deal's own approvers still to sign, once anything is agreed."""
        if not self.agreed_any:
            return ()
        given = {approval.department for approval in self.deal_approvals if approval.counts}
        return tuple(department for department in self.deal_needed.departments if department not in given)

    @property
    def waiting(self) -> tuple[Standing, ...]:
        """Accepted positions that lack approvals."""
        return tuple(standing for standing in self.standings if standing.missing)

    @property
    def within_approvals(self) -> bool:
        """Every accepted position, and the deal, has the approvals it needs."""
        return not self.waiting and not self.deal_missing

    @property
    def state(self) -> str:
        """``no record``, ``open``, ``awaiting approval`` or ``agreed`` (all closed, all approved)."""
        if not self.standings:
            return "no positions"
        if not self.within_approvals:
            return "awaiting approval"
        if any(standing.status == "open" for standing in self.standings):
            return "open"
        return "agreed"


def _binding(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _place(evaluation: Evaluation, subject: str, position: Mapping[str, Any]) -> tuple[Tier | None, float | None]:
    try:
        offer = place_offer(evaluation, subject, position["text"])
    except OfferError:
        return parse_tier(position["tier"]), position.get("value")
    return offer.tier, offer.value


def negotiation_of(record: Record, evaluation: Evaluation) -> Negotiation:
    """Replay ``record``'s entries (corrections applied) against ``evaluation``."""
    voided = record.voided
    positions: dict[str, Mapping[str, Any]] = {}
    responses: dict[str, Mapping[str, Any]] = {}
    approvals: dict[str, list[Mapping[str, Any]]] = {}
    history: dict[str, list[int]] = {}
    order: list[str] = []
    for entry in record.entries:
        if entry["n"] in voided or entry["kind"] not in ("position", "response", "approval"):
            continue
        subject = entry["subject"]
        if subject != DEAL_SUBJECT and subject not in history:
            order.append(subject)
        history.setdefault(subject, []).append(entry["n"])
        if entry["kind"] == "position":
            positions[subject] = entry
            responses.pop(subject, None)
        elif entry["kind"] == "response":
            responses[subject] = entry
        else:
            approvals.setdefault(subject, []).append(entry)
    standings = []
    for subject in order:
        standings.append(_standing(evaluation, subject, positions.get(subject), responses.get(subject), approvals.get(subject, []), history[subject]))
    accepted = sorted(f"{standing.subject}={standing.binding}" for standing in standings if standing.accepted)
    deal_needed = deal_approvals_needed(evaluation)
    deal_binding = _binding("deal", *accepted, *deal_needed.departments)
    deal_given = tuple(_given(entry, deal_binding, deal_needed) for entry in approvals.get(DEAL_SUBJECT, []))
    return Negotiation(record, evaluation, tuple(standings), deal_needed, deal_given, deal_binding)


def _given(entry: Mapping[str, Any], binding: str, needed: Needed) -> GivenApproval:
    note = entry.get("note", "")
    why = ""
    if entry["binds"] != binding:
        why = "the position or our acceptance changed after this approval"
    elif needed.reason and not note.strip():
        why = "this tier needs a written reason"
    return GivenApproval(entry["as"], entry["name"], note, entry["n"], not why, why)


def _standing(evaluation: Evaluation, subject: str, position: Mapping[str, Any] | None, response: Mapping[str, Any] | None,
              approvals: list[Mapping[str, Any]], history: list[int]) -> Standing:
    playbook = evaluation.playbook
    try:
        kind, item, term = subject_of(evaluation, subject)
        item_id, opening = item.id, item.tier
        owner = term.term.owner if term is not None else item.item.owner
        title = term.term.title if term is not None else item.item.title
    except OfferError:  # no longer applies (a re-pin, a changed answer): shown, routed like the walk-away
        term_model = playbook.terms_by_id.get(subject)
        kind, item_id, opening = ("term" if term_model else "item"), subject, 0
        owner = term_model.owner if term_model else getattr(playbook.items_by_id.get(subject), "owner", "")
        title = term_model.title if term_model else getattr(playbook.items_by_id.get(subject), "title", subject)
        term = None
    tier, value = _place(evaluation, subject, position) if position is not None else (None, None)
    shown = position["text"] if position is not None else ""
    if value is not None and term is not None:
        shown = term.term.format(value)
    status = response["status"] if response is not None else "open"
    binding = _binding(subject, position["hash"] if position else "", response["hash"] if response else "", tier.id if tier else "")
    needed = approvals_needed(evaluation, item_id, owner, tier) if tier is not None else Needed(())
    given = tuple(_given(entry, binding, needed) for entry in approvals)
    return Standing(subject, kind, title, item_id, owner, opening, position["text"] if position else "", value, shown, tier,
                    response["response"] if response else "", response.get("text", "") if response else "", status, binding, needed, given,
                    tuple(history))

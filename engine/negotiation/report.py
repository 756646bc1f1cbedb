"""A negotiation as text and data: ``status``, ``history`` and ``verify``."""

from __future__ import annotations

from typing import Any

from ..deal.offers import OfferError, place_offer
from ..errors import Problem
from ..renderers.view import Standings
from .record import DEAL_SUBJECT, Record, verify_chain
from .session import Session
from .standing import GivenApproval, Negotiation, Standing

__all__ = ["standing_text", "standing_data", "history_text", "verify_record", "standing_line", "pack_standings"]


def _names(negotiation: Negotiation, departments: tuple[str, ...]) -> str:
    known = negotiation.evaluation.playbook.departments_by_id
    return ", ".join(known[name].name if name in known else name for name in departments)


def standing_line(negotiation: Negotiation, standing: Standing) -> str:
    """``agreed at fallback 1 — needs Legal`` — how one subject stands, in a few words."""
    tier = standing.tier.label if standing.tier else "no position yet"
    if standing.accepted:
        text = f"{standing.status} at {tier}"
    elif standing.status == "withdrawn":
        text = "withdrawn"
    else:
        text = f"open, vendor at {tier}"
    if standing.missing:
        text += f" — needs {_names(negotiation, standing.missing)}"
    elif standing.accepted and standing.needed.departments:
        text += f" — approved by {_names(negotiation, standing.needed.departments)}"
    return text


def _approval_text(negotiation: Negotiation, approval: GivenApproval) -> str:
    text = f"{_names(negotiation, (approval.department,))} ({approval.name}, entry {approval.entry})"
    return text if approval.counts else f"{text} — no longer counts: {approval.why}"


def standing_text(negotiation: Negotiation, *, pinned: bool = True, given: str = "") -> str:
    """The ``status`` report: per subject, the vendor's position, tier, status, approvals needed and given."""
    record = negotiation.record
    lines = [f"{record.path.name}: pinned to {record.pin}; {record.rounds} round(s), {len(record.entries)} entries"]
    if not pinned:
        lines.append(f"  note: evaluated with {given}, not the pinned playbook — `dealbook negotiate repin` shows what changes")
    if not negotiation.standings:
        lines.append("  no positions recorded yet")
    for standing in negotiation.standings:
        lines.append(f"- {standing.subject} ({standing.kind}): {standing_line(negotiation, standing)}")
        if standing.text:
            lines.append(f"    vendor: {standing.shown}" + ("" if standing.shown == standing.text else f" ({standing.text})"))
        if standing.said:
            lines.append(f"    we said ({standing.response}): {standing.said}")
        if standing.accepted:
            needed = _names(negotiation, standing.needed.departments) or "nobody"
            lines.append(f"    needs: {needed}" + (" (with a written reason)" if standing.needed.reason else ""))
        lines.extend(f"    approval: {_approval_text(negotiation, approval)}" for approval in standing.approvals)
    if negotiation.deal_needed.departments:
        missing = negotiation.deal_missing
        state = f"still needs {_names(negotiation, missing)}" if missing else ("signed" if negotiation.agreed_any else "once positions are agreed")
        lines.append(f"- the deal's own approvers ({_names(negotiation, negotiation.deal_needed.departments)}): {state}")
        lines.extend(f"    approval: {_approval_text(negotiation, approval)}" for approval in negotiation.deal_approvals)
    waiting = len(negotiation.waiting) + bool(negotiation.deal_missing)
    lines.append(f"{negotiation.state}: " + (f"{waiting} approval(s) outstanding" if waiting else "every accepted position is within its approvals"))
    return "\n".join(lines)


def _standing_data(standing: Standing) -> dict[str, Any]:
    return {
        "subject": standing.subject, "kind": standing.kind, "title": standing.title, "item": standing.item,
        "vendor": standing.text or None, "value": standing.value, "shown": standing.shown or None,
        "tier": standing.tier.id if standing.tier else None, "opening": standing.opening,
        "response": standing.response or None, "said": standing.said or None, "status": standing.status,
        "needs": list(standing.needed.departments), "reason_required": standing.needed.reason, "missing": list(standing.missing),
        "approvals": [_approval_data(approval) for approval in standing.approvals], "entries": list(standing.history),
    }


def _approval_data(approval: GivenApproval) -> dict[str, Any]:
    return {"as": approval.department, "name": approval.name, "note": approval.note or None, "entry": approval.entry,
            "counts": approval.counts, "why": approval.why or None}


def standing_data(negotiation: Negotiation) -> dict[str, Any]:
    """The ``status`` report as JSON-ready data."""
    record = negotiation.record
    return {
        "record": record.path.name, "playbook": record.pin.data(), "rounds": record.rounds, "state": negotiation.state,
        "within_approvals": negotiation.within_approvals,
        "subjects": [_standing_data(standing) for standing in negotiation.standings],
        "deal": {"needs": list(negotiation.deal_needed.departments), "missing": list(negotiation.deal_missing),
                 "approvals": [_approval_data(approval) for approval in negotiation.deal_approvals]},
    }


def _entry_line(entry: dict[str, Any], voided: set[int]) -> str:
    kind = entry["kind"]
    if kind == "position":
        text = f"vendor: {entry['text']} — {entry['tier']}"
    elif kind == "response":
        text = f"{entry['response']}" + (f": {entry['text']}" if entry.get("text") else "") + f" — {entry['status']}"
    elif kind == "approval":
        text = f"approved as {entry['as']} by {entry['name']}" + (f": {entry['note']}" if entry.get("note") else "")
    else:
        text = kind
    mark = " (corrected)" if entry["n"] in voided else ""
    return f"{entry['n']:>4}  {entry['recorded'][:10]}  {text}{mark}"


def history_text(record: Record, subject: str) -> str:
    """Every entry about ``subject`` — and the corrections of them — oldest first."""
    voided = record.voided
    mine = {entry["n"] for entry in record.entries if entry.get("subject") == subject}
    lines = [f"{subject}: {len(mine)} entries in {record.path.name}"]
    for entry in record.entries:
        if entry["n"] in mine:
            lines.append(_entry_line(entry, voided))
        elif entry["kind"] == "correction" and entry["corrects"] in mine:
            lines.append(f"{entry['n']:>4}  {entry['recorded'][:10]}  corrects entry {entry['corrects']}: {entry['note']}")
    if not mine:
        lines.append("  nothing recorded")
    return "\n".join(lines)


def verify_record(session: Session) -> list[Problem]:
    """Breaks in the hash chain, and — under the pinned playbook — recorded tiers that are not what the vendor's words give."""
    record = session.record
    problems = verify_chain(record)
    if problems or not session.pinned:
        return problems
    pin_at = record.first_pin.digest
    for index, entry in enumerate(record.entries):
        if entry["kind"] == "repin":
            pin_at = entry["playbook"]["digest"]
        if entry["kind"] != "position" or pin_at != session.pin.digest or entry.get("subject") == DEAL_SUBJECT:
            continue
        try:
            tier = place_offer(session.evaluation, entry["subject"], entry["text"]).tier.id
        except OfferError as error:
            problems.append(Problem(record.locate(index, "text"), f"entry {entry['n']}: {error}"))
            continue
        if tier != entry["tier"]:
            problems.append(Problem(record.locate(index, "tier"), f"entry {entry['n']} records {entry['tier']}, but the vendor's words give {tier}"))
    return problems


def pack_standings(negotiation: Negotiation) -> Standings:
    """What the briefing pack shows of the negotiation: per item where it stands (its own position,
    or its terms'), and per term the vendor's latest position."""
    by_subject = negotiation.by_subject
    items: dict[str, str] = {}
    for result in negotiation.evaluation.items:
        parts = []
        if result.id in by_subject:
            parts.append(standing_line(negotiation, by_subject[result.id]))
        parts += [f"{term}: {standing_line(negotiation, by_subject[term])}" for term in result.item.terms if term in by_subject]
        if parts:
            items[result.id] = "; ".join(parts)
    terms = {standing.subject: f"{standing.shown} ({standing_line(negotiation, standing)})"
             for standing in negotiation.standings if standing.kind == "term" and standing.text}
    agreed = frozenset(
        result.id for result in negotiation.evaluation.items
        if (subjects := [by_subject[name] for name in (result.id, *result.item.terms) if name in by_subject])
        and all(standing.accepted and not standing.missing for standing in subjects)
    )
    return Standings(items, terms, agreed, negotiation.record.path.name)

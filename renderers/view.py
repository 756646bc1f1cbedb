"""What the briefing-pack templates show, computed from an evaluation.

The engine returns data; this module arranges it for reading — items by
module and priority, the answers that made each item apply, positions with
their clause text rendered for the deal — as plain frozen dataclasses. The
templates only format these; they never compute.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ..deal.reasons import EVERY_DEAL
from ..deal.result import Evaluation, ItemResult, TermResult
from ..playbook.model import DEAL_FIELDS, PRIORITIES, SEVERITIES, Playbook

__all__ = ["PackView", "build_view", "Standings"]


@dataclass(frozen=True, slots=True)
class Standings:
    """Where a negotiation stands, as the pack shows it (made by :mod:`dealbook.negotiation`).

    ``items``: item id → a few words (``agreed at fallback 1``, ``open —
    needs Legal``); ``terms``: term id → the vendor's latest position.
    """

    items: Mapping[str, str]
    terms: Mapping[str, str]
    record: str = ""  # the record's file name


@dataclass(frozen=True, slots=True)
class PositionView:
    label: str
    summary: str
    clause: str | None


@dataclass(frozen=True, slots=True)
class TermRow:
    title: str
    unit: str
    target: str
    fallback: str
    walk_away: str
    owner: str
    adjusted: bool
    #: the vendor's latest position, when the deal has a negotiation record
    vendor: str = ""


@dataclass(frozen=True, slots=True)
class ItemView:
    id: str
    title: str
    priority: str
    owner: str
    objective: str
    because: str
    opening: PositionView
    fallbacks: tuple[PositionView, ...]
    walk_away: str
    terms: tuple[TermRow, ...]
    red_flags: tuple[str, ...]
    rationale: str
    talking_points: tuple[str, ...]
    #: where the negotiation stands on the item, when the deal has a record
    standing: str = ""


@dataclass(frozen=True, slots=True)
class ModuleView:
    number: int
    title: str
    summary: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True)
class FlagView:
    severity: str
    message: str
    because: str


@dataclass(frozen=True, slots=True)
class ApprovalView:
    approver: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PackView:
    """Everything a briefing pack shows, ready to format."""

    deal: dict[str, str]
    playbook: dict[str, str]
    modules: tuple[ModuleView, ...]
    terms: tuple[TermRow, ...]
    flags: tuple[FlagView, ...]
    approvals: tuple[ApprovalView, ...]
    priority_counts: tuple[tuple[str, int], ...]
    severity_counts: tuple[tuple[str, int], ...]
    item_count: int
    skipped_count: int
    #: (term, definition) for every defined term the pack's clauses use, A to Z
    definitions: tuple[tuple[str, str], ...] = ()
    #: the negotiation record's file name, when the pack shows where the negotiation stands
    negotiation: str = ""


def because(result: ItemResult) -> str:
    """Why an item applies (and was tailored), as the playbook's business sentences."""
    text = "; ".join(result.because) or EVERY_DEAL
    return text[0].upper() + text[1:]


def _term_row(playbook: Playbook, result: TermResult, standings: Standings | None = None) -> TermRow:
    term = result.term
    return TermRow(
        term.title, term.unit, term.format(result.target), term.format(result.fallback), term.format(result.walk_away),
        playbook.departments_by_id[term.owner].name, bool(result.set_by), standings.terms.get(term.id, "") if standings else "",
    )


def _item_view(evaluation: Evaluation, result: ItemResult, standings: Standings | None = None) -> ItemView:
    playbook, item = evaluation.playbook, result.item
    opening = evaluation.position(result.opening)
    label = "Preferred position" if result.tier == 0 else f"Opening position (fallback {result.tier})"
    fallbacks = tuple(
        PositionView(f"Fallback {number}", rendered.summary, rendered.clause)
        for number, rendered in enumerate(map(evaluation.position, result.fallbacks), result.tier + 1)
    )
    return ItemView(
        id=item.id,
        title=item.title,
        priority=result.priority,
        owner=playbook.departments_by_id[item.owner].name,
        objective=item.objective,
        because=because(result),
        opening=PositionView(label, opening.summary, opening.clause),
        fallbacks=fallbacks,
        walk_away=evaluation.position(result.walk_away).summary,
        terms=tuple(_term_row(playbook, term) for term in result.terms),
        red_flags=item.red_flags,
        rationale=evaluation.rationale(result),
        talking_points=evaluation.talking_points(result),
        standing=standings.items.get(item.id, "") if standings else "",
    )


def build_view(evaluation: Evaluation, standings: Standings | None = None) -> PackView:
    """Arrange an evaluation for the briefing-pack templates (with where its negotiation stands, if given)."""
    playbook, deal = evaluation.playbook, evaluation.answers.deal
    modules = tuple(
        ModuleView(
            module.number, module.title, module.summary,
            tuple(_item_view(evaluation, result, standings) for result in sorted(results, key=lambda entry: PRIORITIES.index(entry.priority))),
        )
        for module, results in evaluation.items_by_module
    )
    priorities = Counter(result.priority for result in evaluation.items)
    severities = Counter(flag.severity for flag in evaluation.flags)
    return PackView(
        deal={name: getattr(deal, name) or "" for name in DEAL_FIELDS},
        playbook={"id": playbook.id, "title": playbook.title, "version": playbook.version, "named": _named(playbook.title)},
        modules=modules,
        terms=tuple(_term_row(playbook, result, standings) for result in evaluation.terms),
        flags=tuple(FlagView(flag.severity, flag.message, flag.because) for flag in evaluation.flags),
        approvals=tuple(
            ApprovalView(approval.department.name, tuple(dict.fromkeys(reason for _, reason in approval.reasons)))
            for approval in evaluation.approvals
        ),
        priority_counts=tuple((level, priorities[level]) for level in PRIORITIES),
        severity_counts=tuple((level, severities[level]) for level in SEVERITIES),
        item_count=len(evaluation.items),
        skipped_count=len(evaluation.skipped),
        definitions=tuple((definition.term, definition.definition) for definition in evaluation.definitions),
        negotiation=standings.record if standings else "",
    )


def _named(title: str) -> str:
    """``the X playbook`` reads once: a title already ending in "playbook" is not given another."""
    return title if title.rstrip(" .").lower().endswith("playbook") else f"{title} playbook"

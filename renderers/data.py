"""The evaluation as JSON-ready data, described by ``schemas/evaluation.schema.json``."""

from __future__ import annotations

from typing import Any

from ..deal.evaluation import Evaluation
from ..deal.result import Decision, ItemResult, TermResult
from ..errors import Location
from ..playbook.model import DEAL_FIELDS, Position

__all__ = ["evaluation_to_data"]


def _location(location: Location) -> dict[str, Any]:
    return {"file": location.file, "line": location.line, "column": location.column, "path": location.path}


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "subject": decision.subject,
        "outcome": decision.outcome,
        "condition": decision.condition,
        "reads": {name: value for name, value in decision.reads},
        "rule": decision.rule,
        "source": _location(decision.source),
    }


def _term(result: TermResult) -> dict[str, Any]:
    term = result.term
    return {
        "id": term.id,
        "title": term.title,
        "unit": term.unit,
        "better": term.better,
        "target": result.target,
        "fallback": result.fallback,
        "walk_away": result.walk_away,
        "display": {name: term.format(getattr(result, name)) for name in ("target", "fallback", "walk_away")},
        "owner": term.owner,
        "set_by": list(result.set_by),
    }


def _position(evaluation: Evaluation, position: Position) -> dict[str, Any]:
    rendered = evaluation.position(position)
    return {"summary": rendered.summary, "clause": rendered.clause}


def _item(evaluation: Evaluation, result: ItemResult, explain: bool) -> dict[str, Any]:
    item = result.item
    opening = evaluation.position(result.opening)
    data: dict[str, Any] = {
        "id": item.id,
        "title": item.title,
        "module": item.module,
        "owner": item.owner,
        "priority": result.priority,
        "objective": item.objective,
        "opening_tier": result.tier,
        "opening": {"summary": opening.summary, "clause": opening.clause},
        "fallbacks": [_position(evaluation, position) for position in result.fallbacks],
        "walk_away": evaluation.position(result.walk_away).summary,
        "terms": [term.id for term in evaluation.item_terms(result)],
        "red_flags": list(item.red_flags),
        "rationale": evaluation.rationale(result),
        "talking_points": list(evaluation.talking_points(result)),
        "covers": list(item.covers),
        "reasons": list(evaluation.because(result)),
        "tradeable": None if result.tradeable is None else _position(evaluation, result.tradeable),
    }
    if explain:
        data["because"] = [_decision(reason) for reason in evaluation.reasons(result)]
    return data


def evaluation_to_data(evaluation: Evaluation, *, explain: bool = False) -> dict[str, Any]:
    """Everything a tool needs from an evaluation, as plain JSON types."""
    playbook, deal = evaluation.playbook, evaluation.answers.deal
    data: dict[str, Any] = {
        "playbook": {"id": playbook.id, "title": playbook.title, "version": playbook.version},
        "deal": {name: getattr(deal, name) for name in DEAL_FIELDS},
        "items": [_item(evaluation, result, explain) for result in evaluation.items],
        "not_applicable": [
            {"id": skipped.item.id, "title": skipped.item.title, "module": skipped.item.module, "reason": _decision(skipped.reason)}
            for skipped in evaluation.skipped
        ],
        "terms": [_term(result) for result in evaluation.terms],
        "risk_flags": [
            {"severity": flag.severity, "message": flag.message, "rule": flag.rule.id, "because": flag.because}
            for flag in evaluation.flags
        ],
        "approvers": [
            {"id": approval.department.id, "name": approval.department.name,
             "reasons": [{"rule": rule, "reason": reason} for rule, reason in approval.reasons]}
            for approval in evaluation.approvals
        ],
        "definitions": [{"term": definition.term, "definition": definition.definition} for definition in evaluation.definitions],
        "assumed": [{"question": entry.question.id, "value": entry.value, "reason": entry.sentence} for entry in evaluation.assumed],
    }
    if explain:
        data["trace"] = [_decision(decision) for decision in evaluation.trace]
    return data

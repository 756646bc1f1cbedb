"""``dealbook test --record``: expectations for new scenarios, written from what the playbook does now.

A scenario without ``expect:`` is new. Recording evaluates its deal and
writes what applies — items, changed priorities and opening tiers, terms
that rules set, flags and approvers — as its expectations, for the author to
review (the file as it was is kept as ``FILE.bak``). Scenarios that already
have expectations are left alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..deal.evaluate import evaluate
from ..deal.evaluation import Evaluation
from ..infra.files import write_keeping_previous
from ..infra.yamlfile import read_document
from ..playbook.model import Playbook
from ..playbook.values import plain_number
from .scenarios import load_scenarios

__all__ = ["expectations", "record_scenarios"]


def expectations(evaluation: Evaluation) -> dict[str, Any]:
    """What the playbook makes of one deal, as a scenario's ``expect`` block."""
    applied = evaluation.items
    found: dict[str, Any] = {
        "items": [result.id for result in applied],
        "not_items": [entry.item.id for entry in evaluation.skipped],
        "priorities": {result.id: result.priority for result in applied if result.priority != result.item.priority},
        "tiers": {result.id: result.tier for result in applied if result.tier},
        "terms": {term.id: {name: plain_number(getattr(term, name)) for name in ("target", "fallback", "walk_away")}
                  for term in evaluation.terms if term.set_by},
        "flags": {flag.rule.id: flag.severity for flag in evaluation.flags},
        "approvers": [approval.department.id for approval in evaluation.approvals],
    }
    return {key: value for key, value in found.items() if value}


def record_scenarios(playbook: Playbook, paths: list[Path]) -> list[tuple[Path, int]]:
    """Fill in ``expect`` for every scenario that has none; returns each file changed and how many it got."""
    changed = []
    for path in paths:
        scenarios = load_scenarios(playbook, [path])
        document = read_document(path)
        entries = document.content["scenarios"]
        new = [(index, scenario) for index, scenario in enumerate(scenarios) if "expect" not in entries[index]]
        if not new:
            continue
        for index, scenario in new:
            entries[index]["expect"] = expectations(evaluate(playbook, scenario.answers))
        text = path.read_text(encoding="utf-8-sig")
        modeline = text.splitlines()[0] + "\n" if text.startswith("# yaml-language-server:") else ""
        body = yaml.safe_dump(document.content, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)
        write_keeping_previous(path, modeline + body)
        changed.append((path, len(new)))
    return changed

"""Plain-text reports for the terminal: the validation summary and an evaluation."""

from __future__ import annotations

from collections import Counter

from ..deal.evaluation import Evaluation
from ..deal.result import ItemResult
from ..playbook.model import PRIORITIES, SEVERITIES, Playbook

__all__ = ["playbook_summary", "evaluation_text"]


def playbook_summary(playbook: Playbook) -> str:
    """One line: what a valid playbook contains."""
    counts = {
        "modules": len(playbook.modules),
        "items": len(playbook.items),
        "questions": len(playbook.questions),
        "facts": len(playbook.facts),
        "rules": len(playbook.rules),
        "terms": len(playbook.terms),
    }
    return f"{playbook.id} {playbook.version}: valid — " + ", ".join(f"{count} {name}" for name, count in counts.items())


def _counts(values: list[str], order: tuple[str, ...]) -> str:
    counter = Counter(values)
    return ", ".join(f"{counter[level]} {level}" for level in order if counter[level]) or "none"


def _item_lines(evaluation: Evaluation, result: ItemResult, explain: bool) -> list[str]:
    item = result.item
    owner = evaluation.playbook.departments_by_id[item.owner].name
    lines = [f"  [{result.priority.upper()}] {item.title} ({item.id}) — owner: {owner}"]
    opening = evaluation.position(result.opening)
    label = "Open" if result.tier == 0 else f"Open (fallback {result.tier})"
    lines.append(f"      {label}: {opening.summary}")
    for number, fallback in enumerate(result.fallbacks, result.tier + 1):
        lines.append(f"      Fallback {number}: {evaluation.position(fallback).summary}")
    lines.append(f"      Walk away: {evaluation.position(result.walk_away).summary}")
    for term in result.terms:
        format_value = term.term.format
        lines.append(
            f"      Term {term.term.title}: target {format_value(term.target)}, "
            f"fallback {format_value(term.fallback)}, walk-away {format_value(term.walk_away)}"
        )
    if explain:
        lines.extend(f"      Why: {reason}" for reason in evaluation.reasons(result))
        if opening.clause:
            lines.append("      Clause:")
            lines.extend(f"        {line}" for line in opening.clause.splitlines())
    return lines


def evaluation_text(evaluation: Evaluation, *, explain: bool = False) -> str:
    """The evaluation as text: items by module, risk flags, approvers, and — with
    ``explain`` — why each decision was taken."""
    playbook, deal = evaluation.playbook, evaluation.answers.deal
    items = evaluation.items
    lines = [
        f"Deal: {deal.name} — vendor {deal.vendor}" + (f", {deal.product}" if deal.product != "the Software" else ""),
        f"Playbook: {playbook.title} ({playbook.id} {playbook.version})",
        f"{len(items)} items apply ({_counts([result.priority for result in items], PRIORITIES)}); "
        f"{len(evaluation.skipped)} do not apply; "
        f"risk flags: {_counts([flag.severity for flag in evaluation.flags], SEVERITIES)}",
    ]
    for module, results in evaluation.items_by_module:
        lines += ["", f"{module.number}. {module.title}"]
        for result in sorted(results, key=lambda entry: PRIORITIES.index(entry.priority)):
            lines += _item_lines(evaluation, result, explain)
    lines += ["", "Risk flags"]
    lines += [f"  [{flag.severity.upper()}] {flag.message} (rule {flag.rule.id})" for flag in evaluation.flags] or ["  none"]
    lines += ["", "Required approvers"]
    lines += [
        f"  {approval.department.name}: " + "; ".join(reason for _, reason in approval.reasons)
        for approval in evaluation.approvals
    ] or ["  none beyond the usual sign-off"]
    if explain:
        lines += ["", "Not applicable"]
        lines += [f"  {skipped.item.title} ({skipped.item.id}): {skipped.reason}" for skipped in evaluation.skipped] or ["  none"]
        lines += ["", "Trace"]
        lines += [f"  {decision} ({decision.source})" for decision in evaluation.trace]
    return "\n".join(lines)

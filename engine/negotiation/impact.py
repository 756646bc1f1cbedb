"""What a new playbook version does to deals already under way.

For one deal, :func:`deal_impact` evaluates it under the old and the new
playbook and lists what a negotiator would notice: items in or out, a
priority or opening position that moved, term values that changed, the
deal's approvers. For a deal with a record, :func:`record_changes` replays
it under the new version: positions whose tier moved, agreed positions that
now fall below the new walk-away, and acceptances that now need approvals
they do not have. :func:`impact_markdown` and :func:`impact_data` are the
report a reviewer reads before a playbook change is merged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..deal.evaluation import Evaluation
from ..deal.tiers import parse_tier
from ..playbook.model import Playbook
from .batch import DealFile
from .record import Record
from .standing import negotiation_of

__all__ = ["RecordChange", "DealImpact", "record_changes", "record_changes_text", "deal_impact", "impact_markdown", "impact_data"]


@dataclass(frozen=True, slots=True)
class RecordChange:
    """How one recorded position reads under the new playbook."""

    subject: str
    status: str
    before: str  # tier id as recorded
    after: str  # tier id now
    missing: tuple[str, ...]  # approvals an acceptance now lacks
    below_walk_away: bool  # an accepted position now beyond the walk-away

    @property
    def moved(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class DealImpact:
    """What a playbook change does to one deal."""

    deal: str  # the answers file's name
    name: str
    changes: tuple[str, ...]  # one sentence each
    record: tuple[RecordChange, ...] = ()
    problem: str = ""  # why the deal could not be evaluated under one version

    @property
    def affected(self) -> bool:
        return bool(self.changes or self.problem or any(change.moved or change.missing or change.below_walk_away for change in self.record))


def record_changes(record: Record, evaluation: Evaluation) -> tuple[RecordChange, ...]:
    """Each recorded position replayed under ``evaluation``'s playbook, against the tier it was recorded at."""
    recorded = {entry["subject"]: entry["tier"] for entry in record.entries if entry["kind"] == "position" and entry["n"] not in record.voided}
    changes = []
    for standing in negotiation_of(record, evaluation).standings:
        if standing.tier is None:
            continue
        below = standing.accepted and standing.tier.kind == "beyond"
        changes.append(RecordChange(standing.subject, standing.status, recorded.get(standing.subject, standing.tier.id), standing.tier.id,
                                    standing.missing, below))
    return tuple(changes)


def _tier_label(tier_id: str) -> str:
    return parse_tier(tier_id).label


def _change_line(change: RecordChange) -> str:
    text = f"{change.subject} ({change.status}): {_tier_label(change.before)}"
    text += f" → {_tier_label(change.after)}" if change.moved else " (unchanged)"
    if change.below_walk_away:
        text += "; agreed beyond the new walk-away"
    if change.missing:
        text += f"; needs approval from {', '.join(change.missing)}"
    return text


def record_changes_text(changes: Iterable[RecordChange]) -> str:
    """One line per recorded position: its tier before and after, and what it now needs."""
    lines = [_change_line(change) for change in changes]
    return "\n".join(lines) if lines else "no recorded positions"


def _shown(playbook: Playbook, value: float, term_id: str) -> str:
    term = playbook.terms_by_id.get(term_id)
    return term.format(value) if term else f"{value:g}"


def _differences(old: Evaluation, new: Evaluation) -> list[str]:
    changes = []
    before = {result.id: result for result in old.items}
    after = {result.id: result for result in new.items}
    for item_id in after.keys() - before.keys():
        changes.append(f"item {item_id} now applies ({after[item_id].priority})")
    for item_id in before.keys() - after.keys():
        reason = "removed from the playbook" if item_id not in new.playbook.items_by_id else "no longer applies"
        changes.append(f"item {item_id} {reason}")
    for item_id in sorted(before.keys() & after.keys(), key=lambda name: new.playbook.item_index.get(name, 0)):
        was, now = before[item_id], after[item_id]
        if was.priority != now.priority:
            changes.append(f"item {item_id}: priority {was.priority} → {now.priority}")
        if was.tier != now.tier:
            changes.append(f"item {item_id}: opens at {'fallback ' + str(now.tier) if now.tier else 'the preferred position'} (was {'fallback ' + str(was.tier) if was.tier else 'the preferred position'})")
        else:
            was_text, now_text = old.position(was.opening).summary, new.position(now.opening).summary
            if was_text != now_text:
                changes.append(f"item {item_id}: opening position now reads: {now_text}")
    old_terms, new_terms = {term.id: term for term in old.terms}, {term.id: term for term in new.terms}
    for term_id in new_terms.keys() & old_terms.keys():
        for name in ("target", "fallback", "walk_away"):
            was_value, now_value = getattr(old_terms[term_id], name), getattr(new_terms[term_id], name)
            if was_value != now_value:
                changes.append(f"term {term_id}: {name.replace('_', '-')} {_shown(old.playbook, was_value, term_id)} → {_shown(new.playbook, now_value, term_id)}")
    old_approvers = {approval.department.id for approval in old.approvals}
    new_approvers = {approval.department.id for approval in new.approvals}
    changes += [f"the deal now needs {name}'s approval" for name in sorted(new_approvers - old_approvers)]
    changes += [f"the deal no longer needs {name}'s approval" for name in sorted(old_approvers - new_approvers)]
    return changes


def deal_impact(old: Playbook, new: Playbook, deal: DealFile, new_deal: DealFile) -> DealImpact:
    """What moving from ``old`` to ``new`` changes for one deal (``deal`` evaluated under each)."""
    name = deal.evaluation.answers.deal.name if deal.evaluation is not None else deal.path.name
    if deal.evaluation is None or new_deal.evaluation is None:
        problem = (deal.problem or new_deal.problem or "cannot be evaluated").split("\n")[0]
        return DealImpact(deal.path.name, name, (), (), problem)
    changes = _differences(deal.evaluation, new_deal.evaluation)
    record = record_changes(deal.record, new_deal.evaluation) if deal.record is not None else ()
    return DealImpact(deal.path.name, name, tuple(changes), record)


def impact_markdown(old: Playbook, new: Playbook, impacts: list[DealImpact]) -> str:
    """The impact report a playbook reviewer reads."""
    affected = [impact for impact in impacts if impact.affected]
    lines = [f"# Impact of {new.id} {new.version} on deals under way", "",
             f"From {old.id} {old.version} to {new.id} {new.version}: {len(affected)} of {len(impacts)} deal(s) affected.", ""]
    for impact in affected:
        lines += [f"## {impact.name} ({impact.deal})", ""]
        if impact.problem:
            lines += [f"- cannot be evaluated: {impact.problem}", ""]
            continue
        lines += [f"- {change}" for change in impact.changes]
        moved = [change for change in impact.record if change.moved or change.missing or change.below_walk_away]
        if moved:
            lines += ["", "Recorded positions:", ""]
            lines += [f"- {_change_line(change)}" for change in moved]
        lines.append("")
    unaffected = [impact.deal for impact in impacts if not impact.affected]
    if unaffected:
        lines += ["## Unchanged", "", ", ".join(unaffected), ""]
    return "\n".join(lines)


def impact_data(old: Playbook, new: Playbook, impacts: list[DealImpact]) -> dict[str, Any]:
    """The impact report as JSON-ready data."""
    return {
        "from": {"id": old.id, "version": old.version}, "to": {"id": new.id, "version": new.version},
        "deals": [{
            "deal": impact.deal, "name": impact.name, "affected": impact.affected, "problem": impact.problem or None,
            "changes": list(impact.changes),
            "record": [{"subject": change.subject, "status": change.status, "before": change.before, "after": change.after,
                        "missing": list(change.missing), "below_walk_away": change.below_walk_away} for change in impact.record],
        } for impact in impacts],
    }

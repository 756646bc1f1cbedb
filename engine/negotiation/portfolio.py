"""Across deals: where negotiations stand, and what the playbook's positions meet in practice.

:func:`portfolio` folds a folder of deals (:mod:`.batch`) into counts: deals
by state, how often each item applies, per item and term how often each tier
was accepted and who approved it, the deals waiting for approvals, and the
walk-aways no vendor ever reached. A fallback accepted every time says the
preferred position is unrealistic; a walk-away never reached may be set too
low. Markdown, JSON and HTML (with inline SVG bars) are made from the same data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from ..deal.tiers import parse_tier
from ..playbook.model import Playbook
from .batch import DealFile
from .standing import negotiation_of

__all__ = ["Portfolio", "portfolio", "portfolio_markdown", "portfolio_data", "portfolio_html", "STATES"]

#: Deal states, in report order.
STATES = ("cannot be evaluated", "no record", "no positions", "open", "awaiting approval", "agreed")


@dataclass(frozen=True)
class Portfolio:
    """Counts over a folder of deals."""

    playbook: str
    deals: int
    states: dict[str, int]
    applies: dict[str, int]  # item id -> deals it applies to
    accepted: dict[str, dict[str, int]]  # subject -> tier id -> acceptances
    approvers: dict[str, dict[str, int]]  # subject -> department -> approvals that count
    offered: dict[str, dict[str, int]]  # subject -> tier id -> deals whose latest vendor position reached it
    waiting: list[tuple[str, tuple[str, ...]]]  # (deal, subjects or "deal" lacking approvals)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (deal, first line of the problem)

    @property
    def untested(self) -> list[str]:
        """Negotiated subjects whose walk-away no vendor position reached."""
        return sorted(subject for subject, tiers in self.offered.items() if not {"walk-away", "beyond-walk-away"} & tiers.keys())


def portfolio(playbook: Playbook, deals: Iterable[DealFile]) -> Portfolio:
    """Fold deals (evaluated under ``playbook``, with their records) into a :class:`Portfolio`."""
    states: Counter[str] = Counter()
    applies: Counter[str] = Counter()
    accepted: dict[str, Counter[str]] = {}
    approvers: dict[str, Counter[str]] = {}
    offered: dict[str, Counter[str]] = {}
    waiting, problems = [], []
    count = 0
    for deal in deals:
        count += 1
        if deal.evaluation is None:
            states["cannot be evaluated"] += 1
            problems.append((deal.path.name, deal.problem.split("\n")[0]))
            continue
        applies.update(deal.evaluation.applicable)
        if deal.record is None:
            states["no record"] += 1
            continue
        negotiation = negotiation_of(deal.record, deal.evaluation)
        states[negotiation.state] += 1
        for standing in negotiation.standings:
            if standing.tier is None:
                continue
            offered.setdefault(standing.subject, Counter())[standing.tier.id] += 1
            if standing.accepted:
                accepted.setdefault(standing.subject, Counter())[standing.tier.id] += 1
                approvers.setdefault(standing.subject, Counter()).update(approval.department for approval in standing.approvals if approval.counts)
        lacking = tuple(standing.subject for standing in negotiation.waiting) + (("deal",) if negotiation.deal_missing else ())
        if lacking:
            waiting.append((deal.path.name, lacking))
    return Portfolio(playbook.id, count, {state: states[state] for state in STATES}, dict(applies.most_common()),
                     {subject: dict(tiers) for subject, tiers in sorted(accepted.items())},
                     {subject: dict(names) for subject, names in sorted(approvers.items())},
                     {subject: dict(tiers) for subject, tiers in sorted(offered.items())}, waiting, problems)


def _tier_order(tiers: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(tiers.items(), key=lambda pair: parse_tier(pair[0]).rank)


def _label(tier_id: str) -> str:
    return parse_tier(tier_id).label


def portfolio_markdown(summary: Portfolio) -> str:
    """The portfolio as Markdown."""
    lines = [f"# Portfolio: {summary.deals} deal(s) under the {summary.playbook} playbook", "", "## Deals by state", "",
             "| State | Deals |", "| --- | ---: |"]
    lines += [f"| {state} | {number} |" for state, number in summary.states.items()]
    lines += ["", "## Accepted positions by tier", ""]
    if summary.accepted:
        lines += ["| Item or term | Tier accepted | Times | Approved by |", "| --- | --- | ---: | --- |"]
        for subject, tiers in summary.accepted.items():
            names = ", ".join(f"{name} ×{number}" for name, number in sorted(summary.approvers.get(subject, {}).items())) or "—"
            for tier, number in _tier_order(tiers):
                lines.append(f"| {subject} | {_label(tier)} | {number} | {names} |")
                names = ""
    else:
        lines.append("No position accepted yet.")
    lines += ["", "## Waiting for approvals", ""]
    lines += [f"- {deal}: {', '.join(subjects)}" for deal, subjects in summary.waiting] or ["None."]
    lines += ["", "## Walk-aways never reached", ""]
    lines += [f"- {subject}" for subject in summary.untested] or ["Every negotiated walk-away was reached at least once."]
    lines += ["", "## How often each item applies", "", "| Item | Deals |", "| --- | ---: |"]
    lines += [f"| {item} | {number} |" for item, number in summary.applies.items()]
    if summary.problems:
        lines += ["", "## Deals that cannot be evaluated", ""]
        lines += [f"- {deal}: {problem}" for deal, problem in summary.problems]
    return "\n".join(lines) + "\n"


def portfolio_data(summary: Portfolio) -> dict[str, Any]:
    """The portfolio as JSON-ready data."""
    return {"playbook": summary.playbook, "deals": summary.deals, "states": summary.states, "applies": summary.applies,
            "accepted": summary.accepted, "approvers": summary.approvers, "offered": summary.offered,
            "waiting": [{"deal": deal, "lacking": list(subjects)} for deal, subjects in summary.waiting],
            "untested_walk_aways": summary.untested,
            "problems": [{"deal": deal, "problem": problem} for deal, problem in summary.problems]}


def _bars(rows: list[tuple[str, int]], total: int) -> str:
    """Horizontal bars as one inline SVG: a label, a bar scaled to ``total``, the count."""
    height, width, label_width = 22, 320, 220
    scale = max(total, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_width + width + 60}" height="{height * len(rows) + 4}">']
    for index, (label, number) in enumerate(rows):
        y = index * height + 2
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{round(width * number / scale, 1)}" height="{height - 8}" fill="#3b6ea5"/>')
        parts.append(f'<text x="{label_width + round(width * number / scale, 1) + 6}" y="{y + 15}" font-size="13">{number}</text>')
    parts.append("</svg>")
    return "".join(parts)


def portfolio_html(summary: Portfolio) -> str:
    """The portfolio as one self-contained HTML page with inline SVG bar charts."""
    title = f"Portfolio: {summary.deals} deal(s) under the {escape(summary.playbook)} playbook"
    body = [f"<h1>{title}</h1>", "<h2>Deals by state</h2>", _bars(list(summary.states.items()), summary.deals)]
    body.append("<h2>Accepted positions by tier</h2>")
    if not summary.accepted:
        body.append("<p>No position accepted yet.</p>")
    for subject, tiers in summary.accepted.items():
        approved = ", ".join(f"{escape(name)} ×{number}" for name, number in sorted(summary.approvers.get(subject, {}).items())) or "nobody yet"
        body.append(f"<h3>{escape(subject)}</h3><p>Approved by: {approved}</p>")
        body.append(_bars([(_label(tier), number) for tier, number in _tier_order(tiers)], max(tiers.values())))
    body.append("<h2>Waiting for approvals</h2>")
    body.append("<ul>" + "".join(f"<li>{escape(deal)}: {escape(', '.join(subjects))}</li>" for deal, subjects in summary.waiting) + "</ul>"
                if summary.waiting else "<p>None.</p>")
    body.append("<h2>Walk-aways never reached</h2>")
    body.append("<ul>" + "".join(f"<li>{escape(subject)}</li>" for subject in summary.untested) + "</ul>" if summary.untested
                else "<p>Every negotiated walk-away was reached at least once.</p>")
    body.append("<h2>How often each item applies</h2>")
    body.append(_bars(list(summary.applies.items()), summary.deals))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            '<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}svg{display:block;margin:.5rem 0}</style>'
            f"</head><body>{''.join(body)}</body></html>\n")

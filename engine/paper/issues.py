"""The issues list: every applicable item against the vendor's paper, as Markdown, Word, HTML and JSON.

Issues come first (sorted by priority, then by how far the paper falls
short), then the items the paper already meets, then the clauses that
matched a red flag without a term value. JSON follows
``schemas/review.schema.json``. Word and HTML are made from the Markdown by
the briefing pack's own writers, so the formats always agree.

``audience="vendor"`` keeps only what can be sent across the table: the
clause, the vendor's words and our ask — no tiers, fallbacks, walk-aways,
rationale, flags, owners or approvers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .._version import __version__
from .findings import Finding, Review

__all__ = ["issues_markdown", "issues_data", "issues_files"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>~])")


def _md(text: str) -> str:
    """Vendor or playbook text, inert in Markdown: special characters escaped, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _title(review: Review) -> str:
    deal = review.evaluation.answers.deal
    return f"Issues list — {deal.name}"


def issues_markdown(review: Review, audience: str = "internal") -> str:
    """The issues list as Markdown (see the module docstring)."""
    deal = review.evaluation.answers.deal
    internal = audience == "internal"
    lines = [f"# {_md(_title(review))}", ""]
    lines += [f"Vendor paper: {_md(Path(review.paper.path).name)} · vendor: {_md(deal.vendor)} · date: {_md(deal.date or 'not set')}", ""]
    if internal:
        counts = {}
        for finding in review.findings:
            counts[finding.tier.label] = counts.get(finding.tier.label, 0) + 1
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        lines += [f"{len(review.findings)} items checked: {_md(summary)}.", ""]
    lines += ["## Issues", ""]
    issues = review.issues if internal else tuple(finding for finding in review.findings if finding.needs_change)
    if not issues:
        lines += ["None.", ""]
    for number, finding in enumerate(issues, 1):
        lines += _issue(number, finding, internal)
    if internal:
        lines += ["## Already meets our position", ""]
        lines += [f"- **{_md(finding.reference)}** {_md(finding.title)} — {_md(finding.tier.label)}" for finding in review.met] or ["None."]
        lines += ["", "## Red flags without a term value", ""]
        hits = review.flag_hits
        lines += [f"- **{_md(review.paper.paragraphs[flag.anchor.paragraph].reference)}** {_md(finding.title)}: {_md(flag.says)} "
                  f"({flag.severity}) — pattern {_md(str(flag.pattern))}" for finding, flag in hits] or ["None."]
        if review.unchecked:
            lines += ["", "## Not checked", "", "The playbook has no patterns for these applicable items; read the paper for them by hand:", ""]
            lines += [f"- {_md(title)}" for title in review.unchecked]
    lines.append("")
    return "\n".join(lines)


def _issue(number: int, finding: Finding, internal: bool) -> list[str]:
    where = finding.reference or "not in the paper"
    lines = [f"### {number}. {_md(finding.title)} — {_md(where)}", ""]
    if internal:
        lines.append(f"- **Priority:** {finding.priority} · **Tier reached:** {_md(finding.tier.label)}")
    if finding.excerpt:
        lines.append(f"- **Vendor's words:** “{_md(finding.excerpt)}”")
    if internal:
        for value in finding.values:
            lines.append(f"- **{_md(value.title)}:** {_md(value.shown)} — {_md(value.tier.label)}; we open at {_md(value.ask)}")
        for flag in finding.flags:
            lines.append(f"- **Red flag ({flag.severity}):** {_md(flag.says)}")
    lines.append(f"- **Our ask:** {_md(finding.ask)}")
    if not finding.found:
        lines.append(f"- **Inserted in:** {_md(finding.section or 'Additional terms (a new section at the end)')}")
    if finding.clause and finding.needs_change:
        lines.append(f"- **Our language:** {_md(finding.clause)}")
    if internal:
        lines.append(f"- **Owner:** {_md(finding.owner)}" + (f" · **Approval to accept as written:** {_md(', '.join(finding.approvers))}" if finding.approvers else ""))
        if finding.fallbacks:
            lines.append("- **Fallbacks:** " + " / ".join(_md(summary) for summary in finding.fallbacks))
        lines.append(f"- **Walk-away:** {_md(finding.walk_away)}")
        if finding.also:
            lines.append(f"- **Also mentioned in:** {_md(', '.join(finding.also))}")
        if finding.pattern is not None:
            lines.append(f"- **Pattern:** {_md(str(finding.pattern))}")
    lines.append("")
    return lines


def _finding_data(finding: Finding, internal: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"item": finding.item, "title": finding.title, "clause": finding.reference or None,
                            "excerpt": finding.excerpt or None, "ask": finding.ask}
    if finding.clause and finding.needs_change:
        data["language"] = " ".join(finding.clause.split())
    if not finding.found:
        data["inserted_in"] = finding.section or None
    if internal:
        data.update({
            "module": finding.module, "priority": finding.priority, "tier": finding.tier.id, "opening_tier": finding.opening,
            "owner": finding.owner, "approvers": list(finding.approvers),
            "values": [{"term": value.term, "value": value.value, "shown": value.shown, "words": value.words,
                        "tier": value.tier.id, "ask": value.ask, "pattern": str(value.pattern)} for value in finding.values],
            "flags": [{"says": flag.says, "severity": flag.severity, "tier": flag.tier.id, "pattern": str(flag.pattern)} for flag in finding.flags],
            "pattern": None if finding.pattern is None else str(finding.pattern),
            "also": list(finding.also),
        })
    return data


def issues_data(review: Review, audience: str = "internal") -> dict[str, Any]:
    """The issues list as JSON-ready data (``schemas/review.schema.json``)."""
    internal = audience == "internal"
    deal = review.evaluation.answers.deal
    playbook = review.evaluation.playbook
    findings = review.findings if internal else tuple(finding for finding in review.findings if finding.needs_change)
    data: dict[str, Any] = {
        "dealbook": __version__,
        "audience": audience,
        "deal": {"name": deal.name, "vendor": deal.vendor, "date": deal.date or None},
        "paper": {"file": Path(review.paper.path).name, "format": review.paper.format,
                  "paragraphs": len(review.paper.paragraphs), "words": review.paper.words},
        "findings": [_finding_data(finding, internal) for finding in findings],
    }
    if internal:
        data["playbook"] = {"id": playbook.id, "version": playbook.version}
        data["unchecked"] = list(review.unchecked)
    return data


def issues_files(review: Review, stem: str, formats: list[str], audience: str = "internal") -> dict[str, bytes]:
    """``{file name: bytes}`` for the issues list in each format (md, docx, html, json)."""
    markdown = issues_markdown(review, audience)
    deal = review.evaluation.answers.deal
    files: dict[str, bytes] = {}
    for name in formats:
        target = f"{stem}.issues.{name}"
        if name == "md":
            files[target] = markdown.encode("utf-8")
        elif name == "json":
            files[target] = (json.dumps(issues_data(review, audience), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        elif name == "html":
            from ..renderers.html import markdown_to_html  # noqa: PLC0415

            files[target] = markdown_to_html(markdown, title=_title(review)).encode("utf-8")
        elif name == "docx":
            from ..renderers.docx.writer import DocumentProperties, markdown_to_docx  # noqa: PLC0415

            properties = DocumentProperties(title=_title(review), subject=f"Review of {deal.vendor}'s paper",
                                            author=deal.negotiator, created=deal.date or None)
            files[target] = markdown_to_docx(markdown, properties=properties)
    return files

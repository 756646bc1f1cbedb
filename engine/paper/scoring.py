"""Scoring a vendor's paper against one deal: each applicable item's patterns, paragraph by paragraph.

For every paragraph where an item's topic is found, the item's term values
are read and placed against the deal's own target, fallback and walk-away
(after the rules tailored them), and its red flags are checked; a flag
without a value is placed by its severity. Where the topic appears in more
than one clause, the item's finding is the clause that falls furthest short.
Survival lists mention topics without stating them, so they do not count;
definitions count only for an item whose patterns allow it and that no other
clause states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..deal.evaluation import Evaluation
from ..deal.result import ItemResult
from ..deal.tiers import NOT_FOUND, PREFERRED, UNSCORED, Tier, place_value, tier_for_severity, worst
from ..playbook.effects import kind_of
from ..playbook.model import PRIORITIES, Item, Rule
from ..playbook.patterns import ItemPatterns, Prepared, Span, prepare
from .findings import Anchor, Finding, FlagHit, Review, ValueRead
from .reading import Paper, Paragraph
from .sections import Section, find_section, sections

__all__ = ["review_paper", "prepared_paragraphs", "excerpt"]

_SURVIVAL = re.compile(r"\b(?:surviv\w*)\b", re.IGNORECASE)
_DEFINITION = re.compile(r"^\s*[\"“”']?[A-Z][\w\s-]{0,60}[\"“”']?\s+(?:means|has the meaning|shall mean)\b")
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-Z(“\"])")


def _role(paragraph: Paragraph) -> str | None:
    """How a paragraph may state a clause: ``clause``, ``definition`` (only where nothing else does), or ``None``.

    Survival lists and bare headings never state one; a definition states one
    only for items whose patterns say ``definitions: true`` and only when no
    clause of the paper does (an SLA whose exclusions live in the definition
    of its excluded minutes).
    """
    if paragraph.kind == "heading" and len(paragraph.text.split()) <= 10:
        return None
    if paragraph.title and paragraph.text.strip().rstrip(".:").strip() == paragraph.title:
        return None  # a numbered title with nothing under it ("3. Remedies"): the clauses below state the terms
    if _SURVIVAL.search(paragraph.title) or (_SURVIVAL.search(paragraph.text) and paragraph.text.count("Section") >= 2):
        return None
    return "definition" if _DEFINITION.match(paragraph.text) else "clause"


def prepared_paragraphs(paper: Paper, role: str = "clause") -> list[tuple[int, Paragraph, Prepared]]:
    """The paragraphs with this role (see :func:`_role`), with their position, each prepared for matching once."""
    return [(position, paragraph, prepare(paragraph.text, paragraph.heading))
            for position, paragraph in enumerate(paper.paragraphs) if _role(paragraph) == role]


def excerpt(text: str, span: Span, limit: int = 320) -> str:
    """The sentence around ``span``, trimmed to about ``limit`` characters."""
    starts = [0] + [match.end() for match in _SENTENCE_END.finditer(text)]
    begin = max((start for start in starts if start <= span.start), default=0)
    end = next((start for start in starts if start > span.end), len(text))
    sentence = " ".join(text[begin:end].split())
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


@dataclass(frozen=True, slots=True)
class _Hit:
    paragraph: Paragraph
    position: int  # index into paper.paragraphs
    span: Span
    tier: Tier
    values: tuple[ValueRead, ...]
    flags: tuple[FlagHit, ...]


def _score(patterns: ItemPatterns, result: ItemResult, evaluation: Evaluation, paragraph: Paragraph, position: int,
           prepared: Prepared) -> _Hit | None:
    span = patterns.topic.find(prepared)
    if span is None:
        return None
    values = []
    for pattern in patterns.values:
        if pattern.term not in result.item.terms:
            continue
        term = evaluation.terms_by_id[pattern.term]
        read = pattern.read(prepared, term.term.unit)
        if read is None:
            continue
        value, where = read
        tier = place_value(value, term.target, term.fallback, term.walk_away, term.term.better)
        ask = term.target if result.tier == 0 else term.fallback
        values.append(ValueRead(term.id, term.term.title, value, term.term.format(value), paragraph.text[where.start:where.end],
                                tier, Anchor(position, where.start, where.end), term.term.format(ask), pattern.location))
    flags = []
    for flag in patterns.flags:
        where = flag.match.find(prepared)
        if where is not None:
            flags.append(FlagHit(flag.says, flag.severity, tier_for_severity(flag.severity, len(result.item.positions.fallbacks)),
                                 Anchor(position, where.start, where.end), flag.location))
    tier = worst([value.tier for value in values] + [flag.tier for flag in flags])
    if tier is None:
        tier = PREFERRED if patterns.meets is not None and patterns.meets.find(prepared) is not None else UNSCORED
    anchor_span = span
    if values and not flags:
        anchor_span = Span(values[0].anchor.start, values[0].anchor.end)
    return _Hit(paragraph, position, anchor_span, tier, tuple(values), tuple(flags))


def _concerns(rule: Rule, item: Item) -> bool:
    """Whether one of the rule's effects names the item or one of its terms."""
    return any((reference.kind == "item" and reference.id == item.id) or (reference.kind == "term" and reference.id in item.terms)
               for effect in rule.effects for reference in kind_of(effect).references(effect))


def _approvers(result: ItemResult, tier: Tier, evaluation: Evaluation) -> tuple[str, ...]:
    """Who signs off if we accept the vendor's text as written (docs/review.md, "Who approves").

    A fallback needs the item's owner, plus the approvers of the deal's rules
    that concern this item; walk-away or beyond needs the owner and every
    approver the deal's rules require (and the executive sponsor beyond). An
    item the paper lacks is treated as a fallback — unless it is critical for
    this deal, when going without it is a walk-away matter.
    """
    departments = evaluation.playbook.departments_by_id
    owner = departments[result.item.owner].name if result.item.owner in departments else result.item.owner
    if tier.kind not in ("fallback", "walk_away", "beyond", "not_found"):
        return ()
    everyone = tier.kind in ("walk_away", "beyond") or (tier.kind == "not_found" and result.priority == "critical")
    rules = {rule.id: rule for rule in evaluation.playbook.rules}
    names = [owner]
    for approval in evaluation.approvals:
        if everyone or any(rule_id in rules and _concerns(rules[rule_id], result.item) for rule_id, _ in approval.reasons):
            names.append(approval.department.name)
    if tier.kind == "beyond" and "exec" in departments:
        names.append(departments["exec"].name)
    return tuple(dict.fromkeys(names))


def _finding(result: ItemResult, patterns: ItemPatterns, hits: list[_Hit], evaluation: Evaluation, known: tuple[Section, ...], paper: Paper) -> Finding:
    item = result.item
    opening = evaluation.position(result.opening)
    departments = evaluation.playbook.departments_by_id
    common = dict(
        item=item.id, title=item.title, module=item.module, priority=result.priority, opening=result.tier,
        ask=opening.summary, clause=opening.clause,
        owner=departments[item.owner].name if item.owner in departments else item.owner,
        fallbacks=tuple(evaluation.position(position).summary for position in result.fallbacks),
        walk_away=evaluation.position(result.walk_away).summary, rationale=item.rationale.strip(),
    )
    if not hits:
        home = find_section(paper, patterns.section, known)
        return Finding(tier=NOT_FOUND, approvers=_approvers(result, NOT_FOUND, evaluation), section=home.name if home else "",
                       section_at=home.start if home else None, **common)
    scored = [hit for hit in hits if hit.tier.scored]

    def at_home(hit: _Hit) -> bool:
        return any(phrase.regex.search(hit.paragraph.heading) for phrase in patterns.section)

    # the clause that falls furthest short; among equals, one under the heading where the item belongs,
    # then a numbered clause before a cover-page cell, then the first
    if scored:
        chosen = max(scored, key=lambda hit: (hit.tier.rank, at_home(hit), bool(hit.paragraph.label)))
    else:
        chosen = max(hits, key=lambda hit: (at_home(hit), bool(hit.paragraph.label)))
    text = chosen.paragraph.text
    others = tuple(dict.fromkeys(hit.paragraph.reference for hit in hits if hit.paragraph.reference != chosen.paragraph.reference))
    return Finding(
        tier=chosen.tier, approvers=_approvers(result, chosen.tier, evaluation), reference=chosen.paragraph.reference,
        excerpt=excerpt(text, chosen.span), anchor=Anchor(chosen.position, chosen.span.start, chosen.span.end),
        values=chosen.values, flags=chosen.flags, pattern=patterns.topic.location, also=others, **common,
    )


def review_paper(paper: Paper, evaluation: Evaluation) -> Review:
    """Score every applicable item that has patterns against the paper; see the module docstring."""
    playbook = evaluation.playbook
    prepared = prepared_paragraphs(paper)
    definitions = prepared_paragraphs(paper, "definition")
    known = sections(paper)
    findings = []
    unchecked = []
    for result in evaluation.items:
        patterns = playbook.patterns_by_item.get(result.id)
        if patterns is None:
            unchecked.append(result.item.title)
            continue
        hits = [hit for position, paragraph, ready in prepared
                if (hit := _score(patterns, result, evaluation, paragraph, position, ready)) is not None]
        if not hits and patterns.definitions:  # the topic stated nowhere but in a definition
            hits = [hit for position, paragraph, ready in definitions
                    if (hit := _score(patterns, result, evaluation, paragraph, position, ready)) is not None]
        findings.append(_finding(result, patterns, hits, evaluation, known, paper))
    order = playbook.item_index
    findings.sort(key=lambda finding: (PRIORITIES.index(finding.priority), -finding.tier.gap, order[finding.item]))
    return Review(paper, evaluation, tuple(findings), tuple(unchecked))

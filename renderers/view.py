"""What the briefing-pack templates show, computed from an evaluation.

The engine returns data; this module arranges it for reading — items by
module and priority, the answers that made each item apply, positions with
their clause text rendered for the deal, the deal sheet's short lines — as
plain frozen dataclasses. The templates only format these; they never compute.

Every figure a term contributes is taken from the term's values for this
deal, and the value an item *opens at* is the one its opening position's
summary quotes (``terms.<id>.fallback`` when a rule moved the opening to the
first fallback), so the deal sheet, checklist, term sheet and guidance agree.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ..deal.evaluation import Evaluation
from ..deal.reasons import EVERY_DEAL
from ..deal.result import ItemResult, TermResult
from ..playbook.model import DEAL_FIELDS, PRIORITIES, SEVERITIES, Position, Question
from ..playbook.values import show_label, show_number
from .anchors import anchor

__all__ = ["PackView", "build_view", "because", "short", "term_fields", "Standings"]

@dataclass(frozen=True, slots=True)
class Standings:
    """Where a deal's negotiation stands, as the pack shows it (made by :mod:`dealbook.negotiation`).

    ``items``: item id → a few words (``agreed at fallback 1``, ``open, vendor at walk-away``);
    ``terms``: term id → the vendor's latest position; ``agreed``: items whose every recorded
    position is accepted and approved.
    """

    items: Mapping[str, str]
    terms: Mapping[str, str]
    agreed: frozenset[str] = frozenset()
    record: str = ""  # the record's file name


#: Term fields in the order a negotiation moves through them.
TERM_FIELDS = ("target", "fallback", "walk_away")
#: Deal facts on the deal sheet: label and the questions whose answers make it.
DEAL_SHEET_FACTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Annual value", ("annual_value",)),
    ("Term", ("term_years", "auto_renewal")),
    ("Licence metric", ("licence_metric",)),
    ("Deployment", ("deployment",)),
    ("Data", ("personal_data", "data_categories", "privacy_regimes")),
    ("Business criticality", ("business_criticality",)),
)
#: How many key terms and must-wins the deal sheet shows at most.
KEY_TERMS, MUST_WINS = 6, 6
_SHORT_WORDS = 14


@dataclass(frozen=True, slots=True)
class PositionView:
    label: str
    summary: str
    clause: str | None
    tradeable: bool = False


@dataclass(frozen=True, slots=True)
class TermRow:
    """One term as an item negotiates it: what we open at, then concede, then walk away at."""

    title: str
    item: str
    item_number: str
    item_anchor: str
    priority: str
    open_at: str
    fallbacks: tuple[str, ...]
    walk_away: str
    owner: str
    adjusted: bool
    #: ``position:<fallback>,<open>`` on a 0 (target) to 1 (walk-away) scale, drawn as a bar
    bar: str
    #: the vendor's latest position, when the deal has a negotiation record
    vendor: str = ""
    #: the term's id
    id: str = ""


@dataclass(frozen=True, slots=True)
class ItemView:
    id: str
    number: str
    title: str
    heading: str
    anchor: str
    clause_heading: str
    clause_anchor: str
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

    #: how much of the guidance stands in the guidance part (the rest is with the clause language):
    #: "full" for the must-wins, "talking points" for the other high items, "positions" for the rest
    depth: str = "full"
    #: the risk flags this item answers
    flags: tuple[FlagView, ...] = ()
    #: where the negotiation stands on the item, when the deal has a record
    standing: str = ""
    #: every recorded position of the item is accepted and approved
    agreed: bool = False

    @property
    def look_for_here(self) -> bool:
        return self.depth == "full"

    @property
    def talking_points_here(self) -> bool:
        return self.depth != "positions"

    @property
    def has_clauses(self) -> bool:
        return bool(self.opening.clause or any(position.clause for position in self.fallbacks))

    @property
    def tradeable(self) -> tuple[PositionView, ...]:
        return tuple(position for position in self.fallbacks if position.tradeable)


@dataclass(frozen=True, slots=True)
class ModuleView:
    number: int
    title: str
    heading: str
    anchor: str
    clause_heading: str
    clause_anchor: str
    summary: str
    items: tuple[ItemView, ...]
    #: risk flags about the module as a whole (not about one of its items)
    flags: tuple[FlagView, ...] = ()


@dataclass(frozen=True, slots=True)
class FlagView:
    severity: str
    message: str
    short: str
    because: str
    #: the guidance heading the flag is about ("" when no applicable item is)
    anchor: str


@dataclass(frozen=True, slots=True)
class ApprovalView:
    approver: str
    reasons: tuple[str, ...]
    short: str


@dataclass(frozen=True, slots=True)
class PackView:
    """Everything a briefing pack shows, ready to format."""

    deal: dict[str, str]
    playbook: dict[str, str]
    facts: tuple[tuple[str, str], ...]
    modules: tuple[ModuleView, ...]
    terms: tuple[TermRow, ...]
    must_wins: tuple[ItemView, ...]
    must_win_count: int
    #: the priority of the must-wins: "critical", unless the deal has no critical item
    must_wins_priority: str
    key_terms: tuple[TermRow, ...]
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

    @property
    def items(self) -> tuple[ItemView, ...]:
        return tuple(item for module in self.modules for item in module.items)

    @property
    def proposed_terms(self) -> tuple[tuple[str, str], ...]:
        """Each term with the value this deal opens at, once (what the vendor proposal asks for)."""
        return tuple(dict.fromkeys((row.title, row.open_at) for row in self.terms))

    @property
    def tradeables(self) -> tuple[tuple[ItemView, PositionView], ...]:
        """Fallbacks marked tradeable, what matters least first: those are the cheapest to give."""
        every = [(item, position) for item in self.items for position in item.tradeable[:1]]
        return tuple(sorted(every, key=lambda pair: -PRIORITIES.index(pair[0].priority)))


def short(text: str, words: int = _SHORT_WORDS) -> str:
    """The first sentence of ``text``, at most ``words`` words (cut with an ellipsis): one line of a sheet."""
    text = " ".join(str(text).split())
    sentence = re.split(r"(?<=[.;:!?])\s+(?=[A-Z(])", text, maxsplit=1)[0].rstrip(";:,")
    parts = sentence.split()
    if len(parts) <= words:
        return sentence
    return " ".join(parts[:words]).rstrip(",;:—-") + "…"


def _answer_text(question: Question, value: Any, currency: str) -> str:
    if question.type == "money" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{currency} {show_number(value)}".strip()
    return show_label(question.option_labels, value)


def because(evaluation: Evaluation, result: ItemResult) -> str:
    """Why an item applies (and was tailored), as the playbook's business sentences."""
    text = "; ".join(evaluation.because(result)) or EVERY_DEAL
    return text[0].upper() + text[1:]


#: ``terms.<id>`` or ``terms.<id>.<field>`` in a template's source.
_TERM_REFERENCE = re.compile(r"\bterms\.(\w+)(?:\.(target|fallback|walk_away)\b)?")


@lru_cache(maxsize=4096)
def _fields_read(source: str) -> tuple[tuple[str, str], ...]:
    """``(term id, field)`` for every term value a template quotes, in order; ``terms.x`` alone is the target.

    Read from the source text: parsing every summary with Jinja would cost a pack more than rendering it.
    """
    return tuple((match.group(1), match.group(2) or "target") for match in _TERM_REFERENCE.finditer(source))


def term_fields(position: Position, term: str) -> tuple[str, ...]:
    """The fields of ``term`` a position's summary quotes (``target``, ``fallback``, ``walk_away``), in order."""
    return tuple(dict.fromkeys(field for name, field in _fields_read(position.summary) if name == term))


def _fraction(result: TermResult, value: float) -> float:
    span = result.walk_away - result.target
    return 0.0 if not span else round(min(max((value - result.target) / span, 0.0), 1.0), 2) + 0.0


def _term_row(evaluation: Evaluation, result: ItemResult, term: TermResult, anchor_: str, number: str) -> TermRow:
    """The term as ``result`` negotiates it: opening value from the opening summary, then the fallbacks'."""
    definition = term.term
    quoted = term_fields(result.opening, term.id)
    open_field = quoted[0] if quoted else ("target" if result.tier == 0 else "fallback")
    later = [field for position in result.fallbacks for field in term_fields(position, term.id)[:1]]
    order = TERM_FIELDS.index(open_field)
    later = [field for field in dict.fromkeys(later) if TERM_FIELDS.index(field) > order and field != "walk_away"]
    if not later and open_field == "target":  # the term's own fallback, whatever the positions' words quote
        later = ["fallback"]
    value = {name: getattr(term, name) for name in TERM_FIELDS}
    bar = f"position:{_fraction(term, term.fallback):.2f},{_fraction(term, value[open_field]):.2f}"
    return TermRow(
        title=definition.title,
        item=result.item.title,
        item_number=number,
        item_anchor=anchor_,
        priority=result.priority,
        open_at=definition.format(value[open_field]),
        fallbacks=tuple(definition.format(value[field]) for field in later),
        walk_away=definition.format(term.walk_away),
        owner=evaluation.playbook.departments_by_id[definition.owner].name,
        adjusted=bool(term.set_by),
        bar=bar,
        id=definition.id,
    )


def _item_view(evaluation: Evaluation, result: ItemResult, number: str) -> ItemView:
    playbook, item = evaluation.playbook, result.item
    # First the terms its guidance reads: telling them renders its texts, which the positions then reuse.
    terms = evaluation.item_terms(result)
    opening = evaluation.position(result.opening)
    label = "Preferred position" if result.tier == 0 else f"Fallback {result.tier}, this deal's opening"
    fallbacks = tuple(
        PositionView(f"Fallback {index}", rendered.summary, rendered.clause, position.tradeable)
        for index, (position, rendered) in enumerate(
            ((position, evaluation.position(position)) for position in result.fallbacks), result.tier + 1)
    )
    heading = f"{number} {item.title}"
    clause_heading = f"C{number} {item.title}"
    return ItemView(
        id=item.id,
        number=number,
        title=item.title,
        heading=heading,
        anchor=anchor(heading),
        clause_heading=clause_heading,
        clause_anchor=anchor(clause_heading),
        priority=result.priority,
        owner=playbook.departments_by_id[item.owner].name,
        objective=item.objective,
        because=because(evaluation, result),
        opening=PositionView(label, opening.summary, opening.clause),
        fallbacks=fallbacks,
        walk_away=evaluation.position(result.walk_away).summary,
        terms=tuple(_term_row(evaluation, result, term, anchor(heading), number) for term in terms),
        red_flags=item.red_flags,
        rationale=evaluation.rationale(result),
        talking_points=evaluation.talking_points(result),
    )


def _facts(evaluation: Evaluation) -> tuple[tuple[str, str], ...]:
    playbook, values, deal = evaluation.playbook, evaluation.values, evaluation.answers.deal
    facts = [("Vendor", deal.vendor or ""), ("Product", deal.product or "")]
    for label, names in DEAL_SHEET_FACTS:
        readings = []
        for name in names:
            question, value = playbook.questions_by_id.get(name), values.get(name)
            if question is None or value is None:
                continue
            text = _answer_text(question, value, deal.currency or "")
            if name == "term_years":
                text = f"{text} year{'s' if value != 1 else ''}"
            elif len(names) > 1:
                text = f"{name.replace('_', ' ')}: {text}"
            readings.append(text)
        if readings:
            facts.append((label, "; ".join(readings)))
    return tuple(facts)


def _flag_anchor(rule_items: tuple[str, ...], module: str, items: dict[str, ItemView],
                 modules: dict[str, ModuleView]) -> str:
    for item_id in rule_items:
        if item_id in items:
            return items[item_id].anchor
    return modules[module].anchor if module in modules else ""


def _must_wins(items) -> tuple[tuple[ItemView, ...], str]:
    """The items of the highest priority the deal has (the critical ones, as a rule), and that priority."""
    ranked = sorted(items, key=lambda item: PRIORITIES.index(item.priority))
    top = ranked[0].priority if ranked else ""
    return tuple(item for item in ranked if item.priority == top), top


def _with_standings(module: ModuleView, standings: Standings) -> ModuleView:
    return replace(module, items=tuple(
        replace(item, standing=standings.items.get(item.id, ""), agreed=item.id in standings.agreed,
                terms=tuple(replace(row, vendor=standings.terms.get(row.id, "")) for row in item.terms))
        for item in module.items))


def build_view(evaluation: Evaluation, standings: Standings | None = None) -> PackView:
    """Arrange an evaluation for the briefing-pack templates (with where its negotiation stands, if given)."""
    playbook, deal = evaluation.playbook, evaluation.answers.deal
    modules = _module_views(evaluation)
    items = {item.id: item for module in modules for item in module.items}
    flags = _flag_views(evaluation, items, modules)
    modules = _placed(modules, flags, items)
    if standings is not None:
        modules = [_with_standings(module, standings) for module in modules]
    ranked = sorted((item for module in modules for item in module.items), key=lambda item: PRIORITIES.index(item.priority))
    must_wins, critical = _must_wins(ranked)
    key_terms = sorted(
        (row for item in ranked for row in item.terms),
        key=lambda row: (PRIORITIES.index(row.priority), not row.adjusted),
    )
    priorities = Counter(result.priority for result in evaluation.items)
    severities = Counter(flag.severity for flag in evaluation.flags)
    return PackView(
        deal={name: getattr(deal, name) or "" for name in DEAL_FIELDS},
        playbook={"id": playbook.id, "title": playbook.title, "version": playbook.version, "named": _named(playbook.title)},
        facts=_facts(evaluation),
        modules=tuple(modules),
        terms=tuple(row for module in modules for item in module.items for row in item.terms),
        must_wins=must_wins[:MUST_WINS],
        must_win_count=len(must_wins),
        must_wins_priority=critical,
        key_terms=tuple(key_terms[:KEY_TERMS]),
        flags=tuple(flags),
        approvals=_approval_views(evaluation),
        priority_counts=tuple((level, priorities[level]) for level in PRIORITIES),
        severity_counts=tuple((level, severities[level]) for level in SEVERITIES),
        item_count=len(evaluation.items),
        skipped_count=len(evaluation.skipped),
        definitions=tuple((definition.term, definition.definition) for definition in evaluation.definitions),
        negotiation=standings.record if standings is not None else "",
    )


def _module_views(evaluation: Evaluation) -> list[ModuleView]:
    """Each module with its applicable items, most important first, numbered as the pack numbers them."""
    modules = []
    for module, results in evaluation.items_by_module:
        ordered = sorted(results, key=lambda entry: PRIORITIES.index(entry.priority))
        heading, clause_heading = f"{module.number}. {module.title}", f"C{module.number}. {module.title}"
        modules.append(ModuleView(
            module.number, module.title, heading, anchor(heading), clause_heading, anchor(clause_heading), module.summary,
            tuple(_item_view(evaluation, result, f"{module.number}.{index}") for index, result in enumerate(ordered, 1)),
        ))
    return modules


def _flag_views(evaluation: Evaluation, items: dict[str, ItemView], modules: list[ModuleView]) -> list[FlagView]:
    """The risk flags, each told once, each anchored to the item (or module) whose guidance tells it in full."""
    modules_by_id = {module.id: view for (module, _), view in zip(evaluation.items_by_module, modules, strict=True)}
    flags, seen = [], set()
    for flag in evaluation.flags:
        if (flag.severity, flag.message) in seen:  # two rules can raise the same flag: told once
            continue
        seen.add((flag.severity, flag.message))
        rule_items = tuple(item for effect in flag.rule.effects for item in effect.items)
        flags.append(FlagView(flag.severity, flag.message, short(flag.message), flag.because,
                              _flag_anchor(rule_items, flag.rule.module, items, modules_by_id)))
    return flags


def _placed(modules: list[ModuleView], flags: list[FlagView], items: dict[str, ItemView]) -> list[ModuleView]:
    """The modules with each flag under what it is about, and each item's guidance as deep as the pack can afford."""
    # The pack must stay short enough to use: the must-wins carry their whole guidance, the other
    # high items their talking points; what else there is to read waits with the clause language.
    top, priority = _must_wins(items.values())
    full = {item.id for item in top} if priority in ("critical", "high") else set()
    return [replace(
        module, flags=tuple(flag for flag in flags if flag.anchor == module.anchor), items=tuple(
            replace(item, flags=tuple(flag for flag in flags if flag.anchor == item.anchor),
                    depth="full" if item.id in full else "talking points" if item.priority == "high" else "positions")
            for item in module.items)) for module in modules]


def _approval_views(evaluation: Evaluation) -> tuple[ApprovalView, ...]:
    approvals = []
    for approval in evaluation.approvals:
        reasons = tuple(dict.fromkeys(reason for _, reason in approval.reasons))
        approvals.append(ApprovalView(approval.department.name, reasons, short(reasons[0]) if reasons else ""))
    return tuple(approvals)


def _named(title: str) -> str:
    """``the X playbook`` reads once: a title already ending in "playbook" is not given another."""
    return title if title.rstrip(" .").lower().endswith("playbook") else f"{title} playbook"

"""The playbook, as frozen dataclasses built once by the loader.

Each concept an author writes — question, fact, term, position, item, rule —
is one class here, named in the negotiator's language. Derived indexes on
:class:`Playbook` are ``cached_property`` so that they cost nothing until
used and are then shared by every evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..errors import Location
from .expressions import Condition
from .patterns import ItemPatterns
from .values import show_number

__all__ = [
    "PRIORITIES",
    "SEVERITIES",
    "DEAL_FIELDS",
    "Department",
    "Option",
    "Question",
    "Section",
    "Fact",
    "Term",
    "Position",
    "Positions",
    "Item",
    "Effect",
    "Rule",
    "Module",
    "Definition",
    "Glossary",
    "Route",
    "Routing",
    "OWNER",
    "Playbook",
]

#: Priority levels, most urgent first.
PRIORITIES: tuple[str, ...] = ("critical", "high", "medium", "low")
#: Risk-flag severities, most severe first. ``critical`` means walk-away level.
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low")
#: Deal metadata fields an answers file may carry.
DEAL_FIELDS: tuple[str, ...] = ("name", "vendor", "customer", "product", "currency", "date", "negotiator")


@dataclass(frozen=True, slots=True)
class Department:
    """A function that can own items and terms and approve deals."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Option:
    """One allowed answer of a choice or multi-choice question."""

    value: str
    label: str
    help: str = ""
    #: the business sentence a "because" line gives for this option
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    """A deal fact the negotiator is asked for."""

    id: str
    text: str
    help: str
    type: str
    section: str
    location: Location
    options: tuple[Option, ...] = ()
    default: Any = None
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    when: Condition | None = None
    #: why the answer matters, as a sentence; ``{answer}`` is the answer in words
    reason: str = ""
    #: the sentence for a "no" answer
    reason_if_not: str = ""

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    @property
    def option_labels(self) -> dict[str, str]:
        """Each option's label by its value."""
        return {option.value: option.label for option in self.options}


@dataclass(frozen=True, slots=True)
class Section:
    """A questionnaire file: questions asked together, and facts derived from answers."""

    id: str
    title: str
    description: str
    file: str
    questions: tuple[Question, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """A named expression over answers and other facts."""

    id: str
    description: str
    expr: Condition
    location: Location
    #: what the fact means for the deal when it holds, and when it does not
    reason: str = ""
    reason_if_not: str = ""


@dataclass(frozen=True, slots=True)
class Term:
    """A measurable negotiated value that goes on the term sheet."""

    id: str
    title: str
    unit: str
    better: str  # "higher" or "lower": which way is better for us
    target: float
    fallback: float
    walk_away: float
    owner: str
    module: str
    location: Location
    description: str = ""
    display: str = ""

    def format(self, value: float) -> str:
        """A value as it reads on the term sheet: ``72 hours``, ``3%``."""
        number = show_number(value)
        if self.display:
            return self.display.replace("{value}", number)
        if self.unit.startswith("%"):
            return f"{number}{self.unit}"
        return f"{number} {self.unit}"

    def is_better(self, first: float, second: float) -> bool:
        """Whether ``first`` is at least as good for us as ``second``."""
        return first <= second if self.better == "lower" else first >= second




@dataclass(frozen=True, slots=True)
class Position:
    """One negotiating position: a summary and optional clause language (Jinja)."""

    summary: str
    location: Location
    clause: str | None = None
    #: a fallback we can concede to in exchange for something else
    tradeable: bool = False


@dataclass(frozen=True, slots=True)
class Positions:
    """The preferred position, the ordered fallbacks, and the walk-away."""

    preferred: Position
    fallbacks: tuple[Position, ...]
    walk_away: Position

    def tier(self, number: int) -> Position:
        """Position by tier: 0 is preferred, 1 the first fallback, ..."""
        if number == 0:
            return self.preferred
        return self.fallbacks[min(number, len(self.fallbacks)) - 1]

    @property
    def tiers(self) -> tuple[Position, ...]:
        return (self.preferred, *self.fallbacks)


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the negotiation checklist."""

    id: str
    title: str
    objective: str
    module: str
    owner: str
    priority: str
    positions: Positions
    rationale: str
    covers: tuple[str, ...]
    location: Location
    applies_when: Condition | None = None
    terms: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    talking_points: tuple[str, ...] = ()
    #: for an item that applies to every deal: why, in one short phrase
    because: str = ""


@dataclass(frozen=True, slots=True)
class Effect:
    """One effect of a rule: ``kind`` names an entry of the effect registry."""

    kind: str
    location: Location
    items: tuple[str, ...] = ()
    level: str = ""  # priority for raise/lower, severity for flag
    tier: int = 0
    term: str = ""
    values: tuple[tuple[str, float], ...] = ()  # set_term: (field, value) pairs
    message: str = ""  # flag message, or approver reason
    approver: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """When a condition holds, apply effects that tailor the playbook to the deal."""

    id: str
    when: Condition
    because: str
    effects: tuple[Effect, ...]
    module: str
    location: Location


@dataclass(frozen=True, slots=True)
class Module:
    """One module of the playbook (one file)."""

    id: str
    number: int
    title: str
    summary: str
    file: str
    terms: tuple[Term, ...]
    items: tuple[Item, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Definition:
    """A capitalised defined term of the clause language, and the items that use it."""

    term: str
    definition: str
    items: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Glossary:
    """The defined-terms registry: definitions, and capitalised names that are not terms."""

    file: str
    definitions: tuple[Definition, ...] = ()
    names: tuple[str, ...] = ()
    #: the registry of a layer below (an overlay that names none): its item lists describe that layer's clauses
    inherited: bool = False


#: The role in a route that stands for the item's (or term's) owning department.
OWNER = "owner"


@dataclass(frozen=True, slots=True)
class Route:
    """Who must approve accepting a position at one tier, and whether each approval needs a written reason."""

    approvers: tuple[str, ...]  # department ids, or OWNER
    location: Location
    reason: bool = False


@dataclass(frozen=True, slots=True)
class Routing:
    """Approval routing: a route per tier id (``fallback-2``, ``walk-away``...), with per-item overrides."""

    executive: str
    tiers: tuple[tuple[str, Route], ...]
    items: tuple[tuple[str, tuple[tuple[str, Route], ...]], ...] = ()
    location: Location | None = None

    def route(self, item: str, tier: str) -> Route | None:
        """The route for accepting ``item`` at ``tier`` (an item override first), or ``None`` if none is given.

        ``fallback-N`` without its own route takes the nearest lower
        fallback's (``fallback-3`` falls back to ``fallback-2``).
        """
        overrides = dict(dict(self.items).get(item, ()))
        defaults = dict(self.tiers)
        for candidate in _tier_candidates(tier):
            if candidate in overrides:
                return overrides[candidate]
            if candidate in defaults:
                return defaults[candidate]
        return None


def _tier_candidates(tier: str) -> tuple[str, ...]:
    if tier.startswith("fallback-") and tier[9:].isdigit():
        return tuple(f"fallback-{number}" for number in range(int(tier[9:]), 0, -1))
    return (tier,)


@dataclass(frozen=True, eq=False)
class Playbook:
    """A loaded, validated playbook. Build it with :func:`dealbook.load_playbook`."""

    id: str
    title: str
    version: str
    description: str
    root: str
    departments: tuple[Department, ...]
    sections: tuple[Section, ...]
    modules: tuple[Module, ...]
    #: questions (with ``when``) and facts in an order where each reads only
    #: what comes before it.
    resolution_order: tuple[Question | Fact, ...] = field(repr=False)
    digest: str = ""
    #: the defined-terms registry, when the playbook has one
    glossary: Glossary | None = None
    #: how to find items in a vendor's paper (optional pattern files), in file order
    patterns: tuple[ItemPatterns, ...] = field(default=(), repr=False)
    #: the outline's topic codes items cover (``playbook.yaml`` ``outline``); empty when the playbook follows none
    outline: tuple[str, ...] = ()
    #: who approves accepting each tier (optional routing files), or ``None``
    routing: Routing | None = field(default=None, repr=False)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(question for section in self.sections for question in section.questions)

    @cached_property
    def facts(self) -> tuple[Fact, ...]:
        return tuple(fact for section in self.sections for fact in section.facts)

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for module in self.modules for item in module.items)

    @cached_property
    def terms(self) -> tuple[Term, ...]:
        return tuple(term for module in self.modules for term in module.terms)

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(rule for module in self.modules for rule in module.rules)

    @cached_property
    def questions_by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    @cached_property
    def facts_by_id(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.facts}

    @cached_property
    def items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def terms_by_id(self) -> dict[str, Term]:
        return {term.id: term for term in self.terms}

    @cached_property
    def modules_by_id(self) -> dict[str, Module]:
        return {module.id: module for module in self.modules}

    @cached_property
    def departments_by_id(self) -> dict[str, Department]:
        return {department.id: department for department in self.departments}

    @cached_property
    def definitions_by_term(self) -> dict[str, Definition]:
        return {definition.term: definition for definition in self.glossary.definitions} if self.glossary else {}

    @cached_property
    def patterns_by_item(self) -> dict[str, ItemPatterns]:
        return {patterns.item: patterns for patterns in self.patterns}

    @cached_property
    def item_index(self) -> dict[str, int]:
        return {item.id: index for index, item in enumerate(self.items)}

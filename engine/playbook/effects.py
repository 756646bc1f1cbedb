"""Rule effects: what a fired rule does to the deal's guidance.

Each effect kind is one function in the :data:`EFFECTS` registry, applied in
playbook order to an :class:`Outcome`. The fold is a pure function of which
rules fired, so :class:`~dealbook.result.Evaluation` runs it once, when its
results are first read.

Conflicts resolve the same way everywhere: for a term field or an opening
tier the later rule wins (and the override is recorded for the trace);
``raise_priority`` keeps the highest level asked for and ``lower_priority``
the lowest, and a raise beats a lower; ``exclude`` beats ``include``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .model import PRIORITIES, Effect, Playbook

__all__ = ["Outcome", "EFFECTS", "apply_effects"]

_RANK = {priority: rank for rank, priority in enumerate(PRIORITIES)}


@dataclass(slots=True)
class Outcome:
    """What the rules did to one deal, in compact form (filled while evaluating)."""

    included: dict[int, int] = field(default_factory=dict)  # item index -> rule index
    excluded: dict[int, int] = field(default_factory=dict)
    raised: dict[int, tuple[int, int]] = field(default_factory=dict)  # item -> (rank, rule)
    lowered: dict[int, tuple[int, int]] = field(default_factory=dict)
    tiers: dict[int, tuple[int, int]] = field(default_factory=dict)  # item -> (tier, rule)
    terms: dict[str, dict[str, tuple[float, int]]] = field(default_factory=dict)  # term -> field -> (value, rule)
    flags: list[tuple[int, Effect]] = field(default_factory=list)
    approvers: dict[str, list[tuple[int, Effect]]] = field(default_factory=dict)
    overrides: list[tuple[str, int, int]] = field(default_factory=list)  # (what, earlier rule, later rule)


def _include(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    for item in effect.items:
        outcome.included[items[item]] = rule


def _exclude(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    for item in effect.items:
        outcome.excluded[items[item]] = rule


def _raise(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    rank = _RANK[effect.level]
    for item in effect.items:
        index = items[item]
        if index not in outcome.raised or rank < outcome.raised[index][0]:
            outcome.raised[index] = (rank, rule)


def _lower(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    rank = _RANK[effect.level]
    for item in effect.items:
        index = items[item]
        if index not in outcome.lowered or rank > outcome.lowered[index][0]:
            outcome.lowered[index] = (rank, rule)


def _open_at(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    for item in effect.items:
        index = items[item]
        earlier = outcome.tiers.get(index)
        if earlier is not None and earlier[0] != effect.tier:
            outcome.overrides.append((f"opening tier of item '{item}'", earlier[1], rule))
        outcome.tiers[index] = (effect.tier, rule)


def _set_term(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    fields = outcome.terms.setdefault(effect.term, {})
    for name, value in effect.values:
        earlier = fields.get(name)
        if earlier is not None and earlier[0] != value:
            outcome.overrides.append((f"{name} of term '{effect.term}'", earlier[1], rule))
        fields[name] = (value, rule)


def _flag(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    outcome.flags.append((rule, effect))


def _require_approver(outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
    outcome.approvers.setdefault(effect.approver, []).append((rule, effect))


#: Rule effects by kind: ``(outcome, rule index, effect, item index by id)``.
EFFECTS: dict[str, Callable[[Outcome, int, Effect, dict[str, int]], None]] = {
    "include": _include,
    "exclude": _exclude,
    "raise_priority": _raise,
    "lower_priority": _lower,
    "open_at": _open_at,
    "set_term": _set_term,
    "flag": _flag,
    "require_approver": _require_approver,
}




def apply_effects(playbook: Playbook, fired: tuple[int, ...]) -> Outcome:
    """Fold the effects of the fired rules (indexes into ``playbook.rules``), in order."""
    outcome = Outcome()
    rules, item_index = playbook.rules, playbook.item_index
    for index in fired:
        for effect in rules[index].effects:
            EFFECTS[effect.kind](outcome, index, effect, item_index)
    return outcome

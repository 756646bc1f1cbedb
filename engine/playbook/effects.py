"""Rule effects: what a fired rule does to the deal's guidance.

Each effect kind is one class in the :data:`EFFECT_KINDS` registry and
implements the whole protocol of :class:`EffectKind`: how to read its YAML
(``parse``), how to fold it into an :class:`Outcome` (``folder``: a function
made once per playbook with the effect's ids already resolved), how to say
it in words (``describe``), which ids it refers to (``references``), what it
sets (``settings``) and which items, approvers and flags it brings. Adding a
kind is adding its JSON Schema branch and one class here; nothing else
switches on kind names.

The fold is a pure function of which rules fired, so
:class:`~dealbook.deal.evaluation.Evaluation` runs it once, when its results are
first read. Conflicts resolve the same way everywhere: for a term field or an
opening tier the later rule wins (and the override is recorded for the
trace); ``raise_priority`` keeps the highest level asked for and
``lower_priority`` the lowest, and a raise beats a lower; ``exclude`` beats
``include``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from ..errors import Location
from .model import PRIORITIES, Effect, Playbook
from .values import plain_number, show_number

__all__ = [
    "Outcome", "EffectKind", "Reference", "EFFECT_KINDS", "parse_effect", "kind_of", "apply_effects",
]

_RANK = {priority: rank for rank, priority in enumerate(PRIORITIES)}


@dataclass(slots=True)
class Outcome:
    """What the rules did to one deal, in compact form (filled while evaluating)."""

    included: dict[int, int] = field(default_factory=dict)  # item index -> rule index
    excluded: dict[int, int] = field(default_factory=dict)
    raised: dict[int, tuple[int, int]] = field(default_factory=dict)  # item -> (rank, rule)
    lowered: dict[int, tuple[int, int]] = field(default_factory=dict)
    tiers: dict[int, tuple[int, int]] = field(default_factory=dict)  # item -> (tier, rule)
    #: term -> field -> (value, rule); a term only one rule set holds that rule's own settings, read-only
    terms: dict[str, Mapping[str, tuple[float, int]]] = field(default_factory=dict)
    flags: list[tuple[int, Effect]] = field(default_factory=list)
    approvers: dict[str, list[tuple[int, Effect]]] = field(default_factory=dict)
    overrides: list[tuple[str, int, int]] = field(default_factory=list)  # (what, earlier rule, later rule)


#: Folds one effect into an outcome (see :meth:`EffectKind.folder`).
Fold = Callable[[Outcome], None]


@dataclass(frozen=True, slots=True)
class Reference:
    """An id an effect names: what it is (``item``, ``term``, ``department``) and where in the effect."""

    kind: str
    id: str
    path: tuple[str | int, ...] = ()


class EffectKind:
    """One kind of rule effect. Subclasses set :attr:`name` and implement the protocol."""

    name: ClassVar[str]

    def parse(self, location: Location, argument: Any) -> Effect:
        """The model object for the YAML ``{name: argument}`` (already schema-valid)."""
        raise NotImplementedError

    def folder(self, rule: int, effect: Effect, items: dict[str, int]) -> Fold:
        """A function folding ``effect`` of rule number ``rule`` into an outcome (``items``: index by item id).

        Made once per playbook and run for every deal the rule fires for, so it resolves what it can now.
        """
        raise NotImplementedError

    def apply(self, outcome: Outcome, rule: int, effect: Effect, items: dict[str, int]) -> None:
        """Fold ``effect`` of rule number ``rule`` into ``outcome``."""
        self.folder(rule, effect, items)(outcome)

    def describe(self, effect: Effect) -> str:
        """The effect in a few words, as ``dealbook diff`` prints it."""
        raise NotImplementedError

    def references(self, effect: Effect) -> Iterator[Reference]:
        """The ids the effect names, for the semantic checks."""
        yield from (Reference("item", item) for item in effect.items)

    def settings(self, effect: Effect) -> dict[tuple[str, str], Any]:
        """What the effect sets, ``(what, id/field) -> value``: two rules setting one key differently conflict."""
        return {}

    def includes(self, effect: Effect) -> tuple[str, ...]:
        """Items the effect brings into the deal."""
        return ()

    def excludes(self, effect: Effect) -> tuple[str, ...]:
        """Items the effect takes out of the deal."""
        return ()

    def approvers(self, effect: Effect) -> tuple[str, ...]:
        """Departments whose sign-off the effect requires."""
        return ()

    def flag_severity(self, effect: Effect) -> str:
        """The severity of the risk flag the effect raises, or ``""``."""
        return ""

    def templates(self, effect: Effect) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Template sources the effect carries, with their path inside the effect."""
        return iter(())

    def problems(self, effect: Effect, playbook: Playbook) -> Iterator[str]:
        """What is wrong with the effect in this playbook, beyond unknown ids."""
        return iter(())


class Include(EffectKind):
    name = "include"

    def parse(self, location: Location, argument: Any) -> Effect:
        return Effect(self.name, location, items=tuple(argument))

    def folder(self, rule: int, effect: Effect, items: dict[str, int]) -> Fold:
        included = {items[item]: rule for item in effect.items}
        return lambda outcome: outcome.included.update(included)

    def describe(self, effect: Effect) -> str:
        return f"include {', '.join(effect.items)}"

    def includes(self, effect: Effect) -> tuple[str, ...]:
        return effect.items


class Exclude(Include):
    name = "exclude"

    def folder(self, rule: int, effect: Effect, items: dict[str, int]) -> Fold:
        excluded = {items[item]: rule for item in effect.items}
        return lambda outcome: outcome.excluded.update(excluded)

    def describe(self, effect: Effect) -> str:
        return f"exclude {', '.join(effect.items)}"

    def includes(self, effect: Effect) -> tuple[str, ...]:
        return ()

    def excludes(self, effect: Effect) -> tuple[str, ...]:
        return effect.items


class RaisePriority(EffectKind):
    name = "raise_priority"

    def parse(self, location: Location, argument: Any) -> Effect:
        return Effect(self.name, location, items=tuple(argument["items"]), level=argument["to"])

    def folder(self, rule: int, effect: Effect, items: dict[str, int]) -> Fold:
        indexes, entry = tuple(items[item] for item in effect.items), (_RANK[effect.level], rule)

        def fold(outcome: Outcome) -> None:
            raised = outcome.raised
            for index in indexes:
                if index not in raised or entry[0] < raised[index][0]:  # the highest level asked for
                    raised[index] = entry
        return fold

    def describe(self, effect: Effect) -> str:
        return f"{self.name.replace('_', ' ')} of {', '.join(effect.items)} to {effect.level}"


class LowerPriority(RaisePriority):
    name = "lower_priority"

    def folder(self, rule: int, effect: Effect, items: dict[str, int]) -> Fold:
        indexes, entry = tuple(items[item] for item in effect.items), (_RANK[effect.level], rule)

        def fold(outcome: Outcome) -> None:
            lowered = outcome.lowered
            for index in indexes:
                if index not in lowered or entry[0] > lowered[index][0]:  # the lowest level asked for
                    lowered[index] = entry
        return fold


class OpenAt(EffectKind):
    name = "open_at"

    def parse(self, location: Location, argument: Any) -> Effect:
        return Effect(self.name, location, items=tuple(argument["items"]), tier=argument["tier"])

    def folder(self, rule: int, effect: Effect, items: dict[str, int]) -> Fold:
        indexes, entry = tuple((items[item], item) for item in effect.items), (effect.tier, rule)

        def fold(outcome: Outcome) -> None:
            tiers = outcome.tiers
            for index, item in indexes:
                earlier = tiers.get(index)
                if earlier is not None and earlier[0] != entry[0]:
                    outcome.overrides.append((f"opening tier of item '{item}'", earlier[1], rule))
                tiers[index] = entry
        return fold

    def describe(self, effect: Effect) -> str:
        return f"open {', '.join(effect.items)} at tier {effect.tier}"

    def settings(self, effect: Effect) -> dict[tuple[str, str], Any]:
        return {("tier", item): effect.tier for item in effect.items}

    def problems(self, effect: Effect, playbook: Playbook) -> Iterator[str]:
        for item_id in effect.items:
            item = playbook.items_by_id.get(item_id)
            if item is not None and effect.tier > len(item.positions.fallbacks):
                yield f"item '{item_id}' has {len(item.positions.fallbacks)} fallback(s); it cannot open at tier {effect.tier}"


class SetTerm(EffectKind):
    name = "set_term"

    def parse(self, location: Location, argument: Any) -> Effect:
        values = tuple((name, plain_number(value)) for name, value in argument.items() if name != "term")
        return Effect(self.name, location, term=argument["term"], values=values)

    def folder(self, rule: int, effect: Effect, items: dict[str, int]) -> Fold:
        term, entries = effect.term, MappingProxyType({name: (value, rule) for name, value in effect.values})

        def fold(outcome: Outcome) -> None:
            fields = outcome.terms.get(term)
            if fields is None:  # the first rule to set the term, as for most deals: its settings as they are, not a copy
                outcome.terms[term] = entries
                return
            for name, entry in entries.items():
                earlier = fields.get(name)
                if earlier is not None and earlier[0] != entry[0]:
                    outcome.overrides.append((f"{name} of term '{term}'", earlier[1], rule))
            outcome.terms[term] = {**fields, **entries}  # a new mapping: the earlier one may be another rule's own
        return fold

    def describe(self, effect: Effect) -> str:
        return f"set term {effect.term}: " + ", ".join(f"{name} {show_number(value)}" for name, value in effect.values)

    def references(self, effect: Effect) -> Iterator[Reference]:
        yield Reference("term", effect.term, (self.name, "term"))

    def settings(self, effect: Effect) -> dict[tuple[str, str], Any]:
        return {("term", f"{effect.term}.{name}"): value for name, value in effect.values}


class Flag(EffectKind):
    name = "flag"

    def parse(self, location: Location, argument: Any) -> Effect:
        return Effect(self.name, location, level=argument["severity"], message=argument["message"])

    def folder(self, rule: int, effect: Effect, items: dict[str, int]) -> Fold:
        entry = (rule, effect)
        return lambda outcome: outcome.flags.append(entry)

    def describe(self, effect: Effect) -> str:
        return f"flag ({effect.level}): {' '.join(effect.message.split())}"

    def flag_severity(self, effect: Effect) -> str:
        return effect.level

    def templates(self, effect: Effect) -> Iterator[tuple[str, tuple[str, ...]]]:
        yield effect.message, (self.name, "message")


class RequireApprover(EffectKind):
    name = "require_approver"

    def parse(self, location: Location, argument: Any) -> Effect:
        return Effect(self.name, location, approver=argument["approver"], message=argument["reason"])

    def folder(self, rule: int, effect: Effect, items: dict[str, int]) -> Fold:
        approver, entry = effect.approver, (rule, effect)

        def fold(outcome: Outcome) -> None:
            asked = outcome.approvers.get(approver)
            if asked is None:
                outcome.approvers[approver] = [entry]
            else:
                asked.append(entry)
        return fold

    def describe(self, effect: Effect) -> str:
        return f"require approver {effect.approver}: {' '.join(effect.message.split())}"

    def references(self, effect: Effect) -> Iterator[Reference]:
        yield Reference("department", effect.approver, (self.name, "approver"))

    def approvers(self, effect: Effect) -> tuple[str, ...]:
        return (effect.approver,)


#: Every effect kind by the YAML key that names it.
EFFECT_KINDS: dict[str, EffectKind] = {
    kind.name: kind()
    for kind in (Include, Exclude, RaisePriority, LowerPriority, OpenAt, SetTerm, Flag, RequireApprover)
}


def parse_effect(location: Location, raw: dict[str, Any]) -> Effect:
    """The effect written as ``{kind: argument}`` in a rule's ``then:`` list."""
    ((kind, argument),) = raw.items()
    return EFFECT_KINDS[kind].parse(location, argument)


def kind_of(effect: Effect) -> EffectKind:
    """The registry entry of an effect."""
    return EFFECT_KINDS[effect.kind]


def apply_effects(playbook: Playbook, fired: tuple[int, ...]) -> Outcome:
    """Fold the effects of the fired rules (indexes into ``playbook.rules``), in order."""
    outcome = Outcome()
    plan = _PLANS.get(playbook) or _plan(playbook)
    for index in fired:
        for fold in plan[index]:
            fold(outcome)
    return outcome


#: Per playbook, per rule: its effects' folds, made once instead of resolving ids for every deal.
_PLANS: WeakKeyDictionary[Playbook, tuple[tuple[Fold, ...], ...]] = WeakKeyDictionary()


def _plan(playbook: Playbook) -> tuple[tuple[Fold, ...], ...]:
    items = playbook.item_index
    plan = _PLANS[playbook] = tuple(tuple(EFFECT_KINDS[effect.kind].folder(index, effect, items) for effect in rule.effects)
                                    for index, rule in enumerate(playbook.rules))
    return plan

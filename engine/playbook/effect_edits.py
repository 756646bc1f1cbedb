"""Editing a base rule's effects from an overlay, one effect at a time.

Replacing a rule's whole ``then:`` list to change one effect invites an
author to drop another by accident. A patch can instead name effects to add
(``add_effects``) and effects to remove (``remove_effects``, written as in the
base file), and removing an item takes it out of every effect that names it.
Each function returns the new effects, where each of them was written (so
that problems point at the right file), and what changed, in words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from ..errors import Problem, shorten
from ..infra.yamlfile import Document

__all__ = ["effect_items", "show_effect", "drop_item", "edit_effects"]

Origin = tuple[Document, tuple[str | int, ...]]


def effect_items(effect: Any) -> list[str] | None:
    """The item ids an effect (``{kind: argument}``) names, or ``None``."""
    if not isinstance(effect, dict) or len(effect) != 1:
        return None
    (argument,) = effect.values()
    ids = argument if isinstance(argument, list) else argument.get("items") if isinstance(argument, dict) else None
    return ids if isinstance(ids, list) else None


def show_effect(effect: Any) -> str:
    """An effect on one line, as written in YAML: ``raise_priority: {items: [dpa], to: critical}``."""
    return shorten(yaml.safe_dump(effect, default_flow_style=True, sort_keys=False, width=10_000).strip().removeprefix("{").removesuffix("}"), 120)


def drop_item(then: list[Any], origin_of: Callable[[int], Origin], item_id: str, layer: str) -> tuple[list[Any], dict[tuple[str, int], Origin], list[str]]:
    """``then`` without ``item_id``: taken out of each effect naming it, an effect naming only it dropped."""
    kept: list[tuple[Any, Origin]] = []
    notes = []
    for number, effect in enumerate(then):
        ids = effect_items(effect)
        if ids is not None and item_id in ids:
            remaining = [entry for entry in ids if entry != item_id]
            if not remaining:
                notes.append(f"effect {number + 1} dropped (it named only item '{item_id}', removed by {layer})")
                continue
            ((name, argument),) = effect.items()
            effect = {name: remaining if isinstance(argument, list) else {**argument, "items": remaining}}
            notes.append(f"item '{item_id}' taken out of effect {number + 1} (removed by {layer})")
        kept.append((effect, origin_of(number)))
    return [effect for effect, _ in kept], {("then", index): origin for index, (_, origin) in enumerate(kept)}, notes


def edit_effects(rule_id: str, then: list[Any], origin_of: Callable[[int], Origin], patch: Document, path: tuple[str | int, ...],
                 add: list[Any], remove: list[Any]) -> tuple[list[Any], dict[tuple[str, int], Origin], list[str], list[Problem]]:
    """``then`` with the effects in ``remove`` taken out (each must match one exactly) and those in ``add`` appended."""
    kept = [(effect, origin_of(number)) for number, effect in enumerate(then)]
    notes: list[str] = []
    problems: list[Problem] = []
    for index, effect in enumerate(remove):
        match = next((position for position, (existing, _) in enumerate(kept) if existing == effect), None)
        if match is None:
            listed = "; ".join(show_effect(existing) for existing, _ in kept) or "none"
            problems.append(Problem(patch.locate([*path, "remove_effects", index]),
                                    f"rule '{rule_id}' has no effect {show_effect(effect)}; write it as the base file does. Its effects: {listed}"))
            continue
        del kept[match]
        notes.append(f"effect removed: {show_effect(effect)}")
    for index, effect in enumerate(add):
        kept.append((effect, (patch, (*path, "add_effects", index))))
        notes.append(f"effect added: {show_effect(effect)}")
    return [effect for effect, _ in kept], {("then", index): origin for index, (_, origin) in enumerate(kept)}, notes, problems

"""The base playbook's scenario tests, run against an overlay of it.

An overlay is meant to change some outcomes and keep the rest. Running the
base layer's ``tests/*.yaml`` against the overlay shows both: an expectation
about something the overlay changed — an element it added, changed or
removed, or an id a changed rule names — is marked as the overlay's doing
and does not fail the run; any other expectation that no longer holds is a
regression.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..infra.yamlfile import read_document
from ..playbook.effect_edits import effect_items
from ..playbook.expressions import ExpressionError, compile_condition
from ..playbook.overlay import Composition
from ..playbook.sources import resolve_playbook_path
from .show import composition_of

__all__ = ["overlay_changes", "effect_ids", "base_scenario_files"]


def overlay_changes(composition: Composition) -> frozenset[str]:
    """Ids an overlay added, changed or removed; what reads them (facts, items, rules); and the ids changed rules name."""
    base = composition.layers[0]
    changed = set(composition.removed)
    elements = [element for layered in (*composition.sections, *composition.modules) for kind in layered.lists.values() for element in kind]
    changed.update(element.id for element in [*elements, *composition.departments] if element.layers != [base])
    reads = {element.id: _names(element.content) for element in elements}
    grown = True
    while grown:  # a fact reading a changed answer is changed, and so is whatever reads that fact
        before = len(changed)
        changed.update(name for name, names in reads.items() if names & changed)
        grown = len(changed) > before
    for element in elements:
        if element.id in changed:
            changed.update(effect_ids(element.content.get("then")))
    for content in composition.base_content.values():
        changed.update(effect_ids(content.get("then")) if isinstance(content, dict) else ())
    return frozenset(changed)


def _names(content: dict[str, Any]) -> set[str]:
    """The question and fact ids an element's condition reads."""
    source = next((content[key] for key in ("when", "applies_when", "expr") if isinstance(content.get(key), str)), None)
    if source is None:
        return set()
    try:
        return set(compile_condition(source).names)
    except ExpressionError:
        return set()


def effect_ids(then: Any) -> set[str]:
    """Every id a rule's raw effects name: items, terms and approvers."""
    found: set[str] = set()
    for effect in then if isinstance(then, list) else ():
        found.update(effect_items(effect) or ())
        for argument in effect.values() if isinstance(effect, dict) else ():
            if isinstance(argument, dict):
                found.update(str(argument[key]) for key in ("term", "approver") if key in argument)
    return found


def base_scenario_files(playbook: str | Path | None) -> tuple[list[Path], frozenset[str]]:
    """The scenario files of the playbook ``playbook`` extends, and what it changed; empty for a plain playbook."""
    manifest_path = resolve_playbook_path(playbook)
    extends = read_document(manifest_path).content.get("extends")
    if not extends:
        return [], frozenset()
    local = manifest_path.parent / str(extends)
    folder = Path(os.path.normpath(resolve_playbook_path(local if local.exists() else str(extends)).parent / "tests"))
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
    return files, overlay_changes(composition_of(playbook))

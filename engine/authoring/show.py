"""``dealbook show --effective``: the merged playbook, with where each element came from.

For an overlay, the output is the playbook the engine actually uses — every
layer merged — as YAML, with a comment above each question, fact, term, item,
rule and department naming the layer (and file) that introduced it and the
fields later layers changed. For a plain playbook every element comes from
the playbook itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..errors import ValidationErrors
from ..infra.yamlfile import read_document
from ..playbook.load import load_playbook
from ..playbook.overlay import Composition, Element, Layered, compose
from ..playbook.sources import Sources, display_name, resolve_playbook_path

__all__ = ["effective_playbook", "composition_of"]


def composition_of(playbook: str | Path | None) -> Composition:
    """A playbook's layers merged, each element knowing where it came from (see :mod:`dealbook.playbook.overlay`)."""
    manifest_path = resolve_playbook_path(playbook)
    problems: list[Any] = []
    manifest = read_document(manifest_path, display_name(manifest_path))
    composition = compose(manifest, manifest_path.parent, Sources(), problems)
    ValidationErrors.raise_if(problems)
    assert composition is not None
    return composition


def _dump(content: Any, indent: int) -> list[str]:
    text = yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return [" " * indent + line if line else line for line in text.rstrip("\n").splitlines()]


def _origin(element: Element) -> str:
    """``# from itam (file)``, and which later layers changed which fields."""
    first, *later = element.layers
    text = f"# from {first} ({element.origins[()][0].file})"
    if later:
        changed = ", ".join(dict.fromkeys(element.patched)) or "replaced"
        text += f"; changed by {', '.join(dict.fromkeys(later))}: {changed}"
    return text


def _changed(element: Element, base: str) -> bool:
    """Whether a layer above the base introduced or changed the element."""
    return element.layers != [base]


def _elements(name: str, elements: list[Element], indent: int) -> list[str]:
    lines = [" " * indent + f"{name}:"]
    if not elements:
        return [lines[0] + " []"]
    for element in elements:
        lines.append(" " * (indent + 2) + _origin(element))
        dumped = _dump(element.content, indent + 4)
        lines.append(" " * (indent + 2) + "- " + dumped[0].lstrip())
        lines += dumped[1:]
    return lines


def _container(layered: Layered, keep: Callable[[Element], bool]) -> list[str]:
    header = {key: value for key, value in layered.document.content.items() if key not in layered.lists}
    dumped = _dump(header, 4)
    lines = [f"  # {layered.kind} file {layered.document.file} (layer {layered.layer})", "  - " + dumped[0].lstrip(), *dumped[1:]]
    for name, elements in layered.lists.items():
        lines += _elements(name, [element for element in elements if keep(element)], 4)
    return lines


def effective_playbook(playbook: str | Path | None = None, *, changed_only: bool = False) -> str:
    """The validated, merged playbook as YAML with each element's layer and file in a comment.

    With ``changed_only``, only what layers above the base added, changed or
    removed (removals, and what they took with them, as comments).
    """
    loaded = load_playbook(playbook)
    composition = composition_of(playbook)
    manifest = composition.manifest.content
    base = composition.layers[0]
    keep: Callable[[Element], bool] = (lambda element: _changed(element, base)) if changed_only else (lambda element: True)
    removed = [f"#   {kind} '{name}' (at {where.file}:{where.line})" for name, (kind, where) in composition.removed.items()]
    lines = [
        f"# Effective playbook {loaded.id} {loaded.version}; layers, base first: {' <- '.join(composition.layers)}",
        *(["# Only what the layers above the base changed."] if changed_only else []),
        *(["# Removed:", *removed, *(f"#   {entry}" for entry in composition.dropped)] if removed else []),
        *_dump({key: manifest[key] for key in ("id", "title", "version", "description")}, 0),
        *_elements("departments", [element for element in composition.departments if keep(element)], 0),
        "sections:",
    ]
    for layered in composition.sections:
        if not changed_only or any(keep(element) for elements in layered.lists.values() for element in elements):
            lines += _container(layered, keep)
    lines.append("modules:")
    for layered in composition.modules:
        if not changed_only or any(keep(element) for elements in layered.lists.values() for element in elements):
            lines += _container(layered, keep)
    return "\n".join(lines) + "\n"

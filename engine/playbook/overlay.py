"""Overlays: a playbook that ``extends:`` another and changes it by id.

An organisation adapts the bundled ``itam`` playbook without copying it::

    # acme/playbook.yaml
    id: acme-itam
    extends: itam                      # a bundled name, or a folder relative to this one
    departments: [{id: ciso, name: CISO office}]    # added, or replaced by id
    overrides: [overrides/security.yaml]            # patches by id (schemas/overlay.schema.json)
    modules: [modules/99-acme.yaml]                 # whole new modules, as in any playbook

A patch file lists ``questions``, ``facts``, ``terms``, ``items`` and
``rules`` by id: an entry whose id exists replaces the fields it gives (an
item's ``positions`` field by field, so one position can change alone); an
entry with a new id is added to the ``module`` or ``section`` it names;
``remove:`` drops elements by id.

Merging works on the raw documents, before the model is built, so the
merged playbook is validated, loaded, linted, tested and evaluated exactly
like any other. Every merged value remembers the file and YAML path it came
from: :class:`MergedDocument` answers ``locate()`` with the location in the
file that introduced the value, so errors point at the right layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputFileError, Location, Problem, did_you_mean
from ..infra.schema import check_document
from ..infra.yamlfile import Document, read_document
from .effect_edits import drop_item, edit_effects, effect_items
from .sources import display_name, read_checked, read_glossary, read_listed, resolve_playbook_path

__all__ = ["MergedDocument", "Element", "Layered", "Composition", "compose", "merged_documents", "redirects", "PATCH_KINDS"]

Path_ = tuple[str | int, ...]
#: What a patch file can change: list key -> (container list in the playbook, container key in a patch entry).
PATCH_KINDS: dict[str, tuple[str, str]] = {
    "questions": ("sections", "section"),
    "facts": ("sections", "section"),
    "terms": ("modules", "module"),
    "items": ("modules", "module"),
    "rules": ("modules", "module"),
}
_LISTS = {"sections": ("questions", "facts"), "modules": ("terms", "items", "rules")}


@dataclass(slots=True)
class Element:
    """One question, fact, term, item, rule or department, with where each part came from."""

    content: dict[str, Any]
    origins: dict[Path_, tuple[Document, Path_]]  # relative path -> (document, path in it)
    layers: list[str]  # the layers that introduced or changed it, first to last
    patched: list[str] = field(default_factory=list)  # fields the later layers changed

    @property
    def id(self) -> str:
        return str(self.content.get("id"))


@dataclass(slots=True)
class Layered:
    """A module or questionnaire section being assembled from layers."""

    document: Document  # where its header (id, title, ...) came from
    kind: str  # "module" or "questions"
    layer: str
    lists: dict[str, list[Element]]

    def merged(self) -> MergedDocument:
        header = {key: value for key, value in self.document.content.items() if key not in self.lists}
        content: dict[str, Any] = dict(header)
        origins: dict[Path_, tuple[Document, Path_]] = {(): (self.document, ())}
        for key, elements in self.lists.items():
            if key not in self.document.content and not elements:
                continue
            content[key] = [element.content for element in elements]
            origins[(key,)] = (self.document, (key,))
            for index, element in enumerate(elements):
                origins.update({(key, index, *relative): origin for relative, origin in element.origins.items()})
        return MergedDocument(self.document.file, content, origins)


@dataclass(frozen=True)
class MergedDocument:
    """A document assembled from several files; ``locate`` answers in the original file."""

    file: str
    content: Any
    origins: dict[Path_, tuple[Document, Path_]]

    def locate(self, path: Any, *, key: bool = False) -> Location:
        """The location, in the file that introduced it, of the value (or key) at ``path``."""
        path = tuple(path)
        probe = path
        while probe not in self.origins and probe:
            probe = probe[:-1]
        document, base = self.origins[probe] if probe in self.origins else self.origins[()]
        return document.locate((*base, *path[len(probe):]), key=key)


@dataclass(slots=True)
class Composition:
    """A playbook's layers merged: manifest fields, departments, sections and modules."""

    manifest: Document
    layers: list[str]
    departments: list[Element]
    sections: list[Layered]
    modules: list[Layered]
    glossary: Document | None = None  # the defined-terms registry of the top-most layer that has one
    #: id -> (kind, where a later layer removed it), so that a problem it causes points at the removal
    removed: dict[str, tuple[str, Location]] = field(default_factory=dict)
    #: id -> an element's content before a later layer changed or removed it
    base_content: dict[str, Any] = field(default_factory=dict)
    #: base elements dropped as a consequence of a removal, in words (``show`` prints them)
    dropped: list[str] = field(default_factory=list)

    def merged_manifest(self) -> MergedDocument:
        content = {key: self.manifest.content[key] for key in ("id", "title", "version", "description")}
        content["departments"] = [element.content for element in self.departments]
        origins: dict[Path_, tuple[Document, Path_]] = {(): (self.manifest, ())}
        for index, element in enumerate(self.departments):
            origins.update({("departments", index, *relative): origin for relative, origin in element.origins.items()})
        return MergedDocument(self.manifest.file, content, origins)

    def find(self, kind: str, element_id: str) -> tuple[Layered, list[Element], int] | None:
        """The container, list and index of an element of ``kind`` (``items``, ...)."""
        containers = self.sections if PATCH_KINDS[kind][0] == "sections" else self.modules
        for layered in containers:
            for index, element in enumerate(layered.lists[kind]):
                if element.id == element_id:
                    return layered, layered.lists[kind], index
        return None


def _elements(document: Document, key: str, layer: str) -> list[Element]:
    raw = document.content.get(key, []) if isinstance(document.content, dict) else []
    return [Element(entry, {(): (document, (key, index))}, [layer]) for index, entry in enumerate(raw)]


def _layered(document: Document | None, kind: str, layer: str) -> Layered | None:
    if document is None:
        return None
    lists = {key: _elements(document, key, layer) for key in _LISTS["modules" if kind == "module" else "sections"]}
    return Layered(document, kind, layer, lists)


def compose(manifest: Document, root: Path, sources: Any, problems: list[Problem], seen: tuple[Path, ...] = ()) -> Composition | None:
    """Read a playbook and, through ``extends``, every layer below it, and merge them.

    Problems are appended to ``problems``; ``None`` means the layers could not be
    read far enough to merge.
    """
    content, layer = manifest.content, manifest.content["id"]
    new_sections = [_layered(document, "questions", layer) for document in read_listed(root, manifest, "questionnaire", "questions", sources, problems)] if "questionnaire" in content else []
    new_modules = [_layered(document, "module", layer) for document in read_listed(root, manifest, "modules", "module", sources, problems)] if "modules" in content else []
    glossary = read_glossary(root, manifest, sources, problems)
    if "extends" not in content:
        departments = _elements(manifest, "departments", layer)
        return Composition(manifest, [layer], departments, [s for s in new_sections if s], [m for m in new_modules if m], glossary)
    base = _base(manifest, root, sources, problems, seen)
    patches: list[tuple[Document, set[str]]] = []
    for index, name in enumerate(content.get("overrides", [])):
        if (root / name).exists():
            patch = _read_patch(root / name, sources, problems)
            if patch is not None:
                patches.append(patch)
        else:
            problems.append(Problem(manifest.locate(["overrides", index]), f"file not found: {name}"))
    if base is None:
        return None
    base.manifest = manifest
    base.layers.append(layer)
    base.glossary = glossary or base.glossary
    _merge_departments(base, manifest, layer)
    base.sections += [s for s in new_sections if s]
    base.modules += [m for m in new_modules if m]
    for patch, broken in patches:
        # Entries with schema problems are skipped, so that one run also reports what the others get wrong.
        problems.extend(apply_patch(base, patch, layer, skip=broken))
    return None if problems else base


def _read_patch(path: Path, sources: Any, problems: list[Problem]) -> tuple[Document, set[str]] | None:
    """A patch file and the paths (``items/2``) of its entries that have schema problems."""
    try:
        document = read_document(path, display_name(path))
    except InputFileError as error:
        problems.append(error.problem)
        return None
    found = check_document(document, "overlay")
    problems.extend(found)
    sources.add(document)
    if not isinstance(document.content, dict) or any(problem.location.path.count("/") < 1 for problem in found):
        return None
    return document, {"/".join(problem.location.path.split("/")[:2]) for problem in found}



def _base(manifest: Document, root: Path, sources: Any, problems: list[Problem], seen: tuple[Path, ...]) -> Composition | None:
    name = manifest.content["extends"]
    here = manifest.locate(["extends"])
    local = root / name
    try:
        path = resolve_playbook_path(local if local.exists() else name)
    except InputFileError as error:
        problems.append(Problem(here, f"extends: {error.problem.message}"))
        return None
    resolved = path.resolve()
    if resolved in seen or resolved == (root / "playbook.yaml").resolve():
        problems.append(Problem(here, f"extends '{name}' makes a cycle of playbooks extending each other"))
        return None
    if not path.exists():
        problems.append(Problem(here, f"extends: no playbook at {name}"))
        return None
    document = read_checked(path, display_name(path), "playbook", sources, problems)
    if document is None:
        return None
    return compose(document, path.parent, sources, problems, (*seen, (root / "playbook.yaml").resolve()))


def _merge_departments(base: Composition, manifest: Document, layer: str) -> None:
    for index, raw in enumerate(manifest.content.get("departments", [])):
        origin = {(): (manifest, ("departments", index))}
        existing = next((element for element in base.departments if element.id == raw["id"]), None)
        if existing is None:
            base.departments.append(Element(raw, origin, [layer]))
        else:
            existing.content = raw
            existing.origins.update({(key,): (manifest, ("departments", index, key)) for key in raw if key != "id"})
            existing.patched.extend(key for key in raw if key != "id")
            existing.layers.append(layer)


def apply_patch(base: Composition, patch: Document, layer: str, *, skip: frozenset[str] | set[str] = frozenset()) -> list[Problem]:
    """Apply one patch file (removals first, then changes and additions) to ``base``; entries at ``skip`` paths are left out."""
    problems: list[Problem] = []
    for kind, ids in patch.content.get("remove", {}).items():
        if f"remove/{kind}" in skip:
            continue
        for index, element_id in enumerate(ids):
            found = base.find(kind, element_id)
            if found is None:
                problems.append(Problem(patch.locate(["remove", kind, index]), _unknown(base, kind, element_id)))
            else:
                base.base_content.setdefault(element_id, found[1][found[2]].content)
                del found[1][found[2]]
                base.removed[element_id] = (kind.removesuffix("s"), patch.locate(["remove", kind, index]))
                if kind == "items":
                    _forget_item(base, element_id, layer, patch.locate(["remove", kind, index]))
    for kind in PATCH_KINDS:
        for index, entry in enumerate(patch.content.get(kind, [])):
            if f"{kind}/{index}" in skip or kind in skip:
                continue
            problem = _apply_entry(base, patch, kind, index, entry, layer)
            if isinstance(problem, list):
                problems.extend(problem)
            elif problem is not None:
                problems.append(problem)
    return problems


def _forget_item(base: Composition, item_id: str, layer: str, where: Location) -> None:
    """Take a removed item out of every rule's effects; a rule left with no effect goes too (see :mod:`.effect_edits`)."""
    for layered in base.modules:
        kept_rules = []
        for rule in layered.lists["rules"]:
            then = rule.content.get("then")
            if not isinstance(then, list) or not any(item_id in (effect_items(effect) or ()) for effect in then):
                kept_rules.append(rule)
                continue
            new_then, origins, notes = drop_item(then, _effect_origin(rule), item_id, layer)
            _set_effects(rule, new_then, origins, notes, layer)
            if new_then:
                kept_rules.append(rule)
            else:
                base.dropped.append(f"rule '{rule.id}': all its effects named item '{item_id}', removed by {layer}")
                base.removed.setdefault(rule.id, ("rule", where))
        layered.lists["rules"][:] = kept_rules


def _effect_origin(rule: Element) -> Callable[[int], tuple[Document, Path_]]:
    """Where effect ``n`` of a rule was written: its own origin, or inside the ``then`` list that holds it."""
    home, base_path = rule.origins.get(("then",), (rule.origins[()][0], (*rule.origins[()][1], "then")))
    return lambda number: rule.origins.get(("then", number), (home, (*base_path, number)))


def _set_effects(rule: Element, then: list[Any], origins: dict[Any, Any], notes: list[str], layer: str) -> None:
    rule.origins = {key: value for key, value in rule.origins.items() if key[:1] != ("then",) or key == ("then",)} | origins
    rule.content = {**rule.content, "then": then}
    rule.patched.extend(notes)
    if layer not in rule.layers:
        rule.layers.append(layer)


def _apply_entry(base: Composition, patch: Document, kind: str, index: int, entry: dict[str, Any], layer: str) -> Problem | list[Problem] | None:
    path: Path_ = (kind, index)
    container_key = PATCH_KINDS[kind][1]
    found = base.find(kind, entry["id"])
    if found is None:
        if container_key not in entry:
            return Problem(patch.locate([*path, "id"]), _unknown(base, kind, entry["id"]) + f"; to add it, give '{container_key}'")
        containers = base.sections if container_key == "section" else base.modules
        target = next((layered for layered in containers if layered.document.content.get("id") == entry[container_key]), None)
        if target is None:
            known = [layered.document.content.get("id") for layered in containers]
            return Problem(patch.locate([*path, container_key]), f"unknown {container_key} '{entry[container_key]}'{did_you_mean(entry[container_key], known)}")
        content = {key: value for key, value in entry.items() if key != container_key}
        target.lists[kind].append(Element(content, {(): (patch, path)}, [layer]))
        return None
    if container_key in entry:
        return Problem(patch.locate([*path, container_key]), f"'{entry['id']}' already exists; '{container_key}' is only for adding new {kind}")
    element = found[1][found[2]]
    base.base_content.setdefault(element.id, element.content)
    edits = {key: entry[key] for key in ("add_effects", "remove_effects") if key in entry}
    element.content = _patched(element, {key: value for key, value in entry.items() if key not in edits}, patch, path)
    element.layers.append(layer)
    if not edits:
        return None
    then = element.content.get("then") if isinstance(element.content.get("then"), list) else []
    new_then, origins, notes, problems = edit_effects(element.id, then, _effect_origin(element), patch, path,
                                                      edits.get("add_effects", []), edits.get("remove_effects", []))
    _set_effects(element, new_then, origins, notes, layer)
    return problems


def _patched(element: Element, entry: dict[str, Any], patch: Document, path: Path_) -> dict[str, Any]:
    content = dict(element.content)
    for key, value in entry.items():
        if key == "id":
            continue
        if key == "positions" and isinstance(value, dict) and isinstance(content.get("positions"), dict):
            content["positions"] = _patched_positions(element, content["positions"], value, patch, path)
        else:
            content[key] = value
            element.origins[(key,)] = (patch, (*path, key))
            element.patched.append(key)
    return content


def _patched_positions(element: Element, base: dict[str, Any], patch_value: dict[str, Any], patch: Document, path: Path_) -> dict[str, Any]:
    """Positions merged one by one; within the preferred and walk-away positions, field by field.

    Changing a summary keeps the base clause unless the patch gives one too;
    ``fallbacks`` is a list and is replaced whole.
    """
    merged = dict(base)
    for name, value in patch_value.items():
        here: Path_ = (*path, "positions", name)
        if isinstance(value, dict) and isinstance(base.get(name), dict):
            merged[name] = {**base[name], **value}
            element.origins.update({("positions", name, key): (patch, (*here, key)) for key in value})
            element.patched.extend(f"positions.{name}.{key}" for key in value)
        else:
            merged[name] = value
            element.origins[("positions", name)] = (patch, here)
            element.patched.append(f"positions.{name}")
    return merged


def _unknown(base: Composition, kind: str, element_id: str) -> str:
    containers = base.sections if PATCH_KINDS[kind][0] == "sections" else base.modules
    known = [element.id for layered in containers for element in layered.lists[kind]]
    return f"no {kind.removesuffix('s')} '{element_id}' in the playbook being extended{did_you_mean(element_id, known)}"


def merged_documents(composition: Composition) -> tuple[MergedDocument, list[MergedDocument], list[MergedDocument]]:
    """The manifest, sections and modules as documents the loader builds from."""
    return (
        composition.merged_manifest(),
        [layered.merged() for layered in composition.sections],
        [layered.merged() for layered in composition.modules],
    )


def redirects(composition: Composition) -> dict[tuple[str, Path_], tuple[Document, Path_]]:
    """For every field a later layer changed: its place in the base file -> its place in the patch.

    The semantic checks locate problems below an element's location (its
    base file); these redirects send them to the file that set the value.
    """
    found: dict[tuple[str, Path_], tuple[Document, Path_]] = {}
    containers = [*composition.sections, *composition.modules]
    elements = [element for layered in containers for kind in layered.lists.values() for element in kind]
    for element in [*elements, *composition.departments]:
        home, base = element.origins[()]
        for relative, origin in element.origins.items():
            if relative:
                found[(home.file, (*base, *relative))] = origin
    return found

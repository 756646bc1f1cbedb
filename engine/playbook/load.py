"""Loading a playbook folder: read every file, validate structure, build the model.

The pipeline is: read each file safely (:mod:`dealbook.yamlfile`), check it
against its JSON Schema (:mod:`dealbook.schema`), build frozen dataclasses
(:mod:`dealbook.model`), compile conditions (:mod:`dealbook.expressions`),
then run the semantic checks (:mod:`dealbook.checks`). Problems are collected
across all files and raised together as one
:class:`~dealbook.errors.ValidationErrors`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from ..infra.cache import load_cached_playbook, playbook_key, store_playbook
from ..errors import DealbookError, InputFileError, Location, Problem, ValidationErrors
from .expressions import Condition, ExpressionError, compile_condition
from .model import (
    Definition,
    Department,
    Effect,
    Glossary,
    Fact,
    Item,
    Module,
    Option,
    Playbook,
    Position,
    Positions,
    Question,
    Rule,
    Section,
    Term,
)
from ..infra.schema import check_document
from ..infra.yamlfile import Document, read_document

__all__ = ["load_playbook", "bundled_playbooks", "resolve_playbook_path", "Sources"]

PLAYBOOK_FILE = "playbook.yaml"


def bundled_playbooks() -> list[str]:
    """Names of the playbooks that ship with dealbook (``itam``)."""
    root = files("dealbook.playbooks")
    return sorted(entry.name for entry in root.iterdir() if entry.is_dir() and (entry / PLAYBOOK_FILE).is_file())


def resolve_playbook_path(playbook: str | Path | None) -> Path:
    """The ``playbook.yaml`` for a folder, a file, or a bundled playbook's name.

    ``None`` means the bundled ``itam`` playbook.
    """
    if playbook is None:
        playbook = "itam"
    path = Path(playbook)
    if path.is_dir():
        if not (path / PLAYBOOK_FILE).is_file():
            raise InputFileError(Location(str(path)), f"no {PLAYBOOK_FILE} in this folder; a playbook folder starts with one")
        return path / PLAYBOOK_FILE
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in str(playbook):
        return path
    if str(playbook) in bundled_playbooks():
        return Path(str(files("dealbook.playbooks") / str(playbook) / PLAYBOOK_FILE))
    known = ", ".join(bundled_playbooks())
    raise InputFileError(Location(str(playbook)), f"no such playbook folder or file (bundled playbooks: {known})")


class Sources:
    """The documents a playbook was read from, to locate problems precisely."""

    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}
        #: (file, YAML path) -> (document, YAML path): values an overlay changed live in the overlay's file
        self.redirects: dict[tuple[str, tuple[str | int, ...]], tuple[Document, tuple[str | int, ...]]] = {}

    def add(self, document: Document) -> Document:
        self.documents[document.file] = document
        return document

    def locate(self, location: Location, *subpath: str | int) -> Location:
        """The location of ``subpath`` below the element at ``location``."""
        document = self.documents.get(location.file)
        parts: list[str | int] = [int(part) if part.isdigit() else part for part in location.path.split("/") if part]
        parts.extend(subpath)
        for cut in range(len(parts), 0, -1) if self.redirects else ():
            target = self.redirects.get((location.file, tuple(parts[:cut])))
            if target is not None:
                return target[0].locate([*target[1], *parts[cut:]])
        if document is None:
            return Location(location.file, location.line, location.column, "/".join(map(str, parts)))
        return document.locate(parts)


class _Builder:
    """Builds model objects from schema-valid documents, collecting problems."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.problems: list[Problem] = []

    def condition(self, document: Document, path: list[str | int], source: str) -> Condition:
        try:
            return compile_condition(source)
        except ExpressionError as error:
            self.problems.append(Problem(document.locate(path), f"invalid condition {source!r}: {error}"))
            return compile_condition("false")

    def section(self, document: Document) -> Section:
        content = document.content
        questions = tuple(
            self.question(document, index, raw, content["id"]) for index, raw in enumerate(content["questions"])
        )
        facts = tuple(
            Fact(raw["id"], raw["description"], self.condition(document, ["facts", index, "expr"], raw["expr"]),
                 document.locate(["facts", index]), raw.get("reason", ""), raw.get("reason_if_not", ""))
            for index, raw in enumerate(content.get("facts", []))
        )
        return Section(content["id"], content["title"], content.get("description", ""), document.file, questions, facts)

    def question(self, document: Document, index: int, raw: dict[str, Any], section: str) -> Question:
        path: list[str | int] = ["questions", index]
        when = raw.get("when")
        return Question(
            id=raw["id"],
            text=raw["text"],
            help=raw["help"],
            type=raw["type"],
            section=section,
            location=document.locate(path),
            options=tuple(
                Option(option["value"], option["label"], option.get("help", ""), option.get("reason", "")) for option in raw.get("options", [])
            ),
            default=raw.get("default"),
            required=raw.get("required", False),
            minimum=raw.get("minimum"),
            maximum=raw.get("maximum"),
            when=None if when is None else self.condition(document, [*path, "when"], when),
            reason=raw.get("reason", ""),
            reason_if_not=raw.get("reason_if_not", ""),
        )

    def module(self, document: Document, number: int) -> Module:
        content = document.content
        module_id = content["id"]
        terms = tuple(self.term(document, index, raw, module_id) for index, raw in enumerate(content.get("terms", [])))
        items = tuple(self.item(document, index, raw, module_id) for index, raw in enumerate(content["items"]))
        rules = tuple(self.rule(document, index, raw, module_id) for index, raw in enumerate(content.get("rules", [])))
        return Module(
            module_id, content.get("number", number), content["title"], content["summary"], document.file, terms, items, rules
        )

    def term(self, document: Document, index: int, raw: dict[str, Any], module: str) -> Term:
        return Term(
            id=raw["id"],
            title=raw["title"],
            unit=raw["unit"],
            better=raw["better"],
            target=_number(raw["target"]),
            fallback=_number(raw["fallback"]),
            walk_away=_number(raw["walk_away"]),
            owner=raw["owner"],
            module=module,
            location=document.locate(["terms", index]),
            description=raw.get("description", ""),
            display=raw.get("display", ""),
        )

    def position(self, document: Document, path: list[str | int], raw: dict[str, Any]) -> Position:
        return Position(raw["summary"], document.locate(path), raw.get("clause"), raw.get("tradeable", False))

    def item(self, document: Document, index: int, raw: dict[str, Any], module: str) -> Item:
        path: list[str | int] = ["items", index]
        positions = raw["positions"]
        applies_when = raw.get("applies_when")
        return Item(
            id=raw["id"],
            title=raw["title"],
            objective=raw["objective"],
            module=module,
            owner=raw["owner"],
            priority=raw["priority"],
            positions=Positions(
                self.position(document, [*path, "positions", "preferred"], positions["preferred"]),
                tuple(
                    self.position(document, [*path, "positions", "fallbacks", number], fallback)
                    for number, fallback in enumerate(positions["fallbacks"])
                ),
                self.position(document, [*path, "positions", "walk_away"], positions["walk_away"]),
            ),
            rationale=raw["rationale"],
            covers=tuple(raw["covers"]),
            location=document.locate(path),
            applies_when=None if applies_when is None else self.condition(document, [*path, "applies_when"], applies_when),
            terms=tuple(raw.get("terms", [])),
            red_flags=tuple(raw.get("red_flags", [])),
            talking_points=tuple(raw.get("talking_points", [])),
            because=raw.get("because", ""),
        )

    def rule(self, document: Document, index: int, raw: dict[str, Any], module: str) -> Rule:
        path: list[str | int] = ["rules", index]
        effects = tuple(
            _effect(document.locate([*path, "then", number]), effect) for number, effect in enumerate(raw["then"])
        )
        return Rule(
            raw["id"], self.condition(document, [*path, "when"], raw["when"]), raw["because"], effects, module,
            document.locate(path),
        )


def _number(value: int | float) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _effect(location: Location, raw: dict[str, Any]) -> Effect:
    ((kind, argument),) = raw.items()
    if kind in ("include", "exclude"):
        return Effect(kind, location, items=tuple(argument))
    if kind in ("raise_priority", "lower_priority"):
        return Effect(kind, location, items=tuple(argument["items"]), level=argument["to"])
    if kind == "open_at":
        return Effect(kind, location, items=tuple(argument["items"]), tier=argument["tier"])
    if kind == "set_term":
        values = tuple((name, _number(value)) for name, value in argument.items() if name != "term")
        return Effect(kind, location, term=argument["term"], values=values)
    if kind == "flag":
        return Effect(kind, location, level=argument["severity"], message=argument["message"])
    return Effect(kind, location, approver=argument["approver"], message=argument["reason"])


def _read(path: Path, display: str, kind: str, sources: Sources, problems: list[Problem]) -> Document | None:
    try:
        document = read_document(path, display)
    except InputFileError as error:
        problems.append(error.problem)
        return None
    found = check_document(document, kind)
    problems.extend(found)
    sources.add(document)
    return None if found else document


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_playbook(playbook: str | Path | None = None, *, use_cache: bool = True) -> Playbook:
    """Load and validate a playbook: a folder, its ``playbook.yaml``, or a bundled name.

    Raises :class:`~dealbook.errors.ValidationErrors` with every problem found,
    each located by file, line, column and YAML path. A playbook that was
    validated before with exactly the same files comes from the cache
    (:mod:`dealbook.cache`).
    """
    manifest_path = resolve_playbook_path(playbook)
    key = _cache_key(manifest_path) if use_cache else None
    if key is not None:
        cached = load_cached_playbook(key)
        if isinstance(cached, Playbook):
            return cached
    built = _validate_and_build(manifest_path, key or "")
    if key is not None:
        store_playbook(key, built)
    return built


def _cache_key(manifest_path: Path) -> str | None:
    """The cache key of a playbook: every file's display name and bytes, or ``None``.

    An overlay's key covers its own files and, through ``extends``, every
    layer below it, so an edit anywhere in the stack is a new key.
    """
    try:
        return playbook_key([(_display(path), path.read_bytes()) for path in _layer_files(manifest_path, ())])
    except (DealbookError, OSError, KeyError, TypeError, ValueError):
        return None  # the full load reports whatever is wrong


def _layer_files(manifest_path: Path, seen: tuple[Path, ...]) -> list[Path]:
    resolved = manifest_path.resolve()
    if resolved in seen or len(seen) > 16:
        raise ValueError("cycle of playbooks extending each other")
    content = read_document(manifest_path, _display(manifest_path)).content
    root = manifest_path.parent
    names = [*content.get("questionnaire", []), *content.get("modules", []), *content.get("overrides", [])]
    if "definitions" in content:
        names.append(content["definitions"])
    files = [manifest_path, *(root / str(name) for name in names)]
    if "extends" in content:
        local = root / str(content["extends"])
        base = resolve_playbook_path(local if local.exists() else str(content["extends"]))
        files += _layer_files(base, (*seen, resolved))
    return files


def _validate_and_build(manifest_path: Path, key: str) -> Playbook:
    from .checks import run_checks, resolution_order  # noqa: PLC0415 - checks import the model built here

    root = manifest_path.parent
    sources = Sources()
    problems: list[Problem] = []
    manifest = _read(manifest_path, _display(manifest_path), "playbook", sources, problems)
    ValidationErrors.raise_if(problems)
    assert manifest is not None
    if "extends" in manifest.content:
        manifest, section_documents, module_documents, glossary_document = _overlay(manifest, root, sources, problems)
    else:
        section_documents = _read_all(root, manifest, "questionnaire", "questions", sources, problems)
        module_documents = _read_all(root, manifest, "modules", "module", sources, problems)
        glossary_document = read_glossary(root, manifest, sources, problems)
    ValidationErrors.raise_if(problems)
    content = manifest.content

    builder = _Builder(sources)
    sections = tuple(builder.section(document) for document in section_documents if document)
    modules = tuple(builder.module(document, number) for number, document in enumerate(module_documents, 1) if document)
    departments = tuple(
        Department(raw["id"], raw["name"], raw.get("description", "")) for raw in content["departments"]
    )
    order, order_problems = resolution_order(sections)
    built = Playbook(
        id=content["id"],
        title=content["title"],
        version=content["version"],
        description=content["description"],
        root=str(root),
        departments=departments,
        sections=sections,
        modules=modules,
        resolution_order=order,
        digest=key,
        glossary=None if glossary_document is None else _glossary(glossary_document),
    )
    ValidationErrors.raise_if([*builder.problems, *order_problems, *run_checks(built, sources)])
    return built


def read_glossary(root: Path, manifest: Document, sources: Sources, problems: list[Problem]) -> Document | None:
    """The defined-terms registry a manifest names under ``definitions``, if any."""
    name = manifest.content.get("definitions")
    if name is None:
        return None
    path = root / name
    if not path.exists():
        problems.append(Problem(manifest.locate(["definitions"]), f"file not found: {name}"))
        return None
    return _read(path, _display(path), "definitions", sources, problems)


def _glossary(document: Document) -> Glossary:
    content = document.content
    definitions = tuple(
        Definition(raw["term"], raw["definition"], tuple(raw["items"]), document.locate(["definitions", index]))
        for index, raw in enumerate(content["definitions"])
    )
    return Glossary(document.file, definitions, tuple(content.get("names", [])))


def _overlay(manifest: Document, root: Path, sources: Sources, problems: list[Problem]) -> tuple[Any, list[Any], list[Any], Any]:
    """Merge an overlay (``extends:``) with its base; see :mod:`dealbook.overlay`."""
    from .overlay import compose, merged_documents, redirects  # noqa: PLC0415 - only overlays need it

    composition = compose(manifest, root, sources, problems)
    ValidationErrors.raise_if(problems)
    assert composition is not None
    merged, sections, modules = merged_documents(composition)
    problems.extend(problem for document in sections for problem in check_document(document, "questions"))  # type: ignore[arg-type]
    problems.extend(problem for document in modules for problem in check_document(document, "module"))  # type: ignore[arg-type]
    sources.redirects.update(redirects(composition))
    return merged, sections, modules, composition.glossary


def _read_all(root: Path, manifest: Document, key: str, kind: str, sources: Sources, problems: list[Problem]) -> list[Document | None]:
    """Read the files a manifest lists under ``key``; a missing one is reported where it is listed."""
    documents: list[Document | None] = []
    for index, name in enumerate(manifest.content[key]):
        path = root / name
        if not path.exists():
            problems.append(Problem(manifest.locate([key, index]), f"file not found: {name}"))
            documents.append(None)
        else:
            documents.append(_read(path, _display(path), kind, sources, problems))
    return documents

"""Loading a playbook: read every file, validate structure, build the model, check it.

The pipeline is: find and read each file safely (:mod:`.sources`), check it
against its JSON Schema (:mod:`dealbook.infra.schema`), merge overlays
(:mod:`.overlay`), build frozen dataclasses (:mod:`.build`), then run the
semantic checks (:mod:`.checks`). Problems are collected across all files
and raised together as one :class:`~dealbook.errors.ValidationErrors`. A
playbook validated before with exactly the same files comes from the cache
(:mod:`dealbook.infra.cache`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..errors import DealbookError, Problem, ValidationErrors
from ..infra.cache import cache_folder, content_key, load_entry, store_entry
from ..infra.schema import check_document
from ..infra.yamlfile import Document, read_document
from .build import Builder, build_glossary, resolution_order
from .checks import run_checks
from .clauses import adopt_analysis, adopt_compiled, compiled_code, template_analysis
from .model import Department, Playbook, Route, Routing
from .overlay import compose, merged_documents, redirects
from .pattern_files import build_patterns
from .patterns import ItemPatterns
from .sources import Sources, display_name, read_checked, read_glossary, read_listed, resolve_playbook_path
from .stored import STORED_FORM, StoredFormError, from_plain, to_stored
from .wording_checks import templates_of

__all__ = ["load_playbook", "content_digest"]


def load_playbook(playbook: str | Path | None = None, *, use_cache: bool = True) -> Playbook:
    """Load and validate a playbook: a folder, its ``playbook.yaml``, or a bundled name.

    Raises :class:`~dealbook.errors.ValidationErrors` with every problem found,
    each located by file, line, column and YAML path. A playbook that was
    validated before with exactly the same files comes from the cache
    (:mod:`dealbook.infra.cache`), with its clause templates compiled.
    """
    manifest_path = resolve_playbook_path(playbook)
    layers = _cacheable_files(manifest_path) if use_cache and cache_folder() is not None else None
    key = ""
    if layers is not None:
        paths, contents = layers
        names = [display_name(path) for path in paths]
        key = _key(contents)
        entry = load_entry(key)
        if entry is not None:
            reads = entry[0].pop(_READS_KEY, None) if isinstance(entry[0], dict) else None
            try:
                cached = from_plain(entry[0], names, str(manifest_path.parent), key, generated=entry[1])
            except StoredFormError:
                cached = None
            if cached is not None:
                adopt_compiled(entry[1])
                adopt_analysis(reads)
                return cached
    built = _validate_and_build(manifest_path, key)
    if layers is not None:
        try:
            plain, generated = to_stored(built, names)
        except StoredFormError:
            return built
        sources = [source for source, _ in templates_of(built)]
        store_entry(key, {**plain, _READS_KEY: template_analysis(sources)}, {**compiled_code(sources), **generated})
    return built


#: Where a cache entry keeps what each template reads, beside the stored playbook.
_READS_KEY = "_template_reads_tests_and_comparisons"


def cache_key(manifest_path: Path) -> str | None:
    """The cache key of a playbook: the bytes of every file it is read from, or ``None``.

    An overlay's key covers its own files and, through ``extends``, every
    layer below it, so an edit anywhere in the stack is a new key. File names
    and the working directory are not part of it.
    """
    layers = _cacheable_files(manifest_path)
    return None if layers is None else _key(layers[1])


def _key(contents: list[bytes]) -> str:
    # the stored form's shape is part of the key: a model change never meets an older entry, nor does
    # an entry without what its templates read
    return content_key(f"playbook {STORED_FORM} {_READS_KEY}", contents)


def _cacheable_files(manifest_path: Path) -> tuple[list[Path], list[bytes]] | None:
    """Every file of the playbook, in a fixed order, with its bytes; ``None`` if any is unreadable or odd."""
    try:
        paths = _layer_files(manifest_path, ())
        return paths, [path.read_bytes() for path in paths]
    except (DealbookError, OSError, KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None  # the full load reports whatever is wrong


def content_digest(playbook: str | Path | None) -> str:
    """SHA-256 of every file a playbook is built from, each named relative to its layer's folder.

    Unlike the cache key it does not depend on the working directory, so a
    deal's negotiation record can pin the playbook it was negotiated under.
    """
    manifest_path = resolve_playbook_path(playbook)
    digest = hashlib.sha256()
    for path in _layer_files(manifest_path, ()):
        name = path.name
        for parent in path.parents:
            if (parent / "playbook.yaml").is_file():
                name = path.relative_to(parent).as_posix()
                break
        digest.update(f"{len(name)}:{name}".encode())
        content = path.read_bytes()
        digest.update(f"{len(content)}:".encode() + content)
    return digest.hexdigest()


def _layer_files(manifest_path: Path, seen: tuple[Path, ...]) -> list[Path]:
    resolved = manifest_path.resolve()
    if resolved in seen or len(seen) > 16:
        raise ValueError("cycle of playbooks extending each other")
    content = read_document(manifest_path, display_name(manifest_path)).content
    if not isinstance(content, dict):
        raise ValueError("not a playbook manifest")
    root = manifest_path.parent
    listed = [content.get(key, []) for key in ("questionnaire", "modules", "overrides", "patterns", "routing")]
    if not all(isinstance(names, list) for names in listed):
        raise ValueError("not a playbook manifest")
    if "definitions" in content:
        listed.append([content["definitions"]])
    files = [manifest_path, *(root / str(name) for names in listed for name in names)]
    if "extends" in content:
        local = root / str(content["extends"])
        base = resolve_playbook_path(local if local.exists() else str(content["extends"]))
        files += _layer_files(base, (*seen, resolved))
    return files


def _validate_and_build(manifest_path: Path, key: str) -> Playbook:
    root = manifest_path.parent
    sources = Sources()
    problems: list[Problem] = []
    manifest = read_checked(manifest_path, display_name(manifest_path), "playbook", sources, problems)
    ValidationErrors.raise_if(problems)
    assert manifest is not None
    # an overlay that names no registry uses the one of a layer below it
    inherited = "extends" in manifest.content and "definitions" not in manifest.content
    if "extends" in manifest.content:
        manifest, section_documents, module_documents, glossary_document = _overlay(manifest, root, sources, problems)
    else:
        section_documents = read_listed(root, manifest, "questionnaire", "questions", sources, problems)
        module_documents = read_listed(root, manifest, "modules", "module", sources, problems)
        glossary_document = read_glossary(root, manifest, sources, problems)
    ValidationErrors.raise_if(problems)
    content = manifest.content

    builder = Builder(sources)
    sections = tuple(builder.section(document) for document in section_documents if document)
    modules = tuple(builder.module(document, number) for number, document in enumerate(module_documents, 1) if document)
    departments = tuple(
        Department(raw["id"], raw["name"], raw.get("description", "")) for raw in content["departments"]
    )
    order, order_problems = resolution_order(sections)
    patterns = _patterns(manifest_path, sources, problems, ())
    routing = _routing(_layer_documents(manifest_path, "routing", sources, problems, ()))
    ValidationErrors.raise_if(problems)
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
        patterns=patterns,
        routing=routing,
        outline=tuple(content.get("outline", [])),
        glossary=None if glossary_document is None else build_glossary(glossary_document, inherited),
    )
    ValidationErrors.raise_if([*builder.problems, *order_problems, *run_checks(built, sources)])
    return built


def _patterns(manifest_path: Path, sources: Sources, problems: list[Problem], seen: tuple[Path, ...]) -> tuple[ItemPatterns, ...]:
    """Every layer's pattern files, base first, compiled (see :mod:`.pattern_files`)."""


    resolved = manifest_path.resolve()
    if resolved in seen or len(seen) > 16:
        return ()  # the overlay loader reports the cycle
    document = sources.documents.get(display_name(manifest_path)) or read_document(manifest_path, display_name(manifest_path))
    content, root = document.content, manifest_path.parent
    inherited: tuple[ItemPatterns, ...] = ()
    if "extends" in content:
        local = root / str(content["extends"])
        base = resolve_playbook_path(local if local.exists() else str(content["extends"]))
        inherited = _patterns(base, sources, problems, (*seen, resolved))
    documents = [document for document in read_listed(root, document, "patterns", "patterns", sources, problems) if document] if "patterns" in content else []
    return (*inherited, *build_patterns(documents, problems))


def _layer_documents(manifest_path: Path, key: str, sources: Sources, problems: list[Problem], seen: tuple[Path, ...]) -> list[Document]:
    """The files every layer lists under ``key``, base first, each checked against its schema."""
    resolved = manifest_path.resolve()
    if resolved in seen or len(seen) > 16:
        return []  # the overlay loader reports the cycle
    document = sources.documents.get(display_name(manifest_path)) or read_document(manifest_path, display_name(manifest_path))
    content, root = document.content, manifest_path.parent
    inherited: list[Document] = []
    if "extends" in content:
        local = root / str(content["extends"])
        base = resolve_playbook_path(local if local.exists() else str(content["extends"]))
        inherited = _layer_documents(base, key, sources, problems, (*seen, resolved))
    own = [listed for listed in read_listed(root, document, key, key, sources, problems) if listed] if key in content else []
    return [*inherited, *own]


def _routes(document: Document, raw: dict[str, Any], path: list[str | int]) -> dict[str, Route]:
    return {tier: Route(tuple(entry["approvers"]), document.locate([*path, tier]), entry.get("reason", False)) for tier, entry in raw.items()}


def _routing(documents: list[Document]) -> Routing | None:
    """Routing files merged in order: a later file's tier, or item tier, replaces an earlier one's."""
    if not documents:
        return None
    tiers: dict[str, Route] = {}
    items: dict[str, dict[str, Route]] = {}
    executive = ""
    for document in documents:
        content = document.content
        executive = content["executive"]
        tiers.update(_routes(document, content["tiers"], ["tiers"]))
        for item, raw in (content.get("items") or {}).items():
            items.setdefault(item, {}).update(_routes(document, raw, ["items", item]))
    return Routing(executive, tuple(tiers.items()), tuple((item, tuple(routes.items())) for item, routes in items.items()),
                   documents[-1].locate(["executive"]))


def _overlay(manifest: Document, root: Path, sources: Sources, problems: list[Problem]) -> tuple[Any, list[Any], list[Any], Any]:
    """Merge an overlay (``extends:``) with its base; see :mod:`dealbook.overlay`."""
    composition = compose(manifest, root, sources, problems)
    ValidationErrors.raise_if(problems)
    assert composition is not None
    merged, sections, modules = merged_documents(composition)
    problems.extend(problem for document in sections for problem in check_document(document, "questions"))  # type: ignore[arg-type]
    problems.extend(problem for document in modules for problem in check_document(document, "module"))  # type: ignore[arg-type]
    sources.redirects.update(redirects(composition))
    sources.removed.update(composition.removed)
    return merged, sections, modules, composition.glossary

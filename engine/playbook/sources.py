"""Where a playbook's files are and how they are read: paths, bundled names, the locator.

:func:`resolve_playbook_path` turns what a user typed (a folder, a file, a
bundled name) into a ``playbook.yaml``; :func:`read_checked` reads one file
safely and checks it against its JSON Schema; :class:`Sources` remembers every
document read, so that any later problem can be located by file, line,
column and YAML path — also through an overlay, whose changed values live in
the overlay's own files.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from ..errors import InputFileError, Location, Problem, did_you_mean
from ..infra.schema import check_document
from ..infra.yamlfile import Document, read_document

__all__ = ["PLAYBOOK_FILE", "bundled_playbooks", "resolve_playbook_path", "Sources", "display_name", "read_checked", "read_listed", "read_glossary"]

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
        #: id -> (kind, where an overlay removed it)
        self.removed: dict[str, tuple[str, Location]] = {}

    def removed_but_used(self, name: str, here: Location) -> Problem | None:
        """For an id an overlay removed, the problem at the removal naming the base element that still uses it."""
        removal = self.removed.get(name)
        if removal is None:
            return None
        kind, where = removal
        user, _, detail = (here.element or here.path).partition(", ")
        used = f"base {user}" + (f" ({detail})" if detail else "") + f" in {here.file}:{here.line}"
        return Problem(where, f"{kind} '{name}' is removed by your overlay at {where.file}:{where.line} but still used by {used}")

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


def read_checked(path: Path, display: str, kind: str, sources: Sources, problems: list[Problem]) -> Document | None:
    """Read one file and check it against the schema of ``kind``; problems are appended, ``None`` if any."""
    try:
        document = read_document(path, display)
    except InputFileError as error:
        problems.append(error.problem)
        return None
    found = check_document(document, kind)
    problems.extend(found)
    sources.add(document)
    return None if found else document


def display_name(path: Path) -> str:
    """A path as problems show it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):  # not below it, or the working directory is gone
        return os.path.normpath(path)


def read_listed(root: Path, manifest: Document, key: str, kind: str, sources: Sources, problems: list[Problem]) -> list[Document | None]:
    """Read the files a manifest lists under ``key``; a missing one is reported where it is listed."""
    documents: list[Document | None] = []
    for index, name in enumerate(manifest.content[key]):
        path = root / name
        if not path.exists():
            problems.append(Problem(manifest.locate([key, index]), f"file not found: {name}{_nearby_files(root, str(name))}"))
            documents.append(None)
        else:
            documents.append(read_checked(path, display_name(path), kind, sources, problems))
    return documents


def read_glossary(root: Path, manifest: Document, sources: Sources, problems: list[Problem]) -> Document | None:
    """The defined-terms registry a manifest names under ``definitions``, if any."""
    name = manifest.content.get("definitions")
    if name is None:
        return None
    path = root / name
    if not path.exists():
        problems.append(Problem(manifest.locate(["definitions"]), f"file not found: {name}"))
        return None
    return read_checked(path, display_name(path), "definitions", sources, problems)


def _nearby_files(root: Path, name: str) -> str:
    """A did-you-mean on the YAML files in the folder a missing file was looked for in."""
    folder = (root / name).parent
    if not folder.is_dir():
        return f" (no folder {Path(name).parent} next to {PLAYBOOK_FILE})"
    prefix = Path(name).parent
    candidates = [str(prefix / entry.name) if str(prefix) != "." else entry.name for entry in folder.iterdir() if entry.suffix in (".yaml", ".yml")]
    return did_you_mean(name, candidates)

"""Reading YAML and JSON input safely, remembering where every value came from.

PyYAML's ``safe_load`` is not enough for files people edit by hand: it
expands aliases (a "billion laughs" file takes minutes and gigabytes), keeps
the last of two duplicate keys without a word, reads ``no`` as ``False`` and
``10:30`` as 630, and forgets line numbers. This module composes the YAML
node graph itself, refuses anchors and aliases at the first one, resolves
scalars the YAML 1.2 way (only ``true``/``false`` are booleans, dates stay
strings), and records the line and column of every key and value so that
later stages can point at them.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml
    CParser = None
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import InputFileError, Location, shorten
from .elements import element_name
from .yamlhelp import explain_yaml_error

__all__ = ["Document", "read_document", "read_stream", "STDIN", "MAX_FILE_BYTES", "MAX_DEPTH", "yaml_path"]

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
#: How standard input is named in messages (``dealbook brief -``).
STDIN = "<stdin>"
#: Longest integer read (Python's own limit for converting text to int).
MAX_INTEGER_DIGITS = 4300

Position = tuple[int, int]
PathKey = tuple[str | int, ...]


def yaml_path(path: Sequence[str | int]) -> str:
    """``('items', 0, 'title')`` → ``items/0/title``."""
    return "/".join(str(part) for part in path)


@dataclass(frozen=True, slots=True)
class Document:
    """The content of one input file plus the position of every value in it."""

    file: str
    content: Any
    values: dict[PathKey, Position] = field(default_factory=dict, repr=False)
    keys: dict[PathKey, Position] = field(default_factory=dict, repr=False)

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> Location:
        """The location of the value (or, with ``key``, the key) at ``path``.

        Falls back to the nearest enclosing value whose position is known.
        """
        path = tuple(path)
        if key and path in self.keys:
            line, column = self.keys[path]
            return Location(self.file, line, column, yaml_path(path), element_name(self.content, path))
        probe = path
        while probe not in self.values and probe:
            probe = probe[:-1]
        line, column = self.values.get(probe, (0, 0))
        return Location(self.file, line, column, yaml_path(path), element_name(self.content, path))


# --- scalar resolution: the YAML 1.2 core schema ---------------------------

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


_ALLOWED_TAGS = {None, "!"} | {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
}


class _Loader(yaml.SafeLoader):
    """A composer that refuses anchors, aliases, explicit tags and deep nesting."""

    yaml_implicit_resolvers: dict = {}
    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        event = self.peek_event()
        opens = isinstance(event, CollectionStartEvent)
        refuse(event, self._depth + opens)
        self._depth += opens
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= opens


def refuse(event: Any, depth: int) -> None:
    """Refuse what dealbook never reads from YAML: anchors, aliases, explicit tags, nesting beyond ``MAX_DEPTH``.

    The one rule for both loaders (the pure-Python composer and the libyaml
    event scan), so they cannot disagree on what a file may contain.
    """
    if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
        raise _Refused(event.start_mark, "YAML anchors and aliases (&name, *name) are not allowed; write the value out")
    tag = getattr(event, "tag", None)
    if tag not in _ALLOWED_TAGS:
        raise _Refused(event.start_mark, f"YAML tag {tag!r} is not allowed")
    if depth > MAX_DEPTH:
        raise _Refused(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")


for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", _BOOL, list("tTfF")),
    ("tag:yaml.org,2002:int", _INT, list("-+0123456789")),
    ("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789.")),
):
    _Loader.add_implicit_resolver(_tag, _pattern, _first)


class _Refused(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        self.mark = mark
        self.message = message


def _scalar(node: ScalarNode) -> Any:
    text = node.value
    tag = node.tag
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        if len(text) > MAX_INTEGER_DIGITS:
            raise _Refused(node.start_mark, f"an integer with more than {MAX_INTEGER_DIGITS:,} digits; write it as text if it is not a number")
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)
    if tag == "tag:yaml.org,2002:float":
        lowered = text.lower()
        if lowered.endswith("nan"):
            return float("nan")
        if lowered.endswith("inf"):
            return float("-inf") if text.startswith("-") else float("inf")
        return float(text)
    return text


class _Builder:
    """Turns a node graph into plain Python values, recording positions."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}

    def build(self, node: Node, path: PathKey) -> Any:
        mark = node.start_mark
        self.values[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, ScalarNode):
            try:
                return _scalar(node)
            except _Refused as refused:
                raise InputFileError(Location(self.file, mark.line + 1, mark.column + 1, yaml_path(path)), refused.message) from None
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, index)) for index, child in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_mark = key_node.start_mark
            here = Location(self.file, key_mark.line + 1, key_mark.column + 1, yaml_path(path))
            if not isinstance(key_node, ScalarNode):
                if node.flow_style and path and isinstance(key_node, MappingNode):  # `summary: {{ x }}` reads as a mapping
                    raise InputFileError(Location(self.file, mark.line + 1, mark.column + 1, yaml_path(path)),
                                         f"invalid YAML: a value that starts with '{{{{' must be in quotes: `{path[-1]}: '{{{{ … }}}}'`")
                raise InputFileError(here, "a mapping key must be a plain value, not a list or mapping")
            key = key_node.value
            if key in mapping:
                first = self.keys[(*path, key)]
                raise InputFileError(here, f"duplicate key '{key}' (first defined on line {first[0]})")
            self.keys[(*path, key)] = (key_mark.line + 1, key_mark.column + 1)
            mapping[key] = self.build(value_node, (*path, key))
        return mapping


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise InputFileError(Location(file, line, column), "file is not valid UTF-8 text; save it as UTF-8") from None


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


class _JsonBuilder:
    """Reads JSON with json's own scanner, recording positions and refusing duplicate keys and deep nesting."""

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file = text, file
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}
        self.scalar = json.scanner.py_make_scanner(json.JSONDecoder(parse_int=_json_int, parse_constant=_json_constant))

    def where(self, index: int) -> Location:
        line = self.text.count("\n", 0, index) + 1
        return Location(self.file, line, index - (self.text.rfind("\n", 0, index) + 1) + 1)

    def fail(self, index: int, message: str) -> InputFileError:
        return InputFileError(self.where(index), message)

    def skip(self, index: int) -> int:
        return _JSON_SPACE.match(self.text, index).end()  # type: ignore[union-attr]

    def value(self, index: int, path: PathKey) -> tuple[Any, int]:
        index = self.skip(index)
        here = self.where(index)
        self.values[path] = (here.line, here.column)
        if len(path) > MAX_DEPTH:
            raise self.fail(index, f"nested deeper than {MAX_DEPTH} levels")
        char = self.text[index:index + 1]
        if char == "{":
            return self.mapping(index + 1, path)
        if char == "[":
            return self.sequence(index + 1, path)
        try:
            return self.scalar(self.text, index)
        except StopIteration:
            raise self.fail(index, "invalid JSON: expecting a value") from None
        except ValueError as error:
            raise self.fail(index, f"invalid JSON: {shorten(error)}") from None

    def mapping(self, index: int, path: PathKey) -> tuple[dict[str, Any], int]:
        mapping: dict[str, Any] = {}
        index = self.skip(index)
        if self.text.startswith("}", index):
            return mapping, index + 1
        while True:
            if not self.text.startswith('"', index):
                raise self.fail(index, "invalid JSON: expecting a property name in double quotes")
            start = self.where(index)
            try:
                key, index = json.decoder.scanstring(self.text, index + 1)
            except json.JSONDecodeError as error:
                raise self.fail(error.pos, f"invalid JSON: {error.msg}") from None
            if key in mapping:
                first = self.keys[(*path, key)]
                raise InputFileError(Location(self.file, start.line, start.column, yaml_path(path)),
                                     f"duplicate key {shorten(key)!r} (first defined on line {first[0]})")
            self.keys[(*path, key)] = (start.line, start.column)
            index = self.skip(index)
            if not self.text.startswith(":", index):
                raise self.fail(index, "invalid JSON: expecting ':' after the key")
            mapping[key], index = self.value(index + 1, (*path, key))
            index = self.skip(index)
            if self.text.startswith("}", index):
                return mapping, index + 1
            if not self.text.startswith(",", index):
                raise self.fail(index, "invalid JSON: expecting ',' or '}'")
            index = self.skip(index + 1)

    def sequence(self, index: int, path: PathKey) -> tuple[list[Any], int]:
        sequence: list[Any] = []
        index = self.skip(index)
        if self.text.startswith("]", index):
            return sequence, index + 1
        while True:
            value, index = self.value(index, (*path, len(sequence)))
            sequence.append(value)
            index = self.skip(index)
            if self.text.startswith("]", index):
                return sequence, index + 1
            if not self.text.startswith(",", index):
                raise self.fail(index, "invalid JSON: expecting ',' or ']'")
            index += 1

    def document(self) -> Document:
        content, index = self.value(0, ())
        index = self.skip(index)
        if index < len(self.text):
            raise self.fail(index, "invalid JSON: extra data after the value")
        return Document(self.file, content, self.values, self.keys)


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"an integer with more than {MAX_INTEGER_DIGITS:,} digits")
    return int(text)


def _json_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


if CParser is not None:

    class _FastLoader(CParser, yaml.resolver.BaseResolver):  # type: ignore[misc]
        """libyaml's C parser and composer, with our YAML 1.2 scalar resolvers."""

        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.resolver.BaseResolver.__init__(self)


def _scan(text: str) -> None:
    """Refuse anchors, aliases, tags and deep nesting before composing (C events)."""
    parser = CParser(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            depth += isinstance(event, CollectionStartEvent)
            refuse(event, depth)
            depth -= isinstance(event, CollectionEndEvent)
    finally:
        parser.dispose()


def _compose_node(text: str) -> Node | None:
    if CParser is None:
        loader = _Loader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    _scan(text)
    fast = _FastLoader(text)
    try:
        return fast.get_single_node()
    finally:
        fast.dispose()


def _yaml_problem(text: str, mark: Any, message: str) -> str:
    """A clearer message for the commonest mistake: a tab used for indentation."""
    if mark is not None:
        line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
        if "\t" in line[: max(mark.column, 0) + 1] or "'\\t'" in message:
            return "a tab character; use spaces, not tabs, to indent YAML"
    return message


def _compose(text: str, file: str) -> Node | None:
    try:
        return _compose_node(text)
    except _Refused as refused:
        mark = refused.mark
        raise InputFileError(Location(file, mark.line + 1, mark.column + 1), refused.message) from None
    except yaml.MarkedYAMLError as error:
        explained = explain_yaml_error(text, error)
        if explained is not None and _yaml_problem(text, error.problem_mark, error.problem or "") == (error.problem or ""):
            line, column, plain = explained
            raise InputFileError(Location(file, line, column), f"invalid YAML: {plain}") from None
        mark = error.problem_mark or error.context_mark
        message = " ".join(part for part in (error.problem, error.context) if part) or "invalid YAML"
        message = _yaml_problem(text, mark, message)
        location = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        raise InputFileError(location, f"invalid YAML: {message}") from None
    except yaml.YAMLError as error:
        raise InputFileError(Location(file), f"invalid YAML: {error}") from None
    except RecursionError:
        raise InputFileError(Location(file, 1, 1), f"nested deeper than {MAX_DEPTH} levels") from None


def read_document(path: Path, display: str | None = None, *, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read one YAML (or JSON) file into a :class:`Document`.

    Raises :class:`InputFileError` — never a bare ``OSError`` or YAML
    exception — for a missing file, a directory, a file over ``max_bytes``,
    an empty file, text that is not UTF-8, malformed YAML or JSON, anchors,
    aliases, custom tags, duplicate keys and absurd nesting.
    """
    file = display or str(path)
    here = Location(file)
    if str(path) == "-":
        return read_stream(sys.stdin.buffer, STDIN, max_bytes=max_bytes)
    if path.is_dir():
        raise InputFileError(here, "is a directory, expected a file")
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputFileError(here, "file not found") from None
    except OSError as error:
        raise InputFileError(here, f"cannot read file: {error.strerror}") from None
    return _document(raw, file, json_text=path.suffix.lower() == ".json", max_bytes=max_bytes)


def read_stream(stream: BinaryIO, display: str, *, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read a YAML or JSON document from an open binary stream (standard input for ``-``).

    JSON is recognised by its opening ``{``.
    """
    try:
        raw = stream.read(max_bytes + 1)
    except OSError as error:
        raise InputFileError(Location(display), f"cannot read: {error.strerror}") from None
    return _document(raw, display, json_text=raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"), max_bytes=max_bytes)


def _document(raw: bytes, file: str, *, json_text: bool, max_bytes: int) -> Document:
    here = Location(file)
    if len(raw) > max_bytes:
        raise InputFileError(here, f"file is larger than {max_bytes // 1024} KiB; refusing to read it")
    text = _decode(raw, file)
    if not text.strip():
        raise InputFileError(here, "file is empty")
    if json_text:
        return _JsonBuilder(text, file).document()
    node = _compose(text, file)
    if node is None:
        raise InputFileError(here, "file is empty (only comments)")
    builder = _Builder(file)
    content = builder.build(node, ())
    return Document(file, content, builder.values, builder.keys)

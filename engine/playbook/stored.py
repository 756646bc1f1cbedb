"""A validated playbook as plain data (JSON), and back, for the cache.

The stored form holds only JSON values: strings, numbers, booleans, null and
lists. Reading it back can only call the constructors of the model's own
frozen dataclasses, chosen from a fixed table by name, and
:func:`~dealbook.playbook.patterns.compile_phrase` on each pattern's source.

So a tampered plain part, even one stored with the key, can at worst be a
wrong playbook; it can never run code. A condition is its source text here;
the Python the allow-listed compiler generated from it is kept apart
(:func:`to_stored`), in the entry's code part beside the templates'
compiled code, trusted only because the entry's HMAC verified
(:func:`dealbook.infra.cache.load_entry`). A condition whose Python is not
there is compiled again from its source. Compiling every condition again
was half the time of a warm load.

File names are stored as indexes into the list of the playbook's files, so
the same entry serves a playbook opened from any working directory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from ..errors import Location
from .expressions import Comparison, Condition, compile_condition, restore_condition
from .model import (
    Definition,
    Department,
    Effect,
    Fact,
    Glossary,
    Item,
    Module,
    Option,
    Playbook,
    Position,
    Positions,
    Question,
    Route,
    Routing,
    Rule,
    Section,
    Term,
)
from .patterns import Example, FlagPattern, ItemPatterns, Matcher, Near, Phrase, ValuePattern, compile_phrase

__all__ = ["to_plain", "to_stored", "from_plain", "StoredFormError", "STORED_FORM"]

_CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    Department, Option, Question, Section, Fact, Term, Position, Positions, Item, Effect, Rule, Module, Definition, Glossary, Route, Routing,
    Near, Matcher, Example, FlagPattern, ValuePattern, ItemPatterns, Comparison,
)}
_FIELDS: dict[type, tuple[str, ...]] = {cls: tuple(field.name for field in fields(cls)) for cls in (*_CLASSES.values(), Playbook)}
_FILE_FIELDS = {"file"}

#: The shape of the stored form: every stored class with its fields. It is part of the cache key, so a
#: change to the model makes earlier entries unreachable instead of half-readable.
STORED_FORM = hashlib.sha256(repr(sorted(
    (cls.__name__, names) for cls, names in {**_FIELDS, Location: tuple(field.name for field in fields(Location))}.items()
)).encode()).hexdigest()[:16]


class StoredFormError(ValueError):
    """A stored playbook that does not have the expected shape (it is then rebuilt from the files)."""


#: Where a condition's generated Python is kept among the entry's code (no template source starts so).
_CONDITION = "\x00condition\x00"


class _Encoder:
    def __init__(self, files: list[str]) -> None:
        self.files = {name: index for index, name in reversed(list(enumerate(files)))}
        self.generated: dict[str, str] = {}

    def file(self, name: str) -> Any:
        return self.files.get(name, name)

    def value(self, value: Any) -> Any:
        kind = type(value)
        if value is None or kind in (str, int, float, bool):
            return value
        if kind is tuple:
            return ["t", *map(self.value, value)]
        if kind is list:
            return ["l", *map(self.value, value)]
        if kind is dict:
            return ["d", *([key, self.value(item)] for key, item in value.items())]
        if kind is Location:
            return ["L", self.file(value.file), value.line, value.column, value.path, value.element]
        if kind is Condition:
            self.generated[_CONDITION + value.source] = value.python
            return ["C", value.source, self.value(value.names), self.value(value.comparisons)]
        if kind is Phrase:
            return ["P", value.source]
        if kind in _FIELDS:
            return [f"@{kind.__name__}", *(
                self.file(getattr(value, name)) if name in _FILE_FIELDS else self.value(getattr(value, name))
                for name in _FIELDS[kind]
            )]
        raise StoredFormError(f"cannot store a {kind.__name__}")


def to_plain(playbook: Playbook, files: list[str]) -> dict[str, Any]:
    """``playbook`` as JSON-ready data; ``files`` are the display names of its files, in a fixed order."""
    return to_stored(playbook, files)[0]


def to_stored(playbook: Playbook, files: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """:func:`to_plain`, and beside it the Python generated for each condition, for the entry's code part."""
    encoder = _Encoder(files)
    plain = {name: encoder.value(getattr(playbook, name))
             for name in _FIELDS[Playbook] if name not in ("root", "resolution_order", "digest")}
    plain["resolution_order"] = [
        ["question" if type(step) is Question else "fact", step.id] for step in playbook.resolution_order
    ]
    return plain, encoder.generated


class _Decoder:
    def __init__(self, files: list[str], generated: Mapping[str, Any]) -> None:
        self.files, self.generated = files, generated
        self.conditions: dict[str, Condition] = {}

    def file(self, value: Any) -> str:
        if type(value) is int:
            return self.files[value]
        if type(value) is str:
            return value
        raise StoredFormError("bad file reference")

    def value(self, value: Any) -> Any:
        if type(value) is not list:
            if value is None or type(value) in (str, int, float, bool):
                return value
            raise StoredFormError(f"unexpected {type(value).__name__}")
        tag, *rest = value
        if tag == "t":
            return tuple(map(self.value, rest))
        if tag == "l":
            return list(map(self.value, rest))
        if tag == "d":
            return {str(key): self.value(item) for key, item in rest}
        if tag == "L":
            file, line, column, path, element = rest
            return Location(self.file(file), int(line), int(column), str(path), str(element))
        if tag == "C":
            source, names, comparisons = rest
            return self.condition(str(source), self.value(names), self.value(comparisons))
        if tag == "P":
            (source,) = rest
            return compile_phrase(str(source), check=False)  # rebuilt from its source, compiled when first used
        cls = _CLASSES.get(tag[1:]) if type(tag) is str and tag.startswith("@") else None
        names = _FIELDS.get(cls) if cls is not None else None
        if names is None or len(names) != len(rest):
            raise StoredFormError(f"unknown or malformed entry {str(tag)[:40]!r}")
        return cls(*(self.file(item) if name in _FILE_FIELDS else self.value(item) for name, item in zip(names, rest, strict=True)))

    def condition(self, source: str, names: Any, comparisons: Any) -> Condition:
        condition = self.conditions.get(source)
        if condition is None:
            python = self.generated.get(_CONDITION + source)
            well_formed = (type(names) is tuple and all(type(name) is str for name in names) and type(comparisons) is tuple
                           and all(type(item) is Comparison for item in comparisons))
            if type(python) is str and well_formed:
                condition = restore_condition(source, names, comparisons, python)
            else:  # nothing trusted to restore it from: compiled again, allow-listed again
                condition = compile_condition(source)
            self.conditions[source] = condition
        return condition


def from_plain(plain: Any, files: list[str], root: str, digest: str, generated: Mapping[str, Any] | None = None) -> Playbook:
    """Rebuild the playbook stored by :func:`to_plain`; raises :class:`StoredFormError` for anything unexpected.

    ``generated`` is the code :func:`to_stored` returns, as stored in an authenticated entry's code part.
    """
    decoder = _Decoder(files, generated or {})
    try:
        values = {name: decoder.value(plain[name]) for name in _FIELDS[Playbook] if name not in ("root", "resolution_order", "digest")}
        steps = {
            "question": {question.id: question for section in values["sections"] for question in section.questions},
            "fact": {fact.id: fact for section in values["sections"] for fact in section.facts},
        }
        order = tuple(steps[kind][name] for kind, name in plain["resolution_order"])
        return Playbook(**values, root=root, resolution_order=order, digest=digest)
    except StoredFormError:
        raise
    except Exception as error:  # noqa: BLE001 - any malformed entry is rebuilt from the files
        raise StoredFormError(f"malformed stored playbook ({type(error).__name__})") from None

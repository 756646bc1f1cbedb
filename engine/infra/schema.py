"""Structural validation of input files against the JSON Schemas in ``schemas/``.

The schema files are the single source of truth for what a playbook, a
module, a questionnaire section, an answers file and an evaluation look like.
This module only loads them (through ``importlib.resources``) and turns
jsonschema's errors into one-line :class:`~dealbook.errors.Problem` objects
that point at the offending key or value.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported only when a file is validated (not on a cache hit)
    from jsonschema import Draft202012Validator  # noqa: PLC0415 - slow to import; a cached playbook never needs it
    from jsonschema.exceptions import ValidationError

from ..errors import InputFileError, Location, Problem, did_you_mean, shorten
from .yamlfile import Document

__all__ = ["SCHEMA_KINDS", "schema_text", "load_schema", "check_document"]

#: The schema files, by the kind of file they describe.
SCHEMA_KINDS: tuple[str, ...] = ("playbook", "module", "questions", "answers", "evaluation", "overlay", "scenarios", "patterns", "review", "definitions",
                               "routing", "negotiation")

_JSON_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}


def schema_text(kind: str) -> str:
    """The JSON text of the schema for ``kind`` (see :data:`SCHEMA_KINDS`); an unknown kind names the known ones."""
    if kind not in SCHEMA_KINDS:
        raise InputFileError(Location(kind), f"no schema for '{kind}'{did_you_mean(kind, SCHEMA_KINDS)} (schemas: {', '.join(SCHEMA_KINDS)})")
    return (files("dealbook.schemas") / f"{kind}.schema.json").read_text(encoding="utf-8")


@cache
def load_schema(kind: str) -> dict[str, Any]:
    """The parsed schema for ``kind``."""
    return json.loads(schema_text(kind))


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    """Replace local ``#/$defs/...`` references by their content.

    Our schemas are not recursive, and resolving ``$ref`` through
    jsonschema's registry on every instance costs more than the rest of the
    validation together.
    """
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#/$defs/"):
            target = _inline(definitions[reference.removeprefix("#/$defs/")], definitions)
            siblings = {key: _inline(value, definitions) for key, value in node.items() if key != "$ref"}
            return {**target, **siblings}
        return {key: _inline(value, definitions) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inline(entry, definitions) for entry in node]
    return node


@cache
def _validator(kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker  # noqa: PLC0415 - slow to import; a cached playbook never needs it

    schema = load_schema(kind)
    return Draft202012Validator(_inline(schema, schema.get("$defs", {})), format_checker=FormatChecker(formats=("date",)))


def check_document(document: Document, kind: str) -> list[Problem]:
    """Every schema violation in ``document``, located; empty when valid."""
    return [_problem(document, error) for error in _validator(kind).iter_errors(document.content)]


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else repr(value)
    return shorten(text)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing"
    return {str: "text", int: "a number", float: "a number", list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def _problem(document: Document, error: ValidationError) -> Problem:
    path = list(error.absolute_path)
    validator, expected, value = error.validator, error.validator_value, error.instance
    if validator in ("anyOf", "oneOf") and error.context:
        return _problem(document, min(error.context, key=lambda sub: (-len(sub.absolute_path), str(sub.validator))))
    if validator == "additionalProperties" and isinstance(value, dict):
        allowed = list(error.schema.get("properties", {}))
        extras = [key for key in value if key not in allowed]
        if extras and allowed:
            key = extras[0]
            message = f"unknown field '{key}'{did_you_mean(key, allowed)}"
            return Problem(document.locate([*path, key], key=True), message)
    if validator == "required":
        missing = [name for name in expected if isinstance(value, dict) and name not in value]
        message = f"missing required field '{missing[0]}'" if missing else error.message
    elif validator == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        message = f"expected {' or '.join(_JSON_TYPES.get(kind, kind) for kind in kinds)}, got {_type_name(value)}"
    elif validator == "enum":
        choices = ", ".join(str(choice) for choice in expected)
        message = f"{_short(value)} is not one of: {choices}{did_you_mean(str(value), map(str, expected))}"
    elif validator == "pattern":
        description = error.schema.get("patternErrorMessage") or error.schema.get("description")
        message = f"{_short(value)} is not valid" + (f": {description}" if description else f" (must match {expected})")
    elif validator == "not" and isinstance(expected, dict) and "required" in expected:
        message = f"field '{expected['required'][0]}' is not allowed here"
    elif validator == "maxProperties" and expected == 1:
        message = f"one effect per list entry, got {len(value)}: {shorten(', '.join(value))}"
    elif validator in ("minProperties",) and isinstance(value, dict) and not value:
        message = "must not be empty"
    elif validator == "minItems" and isinstance(value, list) and not value:
        message = "must not be an empty list"
    elif validator == "format" and expected == "date":
        message = f"{_short(value)} is not a real calendar date (YYYY-MM-DD)"
    elif validator == "uniqueItems":
        message = "list has duplicate entries"
    else:
        message = error.message.replace(repr(value), _short(value)) if isinstance(value, (str, list, dict)) else error.message
        message = shorten(message, 200)
    return Problem(document.locate(path), message)

"""JSON Schemas for editors: the bundled ones written to a folder, and schemas that know a playbook.

The files in ``schemas/`` describe every playbook. An editor that knows one
playbook can do more: :func:`answers_schema` lists that playbook's questions
with their types, options (values and labels) and bounds, so a negotiator
editing a deal file gets completion and validation of real answers;
:func:`module_schema` makes every id a module file refers to (owners,
approvers, items named by rules, terms) an enum of the playbook's ids.
Both are built from the bundled schemas, so they never disagree with what
``dealbook validate`` checks; they only narrow it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from ..infra.files import write_keeping_previous
from ..infra.schema import SCHEMA_KINDS, load_schema, schema_text
from ..playbook.model import Playbook, Question

__all__ = ["PLAYBOOK_AWARE", "answers_schema", "module_schema", "schema_for", "schema_json", "schema_text_for", "write_schemas"]

#: Yes/no spellings an answers file may use (see dealbook.deal.answers).
_YES_NO = ["yes", "no", "Yes", "No", "YES", "NO", "y", "n", "true", "false"]
_NUMERIC = ("integer", "number", "money", "percent")


def _answer(question: Question) -> dict[str, Any]:
    """The schema of one question's answer; every answer may also be left empty."""
    described: dict[str, Any] = {"title": question.text, "description": question.help, "markdownDescription": f"**{question.text}**\n\n{question.help}"}
    kind = question.type
    if kind == "bool":
        return {**described, "anyOf": [{"type": ["boolean", "null"]}, {"enum": _YES_NO}], "examples": [True, False]}
    if kind in ("choice", "multi-choice"):
        values = [option.value for option in question.options]
        labels = [option.label for option in question.options]
        one = {"enum": values + [label for label in labels if label not in values],
               "enumDescriptions": labels + [f"the option {value}" for value, label in zip(values, labels, strict=True) if label not in values]}
        if kind == "choice":
            return {**described, "anyOf": [one, {"type": "null"}], "examples": values[:2]}
        return {**described, "anyOf": [{"type": "array", "maxItems": 100, "items": one}, one, {"type": "null"}], "examples": [values[:2]]}
    if kind in _NUMERIC:
        number: dict[str, Any] = {"type": "integer" if kind == "integer" else "number"}
        if question.minimum is not None:
            number["minimum"] = question.minimum
        if question.maximum is not None:
            number["maximum"] = question.maximum
        written = {"type": "string", "minLength": 1, "maxLength": 100, "description": "A number as written: 450,000, \"$450,000\", \"EUR 1.2m\", 15%"}
        return {**described, "anyOf": [number, written, {"type": "null"}]}
    if kind == "date":
        return {**described, "type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "examples": ["2026-03-31"]}
    return {**described, "type": ["string", "number", "null"], "maxLength": 5000}


def answers_schema(playbook: Playbook) -> dict[str, Any]:
    """The answers schema narrowed to ``playbook``: its question ids, their types, options and bounds."""
    schema = copy.deepcopy(load_schema("answers"))
    schema["$id"] = f"urn:dealbook:schema:answers:{playbook.id}"
    schema["title"] = f"dealbook answers file for the playbook {playbook.title} ({playbook.id} {playbook.version})"
    answers = {question.id: _answer(question) for question in playbook.questions}
    for block in ("answers", "parked"):
        schema["properties"][block] = {**schema["properties"][block], "properties": answers, "additionalProperties": False}
        schema["properties"][block].pop("propertyNames", None)
    return schema


def _enum(ids: list[str], names: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"enum": ids}
    if names:
        schema["enumDescriptions"] = names
    return schema


def module_schema(playbook: Playbook) -> dict[str, Any]:
    """The module schema with every reference an enum of ``playbook``'s ids: owners, approvers, items and terms."""
    schema = copy.deepcopy(load_schema("module"))
    schema["$id"] = f"urn:dealbook:schema:module:{playbook.id}"
    schema["title"] = f"dealbook module file for the playbook {playbook.title} ({playbook.id} {playbook.version})"
    definitions = schema["$defs"]
    definitions["department_id"] = {**_enum([d.id for d in playbook.departments], [d.name for d in playbook.departments]),
                                    "description": "A department of playbook.yaml."}
    definitions["item_id"] = {**_enum([i.id for i in playbook.items], [i.title for i in playbook.items]), "description": "An item of the playbook."}
    definitions["term_id"] = {**_enum([t.id for t in playbook.terms], [t.title for t in playbook.terms]), "description": "A term of the playbook."}
    items_list = {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"$ref": "#/$defs/item_id"}}
    definitions["item"]["properties"]["owner"] = {"$ref": "#/$defs/department_id"}
    definitions["item"]["properties"]["terms"] = {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"$ref": "#/$defs/term_id"}}
    definitions["term"]["properties"]["owner"] = {"$ref": "#/$defs/department_id"}
    effects = definitions["effect"]["properties"]
    for name, effect in effects.items():
        if effect.get("$ref") == "#/$defs/ids":
            effects[name] = {**effect, **items_list}
            effects[name].pop("$ref")
        elif isinstance(effect.get("properties"), dict):
            properties = effect["properties"]
            if "items" in properties:
                properties["items"] = items_list
            if "term" in properties:
                properties["term"] = {"$ref": "#/$defs/term_id"}
            if "approver" in properties:
                properties["approver"] = {"$ref": "#/$defs/department_id"}
    return schema


#: The kinds with a playbook-aware form.
PLAYBOOK_AWARE = {"answers": answers_schema, "module": module_schema}


def schema_for(kind: str, playbook: Playbook | None = None) -> dict[str, Any]:
    """The schema of ``kind``: narrowed to ``playbook`` for answers and module files when one is given."""
    if playbook is not None and kind in PLAYBOOK_AWARE:
        return PLAYBOOK_AWARE[kind](playbook)
    return load_schema(kind)


def schema_json(schema: dict[str, Any]) -> str:
    """A schema as the text written to files: indented, UTF-8, a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path, playbook: Playbook | None = None) -> list[Path]:
    """Write every schema to ``folder/<kind>.schema.json`` (answers and module narrowed to ``playbook``); returns the paths.

    A file that changes keeps its previous content as ``.bak``; an unchanged one is left alone.
    """
    folder.mkdir(parents=True, exist_ok=True)
    return [write_keeping_previous(folder / f"{kind}.schema.json", schema_text_for(kind, playbook)) for kind in SCHEMA_KINDS]


def schema_text_for(kind: str, playbook: Playbook | None = None) -> str:
    """The schema text of ``kind``: the bundled file as it is, or its form narrowed to ``playbook``."""
    if playbook is not None and kind in PLAYBOOK_AWARE:
        return schema_json(PLAYBOOK_AWARE[kind](playbook))
    return schema_text(kind)

"""The overlay patch schema, derived from the module and questions schemas.

A patch entry gives an id and only the fields it changes, so its schema is
the real element's schema with nothing required but the id (and, for a new
element, the module or section it joins); every field keeps its real type,
enum and description, so an editor completes and checks a patch as it does
a module file. ``schemas/overlay.schema.json`` is this function's output;
a test keeps the two equal, and running this module rewrites the file::

    python -m dealbook.authoring.overlay_schema schemas/overlay.schema.json
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from ..infra.schema import load_schema

__all__ = ["overlay_schema", "overlay_schema_text"]

_DESCRIPTION = (
    "Changes to the playbook an overlay extends, by id. An entry whose id exists replaces the fields it gives "
    "(an item's positions one by one; a rule's effects one by one with add_effects and remove_effects); an entry "
    "with a new id is added to the module or section it names; remove drops elements (a removed item is also "
    "taken out of every rule's effects). The merged playbook is then validated against the module and questions schemas."
)
#: patch list -> (the element's definition, the schema it lives in, the container key, what a new one joins)
_KINDS = {
    "questions": ("question", "questions", "section", "questionnaire section"),
    "facts": ("fact", "questions", "section", "questionnaire section"),
    "terms": ("term", "module", "module", "module"),
    "items": ("item", "module", "module", "module"),
    "rules": ("rule", "module", "module", "module"),
}
_EXAMPLE_IDS = {"questions": "hosted_region", "facts": "large_deal", "terms": "breach_notice_hours", "items": "breach_notification", "rules": "eu_data_rules"}
_EXAMPLE_CHANGE: dict[str, dict[str, Any]] = {
    "questions": {"required": True}, "facts": {"expr": "annual_value >= 500000"}, "terms": {"target": 24, "fallback": 36, "walk_away": 48},
    "items": {"priority": "critical"}, "rules": {"add_effects": [{"require_approver": {"approver": "security", "reason": "Hosted personal data."}}]},
}
_CONDITIONALS = ("allOf", "anyOf", "oneOf", "if", "then", "else", "not", "dependentRequired")


def _entry(definition: dict[str, Any], kind: str, container: str, joins: str) -> dict[str, Any]:
    entry = {key: value for key, value in copy.deepcopy(definition).items() if key not in (*_CONDITIONALS, "required")}
    entry["required"] = ["id"]
    entry["minProperties"] = 2
    entry["description"] = (f"A {kind} of the playbook being extended, by id: the fields given replace its own. "
                            f"With '{container}', a new {kind} added to that {joins}.")
    entry["properties"] = {
        "id": entry["properties"]["id"],
        container: {"$ref": "#/$defs/id", "description": f"Only for a new {kind}: the {joins} (id) it is added to.", "examples": ["data_protection"]},
        **{name: value for name, value in entry["properties"].items() if name != "id"},
    }
    return entry


def overlay_schema() -> dict[str, Any]:
    """The overlay patch schema (see the module docstring)."""
    module, questions = load_schema("module"), load_schema("questions")
    definitions: dict[str, Any] = {**copy.deepcopy(questions["$defs"]), **copy.deepcopy(module["$defs"])}
    for name in ("question", "fact", "term", "item", "rule"):
        definitions.pop(name)
    sources = {"module": module["$defs"], "questions": questions["$defs"]}
    for kind, schema, container, joins in _KINDS.values():
        definitions[f"{kind}_patch"] = _entry(sources[schema][kind], kind, container, joins)
    item = definitions["item_patch"]["properties"]
    item["positions"] = {
        "type": "object", "minProperties": 1, "additionalProperties": False,
        "description": "Positions to change: preferred and walk_away field by field (a summary alone keeps the base clause); fallbacks as a whole list.",
        "examples": [{"preferred": {"summary": "Notice within {{ terms.breach_notice_hours }}, no exceptions."}}],
        "properties": {"preferred": {"$ref": "#/$defs/position_patch", "description": "Fields of the preferred position to change.",
                                     "examples": [{"summary": "Notice within 24 hours."}]},
                       "fallbacks": definitions["positions"]["properties"]["fallbacks"],
                       "walk_away": {"$ref": "#/$defs/position_patch", "description": "Fields of the walk-away position to change.",
                                     "examples": [{"summary": "No notification commitment."}]}},
    }
    definitions["position_patch"] = {**{key: value for key, value in definitions["position"].items() if key != "required"}, "minProperties": 1}
    rule = definitions["rule_patch"]["properties"]
    rule["add_effects"] = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/effect"},
                           "description": "Effects appended to the base rule's, keeping the ones it has.",
                           "examples": [[{"require_approver": {"approver": "security", "reason": "Hosted personal data."}}]]}
    rule["remove_effects"] = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/effect"},
                              "description": "Effects taken out of the base rule, each written exactly as in the base file.",
                              "examples": [[{"lower_priority": {"items": ["annual_attestation"], "to": "low"}}]]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:dealbook:schema:overlay",
        "title": "dealbook overlay patch file",
        "description": _DESCRIPTION,
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "remove": {
                "type": "object", "minProperties": 1, "additionalProperties": False,
                "description": "Ids of elements to drop from the playbook being extended.",
                "examples": [{"items": ["annual_attestation"], "rules": ["small_deal_light_touch"]}],
                "properties": {name: {"$ref": "#/$defs/ids", "description": f"The {name} to drop, by id.", "examples": [[_EXAMPLE_IDS[name]]]} for name in _KINDS},
            },
            **{name: {"type": "array", "items": {"$ref": f"#/$defs/{kind}_patch"}, "description": f"{kind.capitalize()}s to change or add, by id.",
                      "examples": [[{"id": _EXAMPLE_IDS[name], **_EXAMPLE_CHANGE[name]}]]}
               for name, (kind, *_) in _KINDS.items()},
        },
        "$defs": definitions,
    }


def overlay_schema_text() -> str:
    """:func:`overlay_schema` as the text of ``schemas/overlay.schema.json``."""
    return json.dumps(overlay_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - the maintainers' regeneration step
    Path(sys.argv[1]).write_text(overlay_schema_text(), encoding="utf-8")

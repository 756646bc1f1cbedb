"""The schemas authors edit explain themselves to editors: descriptions, valid examples, plain-words messages."""

import json

import pytest
from dealbook.infra.schema import load_schema
from jsonschema import Draft202012Validator

AUTHORS_SCHEMAS = ("playbook", "module", "questions", "scenarios", "answers", "overlay")
_CONDITIONAL = ("/if/", "/then/", "/else/", "/not/")


def properties(node, pointer=""):
    """Every (pointer, property schema) below ``node``, conditionals left out."""
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict) and not any(part in pointer + "/" for part in _CONDITIONAL):
                yield f"{pointer}/properties/{name}", sub
        for key, value in node.items():
            yield from properties(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from properties(value, f"{pointer}/{index}")


def patterns(node):
    if isinstance(node, dict):
        if "pattern" in node:
            yield node
        for value in node.values():
            yield from patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from patterns(value)


CASES = [(kind, pointer) for kind in AUTHORS_SCHEMAS for pointer, _ in properties(load_schema(kind))]


@pytest.mark.parametrize(("kind", "pointer"), CASES, ids=[f"{kind}{pointer.replace('/properties/', '.')}" for kind, pointer in CASES])
def test_every_property_has_a_description_and_examples_that_validate(kind, pointer):
    schema = load_schema(kind)
    node = schema
    for part in pointer.strip("/").split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part]
    assert node.get("description"), "no description"
    assert node.get("examples"), "no examples"
    validator = Draft202012Validator({"$defs": schema.get("$defs", {}), **node})
    for example in node["examples"]:
        assert [error.message for error in validator.iter_errors(example)] == [], json.dumps(example)


@pytest.mark.parametrize("kind", AUTHORS_SCHEMAS, ids=str)
def test_patterns_have_plain_words_and_definitions_have_titles(kind):
    schema = load_schema(kind)
    assert [node["pattern"] for node in patterns(schema) if "patternErrorMessage" not in node] == []
    assert [name for name, definition in schema.get("$defs", {}).items() if "title" not in definition] == []

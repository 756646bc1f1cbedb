"""The quick check of an answers file never accepts what the JSON Schema rejects."""

import copy
import random

import pytest
from dealbook.deal.answers import plainly_valid
from dealbook.infra.schema import check_document
from dealbook.infra.yamlfile import Document, read_document

from ..conftest import REPO

EXAMPLES = sorted((REPO / "examples" / "deals").glob("*.yaml"))
ODD = [None, True, 0, 1.5, "", "x" * 301, "EUR", "eur", "2026-02-30", "2026-02-28", "٢٠٢٦-٠١-٠١", "2026-01-01\n", [], [1, "a"], [True],
       ["x"] * 101, {}, {"a": 1}, "Bad Key", "ok_key"]


def schema_valid(content):
    return check_document(Document("deal.yaml", content, {}, {}), "answers") == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_the_example_deals_are_plainly_valid(path):
    content = read_document(path).content
    assert plainly_valid(content) and schema_valid(content)


def _mutations(content, rng):
    for _ in range(400):
        mutated = copy.deepcopy(content)
        where = rng.choice(["top", "deal", "answers", "answer-key"])
        value = copy.deepcopy(rng.choice(ODD))
        if where == "top":
            mutated[rng.choice(["deal", "answers", "parked", "extra"])] = value
        elif where == "deal":
            mutated["deal"][rng.choice(["name", "vendor", "currency", "date", "customer", "colour"])] = value
        elif where == "answers":
            mutated["answers"][rng.choice(list(mutated["answers"]))] = value
        else:
            mutated["answers"][rng.choice(["Bad Key", "ok_key", "9lives", "a" * 65])] = value
        yield mutated


@pytest.mark.parametrize("path", EXAMPLES[:2], ids=[path.stem for path in EXAMPLES[:2]])
def test_what_the_quick_check_accepts_the_schema_accepts(path):
    rng = random.Random(7)
    accepted = rejected = 0
    for mutated in _mutations(read_document(path).content, rng):
        if plainly_valid(mutated):
            accepted += 1
            assert schema_valid(mutated), mutated
        else:
            rejected += 1
    assert accepted and rejected  # both branches were exercised

"""The plain-data form of a playbook (what the cache stores) rebuilds exactly the same model."""

import dataclasses
import json

import dealbook
import pytest
from dealbook.errors import Location
from dealbook.playbook.patterns import Example, FlagPattern, ItemPatterns, Matcher, Near, ValuePattern, compile_phrase
from dealbook.playbook.stored import StoredFormError, from_plain, to_plain

from ..conftest import FIXTURES


def round_trip(playbook, files):
    return from_plain(json.loads(json.dumps(to_plain(playbook, files))), files, playbook.root, playbook.digest)


def test_the_bundled_playbook_round_trips(itam):
    files = sorted({item.location.file for item in itam.items} | {section.file for section in itam.sections})
    again = round_trip(itam, files)
    assert again.sections == itam.sections and again.modules == itam.modules and again.departments == itam.departments
    assert [step.id for step in again.resolution_order] == [step.id for step in itam.resolution_order]
    for step in again.resolution_order:  # the same objects as in the sections, not copies
        assert step is (again.questions_by_id.get(step.id) or again.facts_by_id[step.id])


def test_file_names_are_stored_as_positions_in_the_file_list(mini):
    files = sorted({section.file for section in mini.sections} | {module.file for module in mini.modules})
    elsewhere = [f"/elsewhere/{index}.yaml" for index in range(len(files))]
    plain = json.loads(json.dumps(to_plain(mini, files)))
    assert not any(name in json.dumps(plain) for name in files)
    moved = from_plain(plain, elsewhere, "/elsewhere", mini.digest)
    assert {module.file for module in moved.modules} <= set(elsewhere)


def test_patterns_round_trip(mini):
    here = Location("patterns.yaml", 3, 5, "items/0")
    patterns = ItemPatterns(
        item="price_cap",
        topic=Matcher(any=(compile_phrase("price* increase"),), near=(Near((compile_phrase("cap"),), (compile_phrase("/fees?/"),), 8),)),
        meets=None,
        flags=(FlagPattern("Uncapped increases", "high", Matcher(all=(compile_phrase("at its discretion"),)), (Example("x", here),), here),),
        values=(ValuePattern("price_cap", (compile_phrase("increase"),), 6, (Example("3% a year", here, True, 3.0),), here),),
        examples=(),
        location=here,
    )
    playbook = dataclasses.replace(mini, patterns=(patterns,))
    assert round_trip(playbook, ["patterns.yaml"]).patterns == (patterns,)


HOSTILE = {
    "unknown class": ["t", ["@Popen", "ls"]],
    "wrong field count": ["t", ["@Department", "a"]],
    "a condition outside the allow-list": ["t", ["@Department", ["C", "__import__('os')"], "n", ""]],
    "a mapping where a list belongs": {"__class__": "x"},
}


@pytest.mark.parametrize("departments", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_tampered_entry_is_refused_not_obeyed(mini, departments):
    plain = to_plain(mini, [])
    plain["departments"] = departments
    with pytest.raises(StoredFormError):
        from_plain(plain, [], mini.root, mini.digest)


def test_the_overlay_fixture_round_trips():
    overlay = dealbook.load_playbook(FIXTURES / "mini_overlay", use_cache=False)
    files = sorted({section.file for section in overlay.sections} | {module.file for module in overlay.modules})
    assert round_trip(overlay, files).modules == overlay.modules

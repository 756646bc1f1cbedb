"""JSON files are read as carefully as YAML ones: positions, duplicate keys, nesting; huge integers are refused in both."""

import json

import pytest
from dealbook.errors import InputFileError
from dealbook.infra.yamlfile import MAX_DEPTH, read_document

HUGE = "9" * 4301

REFUSED = {
    "duplicate key": ("deal.json", '{"deal": {"name": "A",\n  "name": "B"}}', "deal.json:2:3: duplicate key 'name' (first defined on line 1) [deal]"),
    "huge JSON integer": ("deal.json", f'{{"a": {HUGE}}}', "deal.json:1:7: invalid JSON: an integer with more than 4,300 digits"),
    "huge YAML integer": ("deal.yaml", f"a: {HUGE}\n", "deal.yaml:1:4: an integer with more than 4,300 digits"),
    "NaN": ("deal.json", '{"a": NaN}', "deal.json:1:7: invalid JSON: NaN is not a JSON number"),
    "missing comma": ("deal.json", "[1, 2\n 3]", "deal.json:2:2: invalid JSON: expecting ',' or ']'"),
    "trailing data": ("deal.json", "{} {}", "deal.json:1:4: invalid JSON: extra data after the value"),
    "deep nesting": ("deal.json", "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2), f"nested deeper than {MAX_DEPTH} levels"),
    "control character in a string": ("deal.json", '{"a": "x\ny"}', "deal.json:1:7: invalid JSON: Invalid control character"),
}


@pytest.mark.parametrize(("name", "text", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_with_a_location(tmp_path, monkeypatch, name, text, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        read_document(tmp_path / name, name)
    assert message in str(raised.value)


def test_json_values_and_positions(tmp_path):
    text = '{\n  "deal": {"name": "A", "tags": [1, -2.5e3, true, null]},\n  "answers": {}\n}'
    (tmp_path / "d.json").write_text(text, encoding="utf-8")
    document = read_document(tmp_path / "d.json", "d.json")
    assert document.content == json.loads(text)
    assert str(document.locate(["deal", "tags", 1])) == "d.json:2:37"
    assert str(document.locate(["answers"], key=True)) == "d.json:3:3"


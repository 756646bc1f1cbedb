import time
from pathlib import Path

import pytest
from dealbook.errors import InputFileError
from dealbook.infra.yamlfile import MAX_FILE_BYTES, read_document

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "\n".join(
    f"{chr(98 + level)}: &{chr(98 + level)} [" + ", ".join([f"*{chr(97 + level)}"] * 10) + "]" for level in range(9)
)


def read(tmp_path: Path, content: str | bytes, name: str = "file.yaml"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return read_document(path, name)


def test_scalars_follow_yaml_1_2(tmp_path):
    document = read(tmp_path, "a: [yes, no, on, true, False, 2026-01-31, '10:30', 10:30, 0o17, 0x1F, 1.5, ~, 010]\n")
    assert document.content["a"] == ["yes", "no", "on", True, False, "2026-01-31", "10:30", "10:30", 15, 31, 1.5, None, 10]


def test_positions_of_keys_and_values(tmp_path):
    document = read(tmp_path, "top:\n  items:\n    - id: one\n      title: First\n")
    assert document.locate(["top", "items", 0, "title"]).line == 4
    assert document.locate(["top", "items", 0, "title"]).column == 14
    assert document.locate(["top", "items", 0, "title"], key=True).column == 7
    location = document.locate(["top", "items", 0, "missing"])
    assert (location.line, location.path) == (3, "top/items/0/missing")


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a' (first defined on line 1)"),
        ("a: &x [1]\nb: *x\n", 1, "anchors and aliases"),
        ("a: 1\nb: *x\n", 2, "anchors and aliases"),
        ("a:\n\tb: 1\n", 2, "use spaces, not tabs"),
        ("a: [1, 2\nb: 3\n", 1, "invalid YAML"),
        ("a: !!python/object:os.system 1\n", 1, "tag"),
        ("a: b\n  c: d\n", 2, "invalid YAML"),
        ("[" * 200 + "]" * 200, 1, "nested deeper than"),
        ("--- 1\n--- 2\n", 2, "invalid YAML"),
        (b"a: caf\xe9\n", 1, "not valid UTF-8"),
    ],
    ids=["duplicate-key", "anchor", "alias", "tab", "unclosed-flow", "python-tag", "bad-indent", "deep", "two-documents", "latin-1"],
)
def test_malformed_input_is_one_located_error(tmp_path, content, line, message):
    with pytest.raises(InputFileError) as raised:
        read(tmp_path, content)
    assert message in str(raised.value)
    assert raised.value.problem.location.line == line
    assert str(raised.value).startswith(f"file.yaml:{line}:")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda path: path.write_text("# only a comment\n"), "file is empty"),
        (lambda path: path.write_text("   \n"), "file is empty"),
        (lambda path: path.mkdir(), "is a directory"),
        (lambda path: None, "file not found"),
        (lambda path: path.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES), "larger than"),
    ],
    ids=["comments-only", "blank", "directory", "missing", "too-large"],
)
def test_unreadable_files(tmp_path, setup, message):
    path = tmp_path / "input.yaml"
    setup(path)
    with pytest.raises(InputFileError, match=message):
        read_document(path)


def test_alias_bomb_fails_fast(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    started = time.perf_counter()
    with pytest.raises(InputFileError, match="aliases"):
        read_document(path)
    # a generous bound: expanding the bomb would take minutes and gigabytes
    assert time.perf_counter() - started < 1.0


def test_json_files_are_read_with_errors_located(tmp_path):
    assert read(tmp_path, '{"a": [1, 2]}', "file.json").content == {"a": [1, 2]}
    with pytest.raises(InputFileError) as raised:
        read(tmp_path, '{"a": [1, 2}', "file.json")
    assert str(raised.value).startswith("file.json:1:")


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("a: " + "[" * 63 + "1" + "]" * 63 + "\n", None),  # the mapping and 63 lists: 64 levels
        ("a: " + "[" * 64 + "1" + "]" * 64 + "\n", "nested deeper than 64 levels"),
        ("a: &x 1\nb: *x\n", "anchors and aliases"),
        ("a: !!python/object:os.system ls\n", "YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed"),
    ],
    ids=["depth-64", "depth-65", "alias", "tag"],
)
def test_both_loaders_refuse_the_same_things(tmp_path, monkeypatch, libyaml, text, refused):
    from dealbook.infra import yamlfile

    if not libyaml:
        monkeypatch.setattr(yamlfile, "CParser", None)
    elif yamlfile.CParser is None:
        pytest.skip("PyYAML was built without libyaml")
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    if refused is None:
        assert read_document(path).content["a"]
    else:
        with pytest.raises(InputFileError, match=refused):
            read_document(path)

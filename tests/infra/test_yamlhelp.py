"""libyaml's error classes, each in plain words with the fix, at the line the author must change."""

import pytest
from dealbook.errors import InputFileError
from dealbook.infra.yamlfile import read_document

CASES = {
    "list entry misaligned": ("items:\n  - id: a\n    title: A\n   - id: b\n",
                              "4:1: invalid YAML: this line is indented differently from the list entry on line 2; line its '-' up with that one (column 3), or indent it further to put it inside the entry"),
    "colon in text": ("items:\n  - id: a\n    title: Note: this is bad\n",
                      "3:16: invalid YAML: put text containing ': ' in quotes: `title: 'Note: this is bad'`"),
    "value starting with a quote": ('items:\n  - id: a\n    applies_when: "apac" in regions\n    title: x\n',
                                    "3:19: invalid YAML: a value that starts with a quote must be quoted as a whole: `applies_when: '\"apac\" in regions'`"),
    "quote on a list entry's first line": ('items:\n  - applies_when: "apac" in regions\n    title: x\n',
                                           "2:19: invalid YAML: a value that starts with a quote must be quoted as a whole: `- applies_when: '\"apac\" in regions'`"),
    "value starting with braces": ("items:\n  - id: a\n    summary: {{ terms.x }} days\n    title: x\n",
                                   "3:14: invalid YAML: a value that starts with '{{' must be in quotes: `summary: '{{ terms.x }} days'`"),
    "value that is only braces": ("items:\n  - id: a\n    summary: {{ terms.x }}\n    title: x\n",
                                  "3:14: invalid YAML: a value that starts with '{{' must be in quotes: `summary: '{{ … }}'` [items/0/summary]"),
    "dedented block text": ("items:\n  - id: a\n    rationale: |\n      First line\n    second line dedented\n    title: x\n",
                            "5:1: invalid YAML: this line is indented less than the text above it, so it ends the block started with '|' or '>' on line 3; indent it like the text above"),
    "dedented folded text": ("items:\n  - id: a\n    rationale: >\n      First line\n   second\n",
                             "5:1: invalid YAML: this line is indented less than the text above it, so it ends the block started with '|' or '>' on line 3; indent it like the text above"),
    "unclosed quote": ('items:\n  - id: a\n    title: "unclosed\n    owner: x\n',
                       '3:12: invalid YAML: the " opened here is never closed; end the text with a matching "'),
    "backslash in double quotes": ('a: "C:\\path"\n',
                                   "1:7: invalid YAML: inside double quotes a backslash starts an escape such as \\n; write \\\\ for a backslash, or use single quotes"),
    "value starting with @": ("a: @home\n", "1:4: invalid YAML: a value cannot start with '@'; put it in quotes: `a: '@home'`"),
    "unclosed list": ("a: [x, y\nb: 1\n",
                      "1:1: invalid YAML: the '[' on this line is not closed with ']', or its entries are not separated by commas; text with commas, brackets or braces goes in quotes"),
    "dedented key": ("a:\n  b: 1\n c: 2\n",
                     "3:1: invalid YAML: this line is indented less than the lines above it, but not as far as any key it could belong to; line it up with the key it belongs to"),
    "line without a key": ("a: b\nthis is text\nc: d\n",
                           "2:1: invalid YAML: this line is neither 'key: value' nor a list entry; if it continues the text above, indent it further (or put the whole text in quotes)"),
    "apostrophe in single quotes": ("a: 'it's'\n", "1:4: invalid YAML: inside single quotes, write an apostrophe twice: `a: 'it''s'`"),
    "indented too far": ("a: 1\n  b: 2\n", "2:1: invalid YAML: this line is indented more than the line above it, which already has a value; line it up with the line above"),
    "no space after colon": ("a:1\nb: 2\n", "1:1: invalid YAML: put a space after the ':' that ends a key (`key: value`, not `key:value`)"),
    "no space after dash": ("items:\n  -id: a\n  - id: b\n", "2:3: invalid YAML: put a space after '-' to start a list entry (`- id: ...`)"),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_each_yaml_mistake_is_explained_with_the_fix(tmp_path, text, expected):
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        read_document(path, "file.yaml")
    assert str(raised.value) == f"file.yaml:{expected}"

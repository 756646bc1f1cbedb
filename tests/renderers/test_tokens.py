"""The shared parser: GFM task items are recognised once, for HTML and Word alike."""

import pytest
from dealbook.renderers.html import markdown_to_html
from dealbook.renderers.tokens import parse


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("- [ ] open\n- [x] done\n- [X] DONE\n", [False, True, True]),
        ("- [ ] loose\n\n- [x] list\n", [False, True]),
        ("- plain\n- [] not a task\n- [ ]no space\n", [None, None, None]),
        ("1. [ ] numbered task\n", [False]),
    ],
    ids=["tight", "loose", "not-tasks", "ordered"],
)
def test_task_items_are_marked_on_the_item(markdown, expected):
    tokens = parse(markdown)
    assert [token.meta.get("task") for token in tokens if token.type == "list_item_open"] == expected


def test_the_marker_becomes_a_box_token_and_the_text_stays():
    tokens = parse("- [x] **Audit** notice\n")
    (inline,) = [token for token in tokens if token.type == "inline"]
    assert [child.type for child in inline.children][:2] == ["task_box", "strong_open"]
    assert inline.children[0].meta == {"checked": True}
    assert "[x]" not in "".join(child.content for child in inline.children)


def test_html_draws_the_box_in_tight_and_loose_lists():
    tight = markdown_to_html("- [ ] a\n- [x] b\n", title="t")
    assert '<li class="task"><span class="box" aria-hidden="true">\u2610</span> a</li>' in tight
    assert '<li class="task done"><span class="box" aria-hidden="true">\u2612</span> b</li>' in tight
    loose = markdown_to_html("- [ ] a\n\n- [ ] b\n", title="t")
    assert loose.count('<p><span class="box" aria-hidden="true">\u2610</span> ') == 2
    assert "[ ]" not in tight + loose

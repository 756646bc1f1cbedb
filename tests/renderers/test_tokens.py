"""The shared parser: GFM task items are recognised once, for HTML and Word alike."""

import pytest
from dealbook.renderers.html import markdown_to_html
from dealbook.renderers.pack import AUDIENCES
from dealbook.renderers.tokens import parse

from .conftest import DEAL_IDS, rendered_pack


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


# --- the two shortcuts for plain text give the reference parser's tokens -------------------------------

def _same_tokens(markdown: str) -> None:
    from dealbook.renderers.tokens import parser

    fast, reference = parser().parse(markdown), parser(shortcuts=False).parse(markdown)
    assert [token.as_dict() for token in fast] == [token.as_dict() for token in reference]


@pytest.mark.parametrize("stem", DEAL_IDS)
def test_shortcuts_give_the_reference_tokens_on_every_example_pack(stem):
    from dealbook.renderers.pack import PackOptions, build_documents

    pack = rendered_pack(stem)
    pieces = {piece.markdown for audience in AUDIENCES
              for document in build_documents(pack.view, PackOptions(audience=audience)) for piece in document.pieces}
    for markdown in pieces:
        _same_tokens(markdown)


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: Prose, every character an inline rule of any preset reacts to, and line structure.
_ALPHABET = "ab Z9-:%+=$#@^{}()\"'.,;" + "\\`*_[]!<>&~\n|" + "\u00a0é"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_shortcuts_give_the_reference_tokens_on_generated_text(markdown):
    _same_tokens(markdown)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["**Fees.** ", "(a) ", "[link](#x) ", "`code` ", "&amp; ", "a - b: 5% ", "x\\*y ",
                                 "> ", "- ", "| a | b |\n", "\n", "\n\n", "_under_ ", "<https://x.y> ", "![bar](position:1,2)"]),
                max_size=12))
def test_shortcuts_give_the_reference_tokens_on_generated_pack_like_text(pieces):
    _same_tokens("".join(pieces))

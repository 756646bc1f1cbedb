import dealbook
import pytest
from dealbook.deal.answers import Answers, Deal
from dealbook.renderers.html import markdown_to_html
from dealbook.renderers.markdown import escape_block, escape_cell, escape_inline, render_markdown
from dealbook.renderers.pack import PackOptions, pack_markdown
from dealbook.renderers.tokens import parse, parser
from dealbook.renderers.view import build_view

from ..conftest import REPO

HOSTILE = [
    "Acme | Co",
    "*bold* and _under_ and **strong**",
    "# heading-like",
    "<script>alert(1)</script> & <b>bold</b>",
    "`code` and ``double``",
    "[link](http://example.com) ![img](x.png)",
    "line\nbreak\r\nand\ttab",
    "control\x00\x07\x1b[31m chars",
    "1. not a list",
    "- not a bullet",
    "> not a quote",
    "back\\slash \\| \\*",
    "~~strike~~ &amp; &#60;",
]


def inline_text(markdown: str) -> str:
    (paragraph_inline,) = [token for token in parse(markdown) if token.type == "inline"]
    return "".join(child.content for child in paragraph_inline.children if child.type in ("text", "softbreak"))


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_inline_escaping_round_trips_as_plain_text(text):
    expected = " ".join("".join(ch for ch in text if ch in "\t\n\r" or ch >= " " and ch != "\x7f").split())
    assert inline_text("x " + escape_inline(text)) == "x " + expected


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_a_table_cell_never_breaks_the_table(text):
    tokens = parse(f"| a | b |\n| --- | --- |\n| {escape_cell(text)} | end |\n")
    cells = [token for token in tokens if token.type in ("th_open", "td_open")]
    assert len(cells) == 4
    inline = [token for token in tokens if token.type == "inline"]
    assert inline[-1].content == "end"


def test_clause_lines_become_paragraphs_with_the_title_in_bold():
    clause = "Price Protection.\n(a) first line\n  - a bullet\n\n(b) second paragraph <b>x</b>"
    tokens = parse(escape_block(clause))
    assert [token.type for token in tokens][:2] == ["blockquote_open", "paragraph_open"]
    paragraphs = [token for token in tokens if token.type == "inline"]
    assert [paragraph.content.replace("\\", "") for paragraph in paragraphs] == [
        "**Price Protection.**", "(a) first line", "• a bullet", "(b) second paragraph <b>x</b>"]
    assert not any(child.type == "hardbreak" for paragraph in paragraphs for child in paragraph.children)
    assert [token.meta.get("subclause") for token in tokens if token.type == "paragraph_open"] == [None, "(a)", None, "(b)"]
    assert not any(token.type.startswith("bullet_list") for token in tokens)


@pytest.mark.parametrize(
    ("clause", "bold"),
    [("Price Protection. The Fees are fixed.", "Price Protection."),
     ("Term and Termination of Services. Either party may end it.", "Term and Termination of Services."),
     ("The Supplier shall not increase the Fees. Ever.", None),
     ("No title here at all", None)],
    ids=["title", "small-words", "sentence", "no-full-stop"],
)
def test_only_a_title_cased_lead_is_a_clause_title(clause, bold):
    (first,) = [token for token in parse(escape_block(clause)) if token.type == "inline"][:1]
    types = [child.type for child in first.children]
    inside = first.children[types.index("strong_open") + 1].content if "strong_open" in types else None
    assert inside == bold


def hostile_evaluation(itam):
    deal = Deal(
        name="Deal | with *stars*\nand a newline",
        vendor="Acme | *Evil* <script>alert(1)</script> & Co_ #1 `x`",
        customer="Contoso <b>",
        currency="EUR",
        date="2026-12-01",
        negotiator="Ann | Other",
    )
    answers = dealbook.load_answers(REPO / "examples/deals/eu-saas-crm.yaml", itam)
    return dealbook.evaluate(itam, Answers(deal, answers.values))


@pytest.mark.parametrize("audience", ["internal", "vendor"])
def test_hostile_deal_metadata_keeps_tables_intact(itam, audience):
    view = build_view(hostile_evaluation(itam))
    for part, markdown in pack_markdown(view, PackOptions(audience=audience)).items():
        tokens = parse(markdown)
        rows = [index for index, token in enumerate(tokens) if token.type == "tr_open"]
        for row in rows:
            cells = 0
            for token in tokens[row + 1:]:
                if token.type == "tr_close":
                    break
                cells += token.type in ("td_open", "th_open")
            assert cells in (2, 4, 5, 7), part  # key/value tables 2 or 4, key numbers 5, the term sheet 7
        (title,) = [tokens[index + 1] for index, token in enumerate(tokens) if token.tag == "h1" and token.type == "heading_open"]
        assert title.children[0].content.endswith("Deal | with *stars* and a newline")
        page = markdown_to_html(markdown, title="t")
        assert "<script>" not in page and "<b>" not in page
        assert "Acme | *Evil* &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co_ #1 `x`" in page


def test_rendering_is_deterministic(itam):
    view = build_view(hostile_evaluation(itam))
    assert pack_markdown(view) == pack_markdown(build_view(hostile_evaluation(itam)))


def test_template_override_by_file_name(itam, tmp_path):
    (tmp_path / "checklist.md.j2").write_text("Our own layout for {{ pack.deal.vendor | md }}\n", encoding="utf-8")
    view = build_view(hostile_evaluation(itam))
    documents = pack_markdown(view, PackOptions(templates=tmp_path))
    assert "\n## Checklist\n\nOur own layout for Acme \\|" in documents["briefing-pack"]
    assert documents["checklist"].endswith("\nOur own layout for Acme \\| \\*Evil\\* \\<script\\>alert(1)\\</script\\> \\& Co\\_ \\#1 \\`x\\`\n")
    assert documents["term-sheet"].startswith("# Term sheet — ")


def test_parser_has_raw_html_off():
    assert parser().options["html"] is False


def test_a_broken_override_template_is_one_located_error(itam, tmp_path):
    from dealbook.errors import DealbookError

    (tmp_path / "checklist.md.j2").write_text("# Title\n{% for x in %}\n", encoding="utf-8")
    view = build_view(hostile_evaluation(itam))
    with pytest.raises(DealbookError) as raised:
        render_markdown(view, "checklist", templates=tmp_path)
    assert str(raised.value).startswith(f"{tmp_path / 'checklist.md.j2'}:2:1: template error:")


@pytest.mark.parametrize(
    ("fixture", "sentence"),
    [("mini", "Prepared from the Minimal test playbook (mini 0.1.0):"), ("itam", "Prepared from the IT asset management — software and SaaS contract negotiation playbook (itam 1.0.0):")],
    ids=["title-ends-in-playbook", "title-without-it"],
)
def test_the_pack_names_the_playbook_without_saying_playbook_twice(request, fixture, sentence):
    if fixture == "mini":
        evaluation = dealbook.evaluate(request.getfixturevalue("mini"), Answers(Deal("D", "V"), {"deployment": "saas", "annual_value": 100000}))
    else:
        evaluation = dealbook.evaluate_file(REPO / "examples" / "deals" / "eu-saas-crm.yaml")
    assert sentence in render_markdown(build_view(evaluation), "cover", marking="")

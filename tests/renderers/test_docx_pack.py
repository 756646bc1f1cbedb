"""A real briefing pack's Word file has the structure of its tokens, real checkboxes and working internal links."""

import io
import re

import docx
import pytest
from dealbook.renderers.pack import PackOptions, build_documents
from docx.oxml.ns import qn

from .conftest import rendered_pack


def inline_text(token) -> str:
    return "".join(child.content for child in token.children or [] if child.type in ("text", "code_inline", "softbreak"))


@pytest.fixture(scope="module", params=["eu-saas-crm", "small-desktop-subscription"])
def word_pack(request):
    rendered = rendered_pack(request.param)
    (document,) = [doc for doc in build_documents(rendered.view, PackOptions()) if doc.name == "briefing-pack"]
    return document.tokens, docx.Document(io.BytesIO(rendered.files["briefing-pack.docx"])), rendered


def test_headings_match_except_the_contents_which_become_a_field(word_pack):
    tokens, document, _ = word_pack
    expected = [(int(token.tag[1]), inline_text(tokens[index + 1])) for index, token in enumerate(tokens)
                if token.type == "heading_open" and inline_text(tokens[index + 1]) != "Contents"]
    actual = [(int(p.style.name.split()[-1]), p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert actual == expected


def test_tables_match_cell_for_cell_without_the_key_value_header_rows(word_pack):
    tokens, document, _ = word_pack
    tables, rows, row, hidden = [], None, None, False
    for token in tokens:
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row, hidden = [], token.hidden
        elif token.type == "inline" and row is not None:
            row.append(inline_text(token))
        elif token.type == "tr_close":
            if not hidden:
                rows.append(row)
            row = None
        elif token.type == "table_close":
            tables.append(rows)
    actual = [[[re.sub("[\u2002\u25bc]", "", cell.text) for cell in table_row.cells] for table_row in table.rows]
              for table in document.tables]
    assert actual == tables
    key_value = [table for table in document.tables if table._tbl.xpath("./w:tblPr/w:tblLook/@w:firstRow") == ["0"]]
    assert len(key_value) == 2, "the cover's and the deal sheet's fact tables have no header row"
    assert all(row._tr.xpath("./w:trPr/w:cantSplit") for table in document.tables for row in table.rows)


def test_tasks_are_checkbox_content_controls_with_a_hanging_indent(word_pack):
    tokens, document, rendered = word_pack
    tasks = sum(1 for token in tokens if token.type == "list_item_open" and "task" in token.meta)
    assert tasks == len(rendered.evaluation.items) + len(rendered.evaluation.approvals)
    boxes = document.element.body.xpath(".//w:sdt[w:sdtPr/w14:checkbox]")
    assert len(boxes) == tasks
    numbering = document.part.numbering_part.element
    for box in boxes:
        paragraph = box.getparent()
        num_id = paragraph.xpath("./w:pPr/w:numPr/w:numId/@w:val")[0]
        (abstract,) = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
        (indent,) = numbering.xpath(f'./w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="0"]/w:pPr/w:ind')
        assert int(indent.get(qn("w:hanging"))) > 0 and paragraph.xpath("./w:r[1]/w:tab")


def test_every_heading_has_a_bookmark_and_every_internal_link_reaches_one(word_pack):
    _, document, rendered = word_pack
    body = document.element.body
    bookmarks = [mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))]
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert all(p._p.xpath("./w:bookmarkStart") for p in headings)
    assert len(bookmarks) == len(set(bookmarks)) == len(headings)
    assert all(len(name) <= 40 and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) for name in bookmarks)
    anchors = [link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink")) if link.get(qn("w:anchor"))]
    assert set(anchors) <= set(bookmarks)
    linked = len(rendered.evaluation.items) * 2  # each item from its checklist task and its contents entry
    assert len(anchors) >= linked + len(rendered.view.terms) + len(rendered.view.flags)


def test_contents_are_written_out_and_reach_every_item(word_pack):
    _, document, rendered = word_pack
    entries = [p for p in document.paragraphs if p.style.name.startswith("toc")]
    items = [item.heading for item in rendered.view.items]
    assert [p.text.rstrip("\t") for p in entries if p.style.name == "toc 4"] == items
    assert all(p._p.xpath(".//w:instrText[contains(., 'PAGEREF')]") for p in entries)
    assert document.element.body.xpath(".//w:instrText[contains(., 'TOC \\o \"2-4\"')]")


def test_the_marking_is_in_the_header_and_the_cover_ends_with_a_page_break(word_pack):
    _, document, _ = word_pack
    header = document.sections[-1].header
    assert header.paragraphs[-1].text == "Confidential — internal negotiation guidance. Do not send to the vendor."
    deal_sheet = next(p for p in document.paragraphs if p.text == "Deal sheet")
    assert deal_sheet._p.xpath("./w:pPr/w:pageBreakBefore")


def test_clause_titles_are_bold_and_sub_clauses_hang(word_pack):
    _, document, _ = word_pack
    clauses = [p for p in document.paragraphs if p.style.name == "Clause"]
    titles = [p for p in clauses if p.runs and p.runs[0].bold]
    subclauses = [p for p in clauses if re.match(r"\([a-z]{1,4}\)\t", p.text)]
    assert titles and subclauses
    assert all(p.paragraph_format.first_line_indent is not None and p.paragraph_format.first_line_indent < 0 for p in subclauses)
    assert not any(p._p.xpath(".//w:br") for p in clauses)

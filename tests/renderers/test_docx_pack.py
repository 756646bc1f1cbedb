"""A real briefing pack's Word file has the structure of the Markdown it came from."""

import io

import dealbook
import docx
import pytest
from dealbook.renderers.docx.writer import markdown_to_docx
from dealbook.renderers.markdown import render_markdown
from dealbook.renderers.tokens import parse
from dealbook.renderers.view import build_view

from ..conftest import REPO


def inline_text(token) -> str:
    return "".join(child.content for child in token.children or [] if child.type in ("text", "code_inline", "softbreak"))


@pytest.fixture(scope="module", params=["eu-saas-crm", "small-desktop-subscription"])
def pack(request, itam):
    evaluation = dealbook.evaluate(itam, dealbook.load_answers(REPO / "examples" / "deals" / f"{request.param}.yaml", itam))
    markdown = render_markdown(build_view(evaluation), "briefing-pack")
    return parse(markdown), docx.Document(io.BytesIO(markdown_to_docx(markdown)))


def test_headings_match(pack):
    tokens, document = pack
    expected = [(int(token.tag[1]), inline_text(tokens[index + 1])) for index, token in enumerate(tokens) if token.type == "heading_open"]
    actual = [(int(p.style.name.split()[-1]), p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert actual == expected


def test_tables_match_cell_for_cell(pack):
    tokens, document = pack
    tables, rows, row = [], None, None
    for token in tokens:
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(inline_text(token))
        elif token.type == "tr_close":
            rows.append(row)
            row = None
        elif token.type == "table_close":
            tables.append(rows)
    assert [[[cell.text for cell in table_row.cells] for table_row in table.rows] for table in document.tables] == tables


def test_task_items_and_clause_quotes_survive(pack):
    tokens, document = pack
    tasks = sum(1 for token in tokens if token.type == "inline" and token.content.startswith("[ ] "))
    boxed = [p for p in document.paragraphs if p.text.startswith("\u2610 ")]
    assert len(boxed) == tasks and all(p._p.pPr.numPr is not None for p in boxed)
    quotes = sum(1 for token in tokens if token.type == "blockquote_open")
    clause_paragraphs = [p for p in document.paragraphs if p.style.name == "Clause"]
    assert quotes and len(clause_paragraphs) >= quotes

"""Every bundled example deal renders a pack whose Markdown parses back to the expected structure."""


import dealbook
import pytest
from dealbook.renderers.html import markdown_to_html
from dealbook.renderers.markdown import PARTS, render_markdown
from dealbook.renderers.tokens import parse
from dealbook.renderers.view import build_view

from ..conftest import REPO

DEALS = sorted((REPO / "examples" / "deals").glob("*.yaml"))


def headings(tokens, level):
    return [tokens[index + 1].content for index, token in enumerate(tokens) if token.type == "heading_open" and token.tag == f"h{level}"]


@pytest.fixture(scope="module", params=DEALS, ids=[deal.stem for deal in DEALS])
def rendered(request, itam):
    evaluation = dealbook.evaluate(itam, dealbook.load_answers(request.param, itam))
    view = build_view(evaluation)
    return evaluation, {part: render_markdown(view, part) for part in PARTS}


def test_checklist_has_one_task_per_applicable_item_under_its_module(rendered):
    evaluation, markdown = rendered
    tokens = parse(markdown["checklist"])
    modules = [f"{module.number}. {module.title}" for module, _ in evaluation.items_by_module]
    assert headings(tokens, 3) == modules
    tasks = [token.content for token in tokens if token.type == "inline" and token.content.startswith("[ ] ")]
    assert len(tasks) == len(evaluation.items)
    titles = {result.item.title for result in evaluation.items}
    assert {task.split("**")[1].replace("\\", "") for task in tasks} == titles


def test_term_sheet_has_a_row_per_term(rendered):
    evaluation, markdown = rendered
    tokens = parse(markdown["term-sheet"])
    rows = sum(token.type == "tr_open" for token in tokens)
    assert rows == 8 + 1 + len(evaluation.terms)  # deal table (header + 7 rows), term header, one row per term


def test_redlines_give_every_item_its_positions(rendered):
    evaluation, markdown = rendered
    tokens = parse(markdown["redlines"])
    assert headings(tokens, 4) == [
        result.item.title for _, results in evaluation.items_by_module
        for result in sorted(results, key=lambda entry: ("critical", "high", "medium", "low").index(entry.priority))
    ]
    quotes = sum(token.type == "blockquote_open" for token in tokens)
    clauses = sum(1 for result in evaluation.items for position in (result.opening, *result.fallbacks) if position.clause)
    assert quotes == clauses


def test_pack_combines_summary_and_parts(rendered):
    evaluation, markdown = rendered
    tokens = parse(markdown["briefing-pack"])
    definitions = ["Definitions"] if evaluation.definitions else []
    assert headings(tokens, 2) == ["Executive summary", "Negotiation checklist", "Term sheet", "Redline guidance", *definitions]
    approvals = [t.content for t in tokens if t.type == "inline" and t.content.startswith("[ ] **") and "—" in t.content]
    assert len(approvals) >= len(evaluation.approvals)


def test_html_is_self_contained_and_escaped(rendered):
    evaluation, markdown = rendered
    page = markdown_to_html(markdown["briefing-pack"], title="Pack <b>")
    assert page.startswith("<!DOCTYPE html>") and "<title>Pack &lt;b&gt;</title>" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page and "<link" not in page
    assert page.count('class="task"') == len(evaluation.items) + len(evaluation.approvals)

"""Every bundled example deal renders a pack whose documents have the expected structure and agree with each other."""

import re

from dealbook.playbook.model import PRIORITIES
from dealbook.renderers.tokens import parse


def headings(tokens, level):
    return [tokens[index + 1].content for index, token in enumerate(tokens) if token.type == "heading_open" and token.tag == f"h{level}"]


def plain(text: str) -> str:
    """Markdown inline source as read: links reduced to their text, escapes and emphasis dropped."""
    text = re.sub(r"\[((?:\\.|[^\]\\])*)\]\(#[^)]*\)", r"\1", text)
    return re.sub(r"\\(.)", r"\1", text).replace("**", "")


def table(tokens, first_header):
    """The rows (cell source texts) of the table whose first header cell is ``first_header``."""
    rows, row, inside = [], None, False
    for index, token in enumerate(tokens):
        if token.type == "th_open" and tokens[index + 1].content == first_header:
            inside = True
        elif inside and token.type == "tr_open":
            row = []
        elif inside and token.type == "inline" and row is not None:
            row.append(token.content)
        elif inside and token.type == "tr_close" and row is not None:
            rows.append(row)
            row = None
        elif inside and token.type == "table_close":
            return rows
    return rows


def ordered(results):
    return sorted(results, key=lambda result: PRIORITIES.index(result.priority))


def test_checklist_has_one_task_per_applicable_item_under_its_module(pack):
    tokens = parse(pack.text("checklist.md"))
    tasks = [plain(token.content) for token in tokens if token.type == "inline" and token.content.startswith("[ ] ")]
    expected = [f"{module.number}.{index} {result.item.title}" for module, results in pack.evaluation.items_by_module
                for index, result in enumerate(ordered(results), 1)]
    assert [task.split(" — ")[0].removeprefix("[ ] ") for task in tasks] == expected


def test_term_sheet_has_a_row_per_term_of_each_item(pack):
    rows = table(parse(pack.text("term-sheet.md")), "Term")
    expected = [(result.item.title, term.term.title) for _, results in pack.evaluation.items_by_module
                for result in ordered(results) for term in result.terms]
    assert [(plain(row[1]), plain(row[0]).removesuffix(" *")) for row in rows] == expected


def test_redlines_give_every_item_its_clauses_ready_to_paste(pack):
    tokens = parse(pack.text("redlines.md"))
    assert headings(tokens, 3) == [f"C{module.number}.{index} {result.item.title}" for module, results in pack.evaluation.items_by_module
                                   for index, result in enumerate(ordered(results), 1)]
    quotes = sum(token.type == "blockquote_open" for token in tokens)
    clauses = sum(1 for result in pack.evaluation.items for position in (result.opening, *result.fallbacks) if position.clause)
    assert quotes == clauses
    in_quote, hard_breaks = 0, 0
    for token in tokens:
        in_quote += token.type == "blockquote_open"
        in_quote -= token.type == "blockquote_close"
        if in_quote and token.type == "inline":
            hard_breaks += sum(child.type == "hardbreak" for child in token.children)
    assert hard_breaks == 0, "clause lines are paragraphs, not manual line breaks"
    subclauses = [token for token in tokens if token.type == "paragraph_open" and token.meta.get("subclause")]
    assert subclauses, "(a)/(b) sub-clauses are paragraphs of their own"


def test_the_pack_is_ordered_for_use(pack):
    tokens = parse(pack.text("briefing-pack.md"))
    assert headings(tokens, 2) == ["Deal sheet", "Contents", "Checklist", "Term sheet", "Guidance", "Appendix: clause language"]
    assert len(headings(tokens, 1)) == 1
    guidance = headings(tokens, 4)
    assert guidance[:len(pack.evaluation.items)] == [
        f"{module.number}.{index} {result.item.title}" for module, results in pack.evaluation.items_by_module
        for index, result in enumerate(ordered(results), 1)]
    body = pack.text("briefing-pack.md")
    assert body.index("Confidential — internal negotiation guidance. Do not send to the vendor.") < body.index("## Deal sheet")


def test_every_heading_in_the_pack_is_unique(pack):
    for name in ("briefing-pack.md", "deal-sheet.md", "checklist.md", "term-sheet.md", "redlines.md", "proposal.md"):
        tokens = parse(pack.text(name))
        texts = [tokens[index + 1].content for index, token in enumerate(tokens) if token.type == "heading_open"]
        assert len(texts) == len(set(texts)), name


def test_the_term_sheet_opens_where_the_checklist_and_the_guidance_open(pack):
    """One truth: each term's opening value is the same in the term sheet, the guidance and the deal sheet,
    and the checklist's and the guidance's opening position are the same words, quoting that value."""
    pack_md = pack.text("briefing-pack.md")
    rows = table(parse(pack.text("term-sheet.md")), "Term")
    checklist = {plain(match.group(1)): plain(match.group(2)) for match in re.finditer(
        r"^- \[ \] \*\*(.+?)\*\* — .*\n  Open with: (.*?)\\$", pack.text("checklist.md"), re.M)}
    sections = re.split(r"^#### ", pack_md.split("\n## Guidance\n")[1].split("\n## Appendix")[0], flags=re.M)[1:]
    guidance = {section.split("\n", 1)[0]: plain(section) for section in sections}
    numbers = {plain(row[0]).removesuffix(" *"): row for row in table(parse(pack.text("deal-sheet.md")), "Term")}
    headings_by_title = {heading.split(" ", 1)[1]: heading for heading in guidance}
    checked = 0
    for term, item, _priority, open_at, _fallbacks, walk_away, _owner in rows:
        term, item, open_at, walk_away = plain(term).removesuffix(" *"), plain(item), plain(open_at), plain(walk_away)
        heading = headings_by_title[item]
        text = guidance[heading]
        assert f"{term}: open at {open_at}" in text, (heading, term)
        assert f"walk away at {walk_away}" in text
        opening = re.search(r"Open with \([^)]*\): (.*)", text).group(1).rstrip("\\")
        assert checklist[heading] == opening, heading
        result, = (result for result in pack.evaluation.items if result.item.title == item)
        term_id, = (value.id for value in result.terms if value.term.title == term)
        figure = re.search(r"\d[\d,.]*", open_at).group(0)
        unconditional = re.sub(r"{%\s*if.*?{%\s*endif\s*%}", "", result.opening.summary, flags=re.S)
        if f"terms.{term_id}" in unconditional and figure != "0":  # quoted (a zero reads as words): the figure shows
            assert re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d])", opening), (heading, term, open_at)
        if term in numbers:
            assert plain(numbers[term][1]) in {plain(row[3]) for row in rows if plain(row[0]).removesuffix(" *") == term}
        checked += 1
    assert checked == len(pack.view.terms)


def test_html_is_self_contained_escaped_and_lang_tagged(pack):
    page = pack.text("briefing-pack.html")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "http://" not in page and "https://" not in page and "<script" not in page and "<link" not in page
    assert page.count('class="task"') == len(pack.evaluation.items) + len(pack.evaluation.approvals)
    assert "@page" in page and "counter(pages)" in page
    assert '<th scope="col">' in page and '<th scope="row">' in page
    assert page.count('<svg class="bar"') == len(pack.view.key_terms)

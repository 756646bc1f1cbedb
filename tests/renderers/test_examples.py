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


def test_term_sheet_has_a_row_per_term_the_printed_guidance_uses(pack):
    rows = table(parse(pack.text("term-sheet.md")), "Term")
    expected = [(f"{module.number}.{index}", term.term.title) for module, results in pack.evaluation.items_by_module
                for index, result in enumerate(ordered(results), 1) for term in pack.evaluation.item_terms(result)]
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
    """One truth: each term's opening value in the term sheet is the one the item's guidance opens with and the
    deal sheet's key numbers show; the checklist's opening is the guidance's, shortened, never different."""
    pack_md = pack.text("briefing-pack.md")
    rows = table(parse(pack.text("term-sheet.md")), "Term")
    checklist = {plain(match.group(1)): plain(match.group(2)) for match in re.finditer(
        r"^- \[ \] \*\*(.+?)\*\* — .*\n  Open with: (.*?)\\$", pack.text("checklist.md"), re.M)}
    sections = re.split(r"^#### ", pack_md.split("\n## Guidance\n")[1].split("\n## Appendix")[0], flags=re.M)[1:]
    guidance = {section.split(" ", 1)[0]: (section.split("\n", 1)[0], plain(section)) for section in sections}
    numbers = table(parse(pack.text("deal-sheet.md")), "Term")
    by_number = {f"{module.number}.{index}": result for module, results in pack.evaluation.items_by_module
                 for index, result in enumerate(ordered(results), 1)}
    quoted = 0
    for term, number, _priority, open_at, _fallbacks, _walk_away, _owner in rows:
        term, number, open_at = plain(term).removesuffix(" *"), plain(number), plain(open_at)
        heading, text = guidance[number]
        opening = re.search(r"Open with \([^)]*\): (.*)", text).group(1).rstrip("\\")
        shortened = checklist[heading]
        assert opening.startswith(shortened.removesuffix("…").rstrip(";:,")), heading
        result = by_number[number]
        (term_id,) = (value.id for value in result.terms if value.term.title == term)
        figure = re.search(r"\d[\d,.]*", open_at).group(0)
        unconditional = re.sub(r"{%\s*if.*?{%\s*endif\s*%}", "", result.opening.summary, flags=re.S)
        if f"terms.{term_id}" in unconditional and figure != "0":  # quoted (a zero reads as words): the figure shows
            assert re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d])", opening), (heading, term, open_at)
            quoted += 1
    assert quoted > len(rows) / 2
    for key in numbers:  # the deal sheet's key numbers are term-sheet rows, value for value
        title = plain(key[0]).removesuffix(" *")
        assert (plain(key[1]), plain(key[3])) in {(plain(row[3]), plain(row[5])) for row in rows if plain(row[0]).removesuffix(" *") == title}


def test_no_position_or_talking_point_types_a_figure_a_term_holds():
    """Summaries and talking points quote term values through the term (so a rule that moves the value moves
    the text); a literal figure equal to the term's value for that position is a typed-in copy."""
    import dealbook

    playbook = dealbook.load_playbook("itam")
    typed = []
    for item in playbook.items:
        positions = [(item.positions.preferred, "target"), *((position, "fallback") for position in item.positions.fallbacks),
                     (item.positions.walk_away, "walk_away")]
        for term in (playbook.terms_by_id[term_id] for term_id in item.terms):
            prose = [(position.summary, (getattr(term, field),)) for position, field in positions]
            prose += [(point, (term.target, term.fallback, term.walk_away)) for point in item.talking_points]
            for text, values in prose:
                if f"terms.{term.id}" in text:
                    continue
                typed += [(item.id, term.id, value) for value in values if _states(text, term, value)]
    assert typed == []


_WORDS = {6: "six", 12: "twelve", 30: "thirty", 45: "forty-five", 60: "sixty", 90: "ninety"}


def _states(text: str, term, value: float) -> bool:
    """Whether ``text`` states ``value`` in the term's unit as a literal (digits or a common word), not as a rate."""
    number = f"{value:g}"
    spelled = [re.escape(number)] + ([_WORDS[int(value)]] if value in _WORDS else [])
    unit = r"\s?(?:%|percent)" if term.unit.startswith("%") else r"(?:\s*\(\d+\))?[\s-]+" + re.escape(term.unit.split()[0].rstrip("s")) + r"s?\b"
    literal = re.sub(r"\{\{.*?\}\}", "", text)
    return any(re.search(rf"(?<![\d.{{])(?<!per )(?:{word}){unit}", literal, re.I) for word in spelled)


def test_html_is_self_contained_escaped_and_lang_tagged(pack):
    page = pack.text("briefing-pack.html")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "http://" not in page and "https://" not in page and "<script" not in page and "<link" not in page
    assert page.count('class="task"') == len(pack.evaluation.items) + len(pack.evaluation.approvals)
    assert "@page" in page and "counter(pages)" in page
    assert '<th scope="col">' in page and '<th scope="row">' in page
    assert page.count('<svg class="bar"') == len(pack.view.key_terms)

"""The Markdown -> Word writer: the .docx reopens with python-docx and matches its Markdown."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from dealbook.errors import DealbookError, InputFileError
from dealbook.renderers.docx import DocumentProperties, markdown_to_docx
from dealbook.renderers.docx.furniture import TOC_PLACEHOLDER
from dealbook.renderers.docx.styles import STYLE_SPECS
from dealbook.renderers.docx.writer import TOC_MARKER
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from markdown_it import MarkdownIt

W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
REFERENCE = Path(__file__).parents[2] / "renderers" / "assets" / "reference.docx"

PACK = """\
# Briefing pack — Customer engagement platform

Negotiation with **Northwind** on *renewal* terms, see `clause 7`
and [the policy](https://intranet.example/itam?x=1&y=2). A soft break\\
then a hard break.

## Checklist

- [ ] Confirm the licence metric
- [x] Agree the **audit** notice period
  - because: deployment is saas
    - nested twice
- plain item

1. first step
2. second step

Then, in a new list:

3. third list starts at three
4. and goes on

### Term sheet

| Term | Unit | Target | Walk-away |
|:-----|:----:|-------:|-----------|
| Price increase cap | % | 3 | 7 |
| Service credits | % of fees | 10 | 5 |

#### Preferred clause

> The Supplier shall not increase the Charges by more than 3% in any Contract Year.

```
line one
	indented line
```
"""


def convert(markdown: str, **options) -> docx.document.Document:
    """Markdown -> .docx bytes -> a python-docx Document, as Word would open it."""
    return docx.Document(io.BytesIO(markdown_to_docx(markdown, **options)))


def part_xml(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def styled(document, style_name: str) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs if paragraph.style.name == style_name]


def full_text(paragraph) -> str:
    """A paragraph's text including its checkbox content control's box, tabs as tab characters."""
    return "".join("\t" if node.tag == qn("w:tab") else node.text or "" for node in paragraph._p.iter(qn("w:t"), qn("w:tab")))


def numbering(paragraph) -> tuple[int, int] | None:
    """(ilvl, numId) of a list paragraph, None for other paragraphs."""
    level = paragraph._p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
    number = paragraph._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    return (int(level[0]), int(number[0])) if level else None


@pytest.fixture(scope="module")
def pack() -> docx.document.Document:
    return convert(PACK)


def test_headings_keep_their_levels(pack):
    headings = [(paragraph.style.name, paragraph.text) for paragraph in pack.paragraphs
                if paragraph.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Briefing pack — Customer engagement platform"),
        ("Heading 2", "Checklist"),
        ("Heading 3", "Term sheet"),
        ("Heading 4", "Preferred clause"),
    ]


def test_headings_match_what_markdown_it_parses():
    tokens = MarkdownIt("commonmark").parse(PACK)
    expected = [int(token.tag[1]) for token in tokens if token.type == "heading_open"]
    found = [int(paragraph.style.name[-1]) for paragraph in convert(PACK).paragraphs
             if paragraph.style.name.startswith("Heading")]
    assert found == expected


def test_inline_formatting_becomes_runs(pack):
    paragraph = next(p for p in pack.paragraphs if p.text.startswith("Negotiation with"))
    runs = {run.text: run for run in paragraph.runs}
    assert runs["Northwind"].bold and not runs["Northwind"].italic
    assert runs["renewal"].italic and not runs["renewal"].bold
    assert runs["clause 7"].style.name == "Verbatim Char"
    assert "A soft break" in paragraph.text  # a soft break is a space
    assert paragraph._p.xpath(".//w:br"), "the hard break became a line break"


def test_links_are_real_hyperlinks_with_their_target(pack):
    paragraph = next(p for p in pack.paragraphs if p.text.startswith("Negotiation with"))
    links = paragraph._p.xpath("./w:hyperlink")
    assert len(links) == 1
    assert "".join(links[0].xpath(".//w:t/text()")) == "the policy"
    relationship = pack.part.rels[links[0].get(qn("r:id"))]
    assert relationship.is_external
    assert relationship.target_ref == "https://intranet.example/itam?x=1&y=2"
    assert links[0].xpath("./w:r/w:rPr/w:rStyle/@w:val") == [pack.styles["Hyperlink"].style_id]


def test_task_items_start_with_a_checkbox_and_stay_list_paragraphs(pack):
    tasks = [p for p in pack.paragraphs if full_text(p).startswith(("\u2610", "\u2612"))]
    assert [full_text(p) for p in tasks] == ["\u2610 Confirm the licence metric", "\u2612 Agree the audit notice period"]
    assert all(numbering(p) is not None and numbering(p)[0] == 0 for p in tasks)
    checked = [p._p.xpath("./w:sdt/w:sdtPr/w14:checkbox/w14:checked/@w14:val") for p in tasks]
    assert checked == [["0"], ["1"]], "each box is a checkbox content control, ticked as in the Markdown"
    assert not any("[ ]" in p.text or "[x]" in p.text for p in pack.paragraphs)


def test_nested_items_use_deeper_levels_and_their_own_list(pack):
    by_text = {p.text: numbering(p) for p in pack.paragraphs if numbering(p)}
    top, nested, twice = by_text["plain item"], by_text["because: deployment is saas"], by_text["nested twice"]
    assert (top[0], nested[0], twice[0]) == (0, 1, 2)
    assert len({top[1], nested[1], twice[1]}) == 3, "each Markdown list is its own w:num"
    assert by_text[" Confirm the licence metric"][1] == top[1], "items of one list share it"


def test_numbering_restarts_per_list_with_a_start_override(pack):
    by_text = {p.text: numbering(p) for p in pack.paragraphs if numbering(p)}
    first, second = by_text["first step"][1], by_text["third list starts at three"][1]
    assert by_text["second step"][1] == first and by_text["and goes on"][1] == second
    assert first != second
    numbering_xml = pack.part.numbering_part.element
    starts = {int(num.get(qn("w:numId"))): num.xpath("./w:lvlOverride/w:startOverride/@w:val")
              for num in numbering_xml.xpath("./w:num")}
    assert starts[first] == ["1"] and starts[second] == ["3"]


def test_lists_share_one_multi_level_definition_per_kind(pack):
    numbering_xml = pack.part.numbering_part.element
    definitions = {num.get(qn("w:numId")): num.xpath("./w:abstractNumId/@w:val")[0]
                   for num in numbering_xml.xpath("./w:num")}
    by_text = {p.text: numbering(p) for p in pack.paragraphs if numbering(p)}
    bullet_items = ("plain item", "because: deployment is saas", "nested twice")
    bullets = {definitions[str(by_text[text][1])] for text in bullet_items}
    ordered = {definitions[str(by_text[text][1])] for text in ("first step", "third list starts at three")}
    assert len(bullets) == 1 and len(ordered) == 1 and bullets != ordered
    for abstract_id, expected in ((bullets.pop(), "bullet"), (ordered.pop(), "decimal")):
        abstract = numbering_xml.xpath(f"./w:abstractNum[@w:abstractNumId='{abstract_id}']")[0]
        assert len(abstract.xpath("./w:lvl", namespaces=W)) == 9
        assert abstract.xpath("./w:multiLevelType/@w:val", namespaces=W) == ["multilevel"]
        assert abstract.xpath("./w:lvl[@w:ilvl='0']/w:numFmt/@w:val", namespaces=W) == [expected]


def test_tables_keep_cells_columns_and_widths(pack):
    assert len(pack.tables) == 1
    table = pack.tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Term", "Unit", "Target", "Walk-away"],
        ["Price increase cap", "%", "3", "7"],
        ["Service credits", "% of fees", "10", "5"],
    ]
    assert table.style.name == "Briefing Table"
    grid = [int(width) for width in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert len(grid) == 4
    section = pack.sections[-1]
    assert sum(grid) == (section.page_width - section.left_margin - section.right_margin) // 635  # EMU -> twips
    for row in table._tbl.xpath("./w:tr"):
        assert [int(width) for width in row.xpath("./w:tc/w:tcPr/w:tcW/@w:w")] == grid
    assert grid[0] > grid[1], "the long 'Term' column is wider than the 'Unit' column"
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader") and not table.rows[1]._tr.xpath("./w:trPr/w:tblHeader")
    alignments = [cell.paragraphs[0].alignment for cell in table.rows[1].cells]
    assert [str(alignment) for alignment in alignments[1:3]] == ["CENTER (1)", "RIGHT (2)"]


@pytest.mark.parametrize("columns", [1, 3, 7, 20], ids=["one", "three", "seven", "twenty"])
def test_column_widths_fill_the_text_width_whatever_the_column_count(columns):
    header = "| " + " | ".join(f"Column {n} {'x' * (n * 7 % 23)}" for n in range(columns)) + " |"
    markdown = "\n".join([header, "|" + "---|" * columns, "| " + " | ".join("v" for _ in range(columns)) + " |"])
    document = convert(markdown + "\n")
    table = document.tables[0]
    grid = [int(width) for width in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    section = document.sections[-1]
    text_width = (section.page_width - section.left_margin - section.right_margin) // 635
    assert len(grid) == len(table.columns) == columns
    assert sum(grid) == text_width
    assert min(grid) >= min(720, text_width // columns)
    assert [int(width) for width in table.rows[1]._tr.xpath("./w:tc/w:tcPr/w:tcW/@w:w")] == grid


def test_clause_quotes_are_in_the_clause_style_with_their_exact_text(pack):
    assert styled(pack, "Clause") == [
        "The Supplier shall not increase the Charges by more than 3% in any Contract Year."]
    clause = pack.styles["Clause"]
    assert clause.font.italic is not True, "clause text is plain, to copy into a contract"


def test_code_blocks_are_monospace_and_keep_their_lines(pack):
    code = next(p for p in pack.paragraphs if p.style.name == "Source Code")
    assert code.text == "line one\n\tindented line"
    assert pack.styles["Source Code"].font.name == "Consolas"


def test_page_numbers_in_the_footer_and_no_contents_unless_asked(pack):
    body = part_xml(markdown_to_docx(PACK), "word/document.xml").decode()
    assert "TOC \\o" not in body
    footer = pack.sections[-1].footer
    assert not footer.is_linked_to_previous
    assert footer._element.xpath(".//w:instrText[contains(., 'PAGE')]")
    assert "Page" in footer.paragraphs[-1].text


def test_toc_marker_places_an_empty_contents_field():
    data = markdown_to_docx(f"# Title\n\nIntro.\n\n{TOC_MARKER}\n\n## Part\n")
    document = docx.Document(io.BytesIO(data))
    assert [p.style.name for p in document.paragraphs][:4] == ["Heading 1", "Body Text", "TOC Heading", "Body Text"]
    assert TOC_MARKER not in "".join(p.text for p in document.paragraphs)
    body = part_xml(data, "word/document.xml").decode()
    assert 'TOC \\o "1-3" \\h \\z \\u' in body and TOC_PLACEHOLDER in body


def test_a_contents_list_becomes_a_contents_field_with_its_entries_written_out():
    markdown = ("# Title\n\n## Contents\n\n- [Part one](#part-one)\n  - [A detail](#a-detail)\n- [Part two](#part-two)\n\n"
                "## Part one\n\n### A detail\n\n## Part two\n\nText.\n")
    data = markdown_to_docx(markdown)
    document = docx.Document(io.BytesIO(data))
    entries = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("toc")]
    assert entries == [("toc 2", "Part one\t"), ("toc 3", "A detail\t"), ("toc 2", "Part two\t")]
    body = part_xml(data, "word/document.xml").decode()
    assert 'TOC \\o "2-3" \\h \\z \\u' in body and body.count("PAGEREF h_") == 3
    anchors = {link.get(qn("w:anchor")) for link in document.element.body.iter(qn("w:hyperlink"))}
    bookmarks = {mark.get(qn("w:name")) for mark in document.element.body.iter(qn("w:bookmarkStart"))}
    assert anchors == {"h_part_one", "h_a_detail", "h_part_two"} and anchors <= bookmarks
    assert "Contents" not in [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def test_loose_item_continuation_paragraphs_are_indented_not_numbered():
    document = convert("- first paragraph\n\n  second paragraph\n- next\n")
    first, second, following = (p for p in document.paragraphs if p.style.name == "List Paragraph")
    assert numbering(first) is not None and numbering(second) is None and numbering(following) is not None
    assert second.paragraph_format.left_indent is not None and second.paragraph_format.left_indent > 0


def test_document_properties_are_the_deals():
    properties = DocumentProperties(title="Briefing pack — CRM", subject="Negotiation with Northwind",
                                    author="A. Negotiator", keywords="dealbook; itam 1.0", created="2026-03-31")
    data = markdown_to_docx(PACK, properties=properties)
    core = docx.Document(io.BytesIO(data)).core_properties
    assert (core.title, core.subject, core.author, core.keywords) == (
        "Briefing pack — CRM", "Negotiation with Northwind", "A. Negotiator", "dealbook; itam 1.0")
    assert core.created.isoformat() == core.modified.isoformat() == "2026-03-31T00:00:00+00:00"
    assert core.revision == 1 and core.last_modified_by == "A. Negotiator"
    xml = part_xml(data, "docProps/core.xml").decode()
    assert "python-docx" not in xml and "2013" not in xml
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(2026, 3, 31)}


def test_without_properties_the_title_is_the_first_heading():
    core = convert(PACK).core_properties
    assert core.title == "Briefing pack — Customer engagement platform"
    assert core.author == "" and core.created is None and core.comments == ""


@pytest.mark.parametrize("created", ["31/03/2026", "2026-02-30", "2026-3-1", "soon"],
                         ids=["day-first", "no-such-day", "unpadded", "words"])
def test_a_date_that_is_not_iso_is_a_clear_error(created):
    with pytest.raises(DealbookError, match="is not a date like"):
        DocumentProperties(title="T", created=created)


HOSTILE = [
    ("pipes", "Acme | Evil || Corp"),
    ("asterisks", "**not bold** *nor italic* _x_"),
    ("html", "<script>alert(1)</script> <b>bold</b> &amp; &lt;"),
    ("xml-injection", '</w:t></w:r><w:r><w:t>injected "quoted"'),
    ("control-characters", "Acme\x00\x01\x0b\x0c\x1f\ufffe Corp"),
    ("heading-and-backticks", "# not a heading ``code`` `tick"),
]


@pytest.mark.parametrize("name, vendor", HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_text_stays_text(name, vendor):
    escaped = vendor.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_").replace("<", "\\<") \
        .replace("&", "\\&").replace("#", "\\#").replace("`", "\\`")
    markdown = (f"# Deal with {escaped}\n\nVendor: {escaped}\n\n| Vendor | Value |\n|---|---|\n| {escaped} | 1 |\n\n"
                f"> {escaped}\n\n- [ ] {escaped}\n\n<div>{escaped}</div>\n")
    data = markdown_to_docx(markdown, properties=DocumentProperties(title=vendor, author=vendor))
    document = docx.Document(io.BytesIO(data))
    visible = vendor.translate({code: None for code in (0, 1, 0x0B, 0x0C, 0x1F, 0xFFFE)})
    assert document.paragraphs[0].text == f"Deal with {visible}"
    assert f"Vendor: {visible}" in [p.text for p in document.paragraphs]
    assert [cell.text for cell in document.tables[0].rows[1].cells] == [visible, "1"]
    assert styled(document, "Clause") == [visible]
    assert f"\u2610\t{visible}" in [full_text(p) for p in document.paragraphs]
    assert f"<div>{visible}</div>" in [p.text for p in document.paragraphs], "raw HTML is shown as text"
    assert document.core_properties.title == visible
    body = part_xml(data, "word/document.xml").decode()
    assert "<script>" not in body and "<w:t>injected" not in body


def test_script_links_stay_text_and_images_are_never_fetched():
    document = convert("[click](javascript:alert(1)) ![logo](http://tracker.example/pixel.png)\n")
    paragraph = next(p for p in document.paragraphs if p.text.startswith("[click]"))
    assert paragraph.text == "[click](javascript:alert(1)) logo"
    assert not paragraph._p.xpath(".//w:hyperlink") and not paragraph._p.xpath(".//w:drawing")
    assert not [rel for rel in document.part.rels.values() if rel.is_external]


def test_the_same_markdown_gives_the_same_file():
    properties = DocumentProperties(title="T", created="2026-03-31")
    first, second = (markdown_to_docx(PACK, properties=properties) for _ in range(2))
    assert part_xml(first, "word/document.xml") == part_xml(second, "word/document.xml")
    assert first == second


def test_a_reference_lacking_the_writers_styles_gets_them_added(tmp_path):
    plain = docx.Document()  # python-docx's own template: no Clause, Source Code or Briefing Table style
    names = {style.name for style in plain.styles}
    assert {"Clause", "Source Code", "Briefing Table"}.isdisjoint(names)
    plain.add_paragraph("reference body text that must not survive")
    reference = tmp_path / "corporate.docx"
    plain.save(reference)
    document = convert(PACK, reference=reference)
    assert styled(document, "Clause") == [
        "The Supplier shall not increase the Charges by more than 3% in any Contract Year."]
    assert document.styles["Clause"].type == WD_STYLE_TYPE.PARAGRAPH
    assert document.tables[0].style.name == "Briefing Table"
    assert "reference body text that must not survive" not in [p.text for p in document.paragraphs]
    section = document.sections[-1]
    assert section.page_width == plain.sections[-1].page_width, "the reference's page setup is kept"
    assert document.core_properties.author != "python-docx"


def test_a_reference_keeps_its_own_styles_found_by_name_not_id(tmp_path):
    reference = docx.Document(io.BytesIO(REFERENCE.read_bytes()))
    heading = reference.styles["Heading 1"]
    heading.element.set(qn("w:styleId"), "Ueberschrift1")  # as a German Word names it
    heading.font.size = docx.shared.Pt(30)
    path = tmp_path / "german.docx"
    reference.save(path)
    document = convert("# Titel\n\nText.\n", reference=path)
    assert document.paragraphs[0]._p.xpath("./w:pPr/w:pStyle/@w:val") == ["Ueberschrift1"]
    assert document.paragraphs[0].style.font.size == docx.shared.Pt(30)
    assert sum(style.name == "Heading 1" for style in document.styles) == 1, "nothing duplicated"


def test_a_reference_footer_with_page_numbers_is_kept(tmp_path):
    reference = docx.Document(io.BytesIO(REFERENCE.read_bytes()))
    footer = reference.sections[-1].footer
    footer.is_linked_to_previous = False
    footer.paragraphs[0].text = "Contoso confidential"
    run = footer.paragraphs[0].add_run()
    for xml in ('<w:fldChar {ns} w:fldCharType="begin"/>', '<w:instrText {ns}> PAGE </w:instrText>',
                '<w:fldChar {ns} w:fldCharType="end"/>'):
        run._r.append(parse_xml(xml.format(ns=nsdecls("w"))))
    path = tmp_path / "footer.docx"
    reference.save(path)
    document = convert(PACK, reference=path)
    texts = [p.text for p in document.sections[-1].footer.paragraphs]
    assert texts == ["Contoso confidential"]


@pytest.mark.parametrize("content, message", [
    (None, "reference document not found"),
    (b"not a zip", "not a Word document"),
    ("xlsx", "not a usable Word document"),
], ids=["missing", "not-a-zip", "wrong-office-type"])
def test_a_bad_reference_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "reference.docx"
    if content == "xlsx":
        data = io.BytesIO(REFERENCE.read_bytes())
        with zipfile.ZipFile(data) as source, zipfile.ZipFile(path, "w") as target:
            for info in source.infolist():
                blob = source.read(info)
                if info.filename == "[Content_Types].xml":
                    blob = blob.replace(b"wordprocessingml.document.main", b"spreadsheetml.sheet.main")
                target.writestr(info, blob)
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(InputFileError, match=message) as raised:
        markdown_to_docx("# T\n", reference=path)
    assert str(raised.value).startswith(str(path))


def test_the_bundled_reference_has_every_style_the_writer_uses():
    document = docx.Document(io.BytesIO(REFERENCE.read_bytes()))
    available = {(style.type, style.name.lower()) for style in document.styles}
    kinds = {"paragraph": WD_STYLE_TYPE.PARAGRAPH, "character": WD_STYLE_TYPE.CHARACTER, "table": WD_STYLE_TYPE.TABLE}
    missing = [spec.name for spec in STYLE_SPECS if (kinds[spec.kind], spec.name.lower()) not in available]
    assert missing == []
    assert document.paragraphs == [] and document.core_properties.author == ""


def test_the_bundled_reference_is_what_make_reference_builds():
    sys.path.insert(0, str(REFERENCE.parent))
    try:
        import make_reference
    finally:
        sys.path.remove(str(REFERENCE.parent))
    built = make_reference.build()
    for name in ("word/styles.xml", "word/numbering.xml", "word/document.xml"):
        assert part_xml(built, name) == part_xml(REFERENCE.read_bytes(), name), f"{name}: rerun make_reference.py"


def test_the_engine_does_not_import_the_word_writer():
    code = ("import sys, dealbook, dealbook.renderers; "
            "print(sorted(m for m in ('docx', 'dealbook.renderers.docx.writer') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _list_format(document, paragraph) -> str:
    level, num_id = numbering(paragraph)
    numbering_xml = document.part.numbering_part.element
    (abstract,) = numbering_xml.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
    (number_format,) = numbering_xml.xpath(f'./w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="{level}"]/w:numFmt/@w:val')
    return number_format


def test_a_pure_task_list_shows_its_boxes_without_bullets_and_a_mixed_list_keeps_them(pack):
    document = convert("- [ ] first task\n- [x] second task\n\nText.\n\n- plain\n- [ ] mixed task\n")
    by_text = {full_text(p): p for p in document.paragraphs}
    assert _list_format(document, by_text["\u2610\tfirst task"]) == "none"
    assert _list_format(document, by_text["\u2612\tsecond task"]) == "none"
    assert numbering(by_text["\u2610\tfirst task"])[1] == numbering(by_text["\u2612\tsecond task"])[1]
    assert _list_format(document, by_text["plain"]) == "bullet"
    assert _list_format(document, by_text["\u2610 mixed task"]) == "bullet"


def test_a_reference_whose_root_declares_only_w_and_r_gets_a_body_that_declares_the_rest(tmp_path):
    """The body is spliced in as text only under a root declaring its prefixes; other references get it through lxml."""
    source = io.BytesIO()
    docx.Document().save(source)
    reference = tmp_path / "minimal.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(reference, "w") as out:
        for entry in original.infolist():
            data = original.read(entry)
            if entry.filename == "word/document.xml":
                data = (f'<w:document {nsdecls("w", "r")}><w:body><w:p/><w:sectPr/></w:body></w:document>').encode()
            out.writestr(entry, data)
    assert "w14" not in docx.Document(str(reference)).element.nsmap
    document = convert(PACK, reference=reference)
    assert styled(document, "Clause") == [
        "The Supplier shall not increase the Charges by more than 3% in any Contract Year."]
    assert any(paragraph.text.strip() for paragraph in document.paragraphs)

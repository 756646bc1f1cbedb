"""Markdown to Word: the briefing pack as a .docx that opens cleanly in Word and LibreOffice.

The Markdown the templates produce (CommonMark with GFM tables and task
lists) is parsed once by markdown-it-py. The writer walks the tokens and
writes the body's WordprocessingML, stamping style ids resolved once per
document (:mod:`.styles`) and list numbering from one multi-level
definition per kind of list (:mod:`.numbering`); :mod:`.package` opens the
reference and saves the result, python-docx carrying the parts: styles,
numbering and hyperlink relationships, footer, properties.

The body is written as text and parsed once by lxml, which is several times
faster than building it element by element. Every piece of document text
goes through :func:`_escape`, which also drops the characters XML cannot
hold, so no input can produce an invalid file. Raw HTML is off: text stays
text. The same input gives byte-identical output.

Styles, page setup, header and footer come from a reference document — the
bundled ``assets/reference.docx`` or an organisation's own, as with pandoc's
``--reference-doc``; its body is discarded.

This module imports python-docx and markdown-it-py; the rest of dealbook
imports it only when Word output is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ..tokens import NOT_XML, parse
from .numbering import LEVELS, ListNumbering, text_indent
from .package import DocumentProperties, open_reference, package_bytes, set_properties
from .styles import StyleSheet, add_page_numbers, clear_body, resolve_styles, table_of_contents, text_width

__all__ = ["markdown_to_docx", "TOC_MARKER"]

#: A paragraph holding only this text marks where the table of contents goes.
TOC_MARKER = "[TOC]"
_MIN_COLUMN = 720  # twips: half an inch
_QUOTE = {'"': "&quot;"}
#: A task item's box at the start of its paragraph: ☐ open, ☒ ticked.
_TASK_BOXES = {False: "\u2610 ", True: "\u2612 "}
_ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}
_RULE = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'


def markdown_to_docx(markdown: str, *, reference: Path | None = None,
                     properties: DocumentProperties | None = None) -> bytes:
    """Convert Markdown (CommonMark, GFM tables and task lists) to the bytes of a .docx file.

    ``reference`` is a Word document whose styles, page setup, header and
    footer are used (default: the bundled one); styles it lacks are added.
    ``properties`` fill the document properties; without them the title is
    the first heading.
    """
    tokens = parse(markdown)  # shared with the HTML writer; control characters already dropped
    document = open_reference(reference)
    width = text_width(document)
    section_properties = clear_body(document.element.body)
    styles = resolve_styles(document.styles.element)
    writer = _BodyWriter(styles, ListNumbering(document.part), _LinkTargets(document.part), width)
    writer.write(tokens)
    body = parse_xml(writer.body_xml())
    body.append(section_properties)
    document.element.replace(document.element.body, body)
    properties = properties or DocumentProperties(title=writer.first_heading)
    add_page_numbers(document, styles, _escape(properties.title or ""))
    set_properties(document, properties)
    return package_bytes(document, properties.created)


def _escape(text: str) -> str:
    """``text`` made safe as XML character data or a quoted attribute value."""
    return escape(NOT_XML.sub("", text), _QUOTE)


class _LinkTargets:
    """Hyperlink relationship ids, one per distinct target."""

    def __init__(self, part) -> None:
        self._part, self._ids = part, {}

    def __call__(self, url: str) -> str:
        if url not in self._ids:
            self._ids[url] = self._part.relate_to(url, RT.HYPERLINK, is_external=True)
        return self._ids[url]


@dataclass(slots=True)
class _List:
    num_id: int
    level: int
    pending: bool = False  # the current item's first paragraph still has to carry the number


def _all_tasks(tokens, index: int) -> bool:
    """Whether every item of the bullet list opened at ``index`` is a task item."""
    level, found = tokens[index].level, False
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.level == level and token.type == "bullet_list_close":
            return found
        if token.type == "list_item_open" and token.level == level + 1:
            if "task" not in token.meta:
                return False
            found = True
    return found


class _BodyWriter:
    """Walks markdown-it block tokens and writes the body's XML."""

    def __init__(self, styles: StyleSheet, numbering: ListNumbering, links: _LinkTargets, width: int) -> None:
        self.styles, self.numbering, self.links, self.width = styles, numbering, links, width
        self.out: list[str] = []
        self.lists: list[_List] = []
        self.quotes = 0
        self.first_heading = ""
        # where the table of contents goes: at a [TOC] marker, else after a leading title, else first
        self.contents_at: int | None = None
        self.contents_marked = False

    def write(self, tokens) -> None:
        """Write every block of the token stream."""
        index, end = 0, len(tokens)
        while index < end:
            handler = _BLOCKS.get(tokens[index].type)
            index = handler(self, tokens, index) if handler else index + 1

    def body_xml(self) -> str:
        """The ``w:body`` element (without section properties), table of contents included."""
        self.out.insert(self.contents_at or 0, table_of_contents(self.styles))
        return f'<w:body {nsdecls("w", "r")}>{"".join(self.out)}</w:body>'

    # --- blocks -----------------------------------------------------------

    def heading(self, tokens, index: int) -> int:
        self.number_pending_item()
        level = int(tokens[index].tag[1:])
        children = tokens[index + 1].children or []
        is_title = level == 1 and not self.out
        self.paragraph(self.styles.heading(level), children)
        if not self.first_heading:
            self.first_heading = "".join(child.content for child in children if child.type in ("text", "code_inline"))
        if is_title and not self.contents_marked:
            self.contents_at = len(self.out)
        return index + 3

    def text_paragraph(self, tokens, index: int) -> int:
        inline = tokens[index + 1]
        children, extra = inline.children or [], ""
        if inline.content.strip() == TOC_MARKER and not self.lists and not self.contents_marked:
            self.contents_at, self.contents_marked = len(self.out), True
            return index + 3
        if self.lists and self.lists[-1].pending:
            style, extra = self.styles.list_item, self.number(self.lists[-1])
        elif self.lists:
            style, extra = self.styles.list_item, f'<w:ind w:left="{text_indent(self.lists[-1].level)}"/>'
        else:
            style = self.styles.clause if self.quotes else self.styles.body
        self.paragraph(style, children, extra)
        return index + 3

    def list_open(self, tokens, index: int) -> int:
        self.number_pending_item()
        token = tokens[index]
        ordered = token.type == "ordered_list_open"
        kind = "ordered" if ordered else "task" if _all_tasks(tokens, index) else "bullet"
        level = min(len(self.lists), LEVELS - 1)
        start = int(token.attrGet("start") or 1) if ordered else 1
        self.lists.append(_List(self.numbering.start_list(kind=kind, level=level, start=start), level))
        return index + 1

    def list_close(self, tokens, index: int) -> int:
        self.lists.pop()
        return index + 1

    def item_open(self, tokens, index: int) -> int:
        self.lists[-1].pending = True
        return index + 1

    def item_close(self, tokens, index: int) -> int:
        self.number_pending_item()
        return index + 1

    def quote_open(self, tokens, index: int) -> int:
        self.number_pending_item()
        self.quotes += 1
        return index + 1

    def quote_close(self, tokens, index: int) -> int:
        self.quotes -= 1
        return index + 1

    def code(self, tokens, index: int) -> int:
        self.number_pending_item()
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.styles.code}"/></w:pPr>'
                        f'{_run(tokens[index].content.removesuffix(chr(10)))}</w:p>')
        return index + 1

    def rule(self, tokens, index: int) -> int:
        self.number_pending_item()
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.styles.body}"/>{_RULE}</w:pPr></w:p>')
        return index + 1

    def table(self, tokens, index: int) -> int:
        self.number_pending_item()
        rows, index = _table_rows(tokens, index)
        if rows:
            self.write_table(rows)
        return index

    # --- building blocks --------------------------------------------------

    def paragraph(self, style_id: str, children, properties: str = "") -> None:
        """A paragraph in ``style_id`` holding the inline tokens ``children``."""
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{properties}</w:pPr>')
        _Inline(self, self.out).write(children)
        self.out.append("</w:p>")

    def number(self, item: _List) -> str:
        """The numbering properties of ``item``'s first paragraph."""
        item.pending = False
        return f'<w:numPr><w:ilvl w:val="{item.level}"/><w:numId w:val="{item.num_id}"/></w:numPr>'

    def number_pending_item(self) -> None:
        """Give a list item that starts with something other than text its numbered (empty) paragraph."""
        if self.lists and self.lists[-1].pending:
            self.paragraph(self.styles.list_item, [], self.number(self.lists[-1]))

    def write_table(self, rows) -> None:
        """A table in the table style, header row repeated on each page, widths on grid and cells."""
        count = max(len(cells) for _, cells in rows)
        longest = [max((_plain_length(cells[column][1]) for _, cells in rows if column < len(cells)), default=0)
                   for column in range(count)]
        widths = _column_widths(longest, self.width)
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        self.out.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles.table}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        )
        for header, cells in rows:
            self.out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if header else "<w:tr>")
            for column, width in enumerate(widths):
                align, children = cells[column] if column < len(cells) else ("", [])
                self.out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
                self.paragraph(self.styles.table_text, children, f'<w:jc w:val="{align}"/>' if align else "")
                self.out.append("</w:tc>")
            self.out.append("</w:tr>")
        self.out.append("</w:tbl>")


_BLOCKS = {
    "heading_open": _BodyWriter.heading,
    "paragraph_open": _BodyWriter.text_paragraph,
    "bullet_list_open": _BodyWriter.list_open,
    "ordered_list_open": _BodyWriter.list_open,
    "bullet_list_close": _BodyWriter.list_close,
    "ordered_list_close": _BodyWriter.list_close,
    "list_item_open": _BodyWriter.item_open,
    "list_item_close": _BodyWriter.item_close,
    "blockquote_open": _BodyWriter.quote_open,
    "blockquote_close": _BodyWriter.quote_close,
    "fence": _BodyWriter.code,
    "code_block": _BodyWriter.code,
    "hr": _BodyWriter.rule,
    "table_open": _BodyWriter.table,
}


@dataclass(slots=True)
class _Inline:
    """Runs for one paragraph's inline tokens: emphasis, code, links and breaks.

    Consecutive text in the same formatting becomes one run, so the document
    stays small and copied text comes out whole.
    """

    writer: _BodyWriter
    out: list[str]
    bold: int = 0
    italic: int = 0
    char_style: str = ""
    pending: list[str] = field(default_factory=list)
    pending_format: tuple = ()

    def write(self, children) -> None:
        for token in children:
            handler = _INLINE.get(token.type)
            if handler:
                handler(self, token)
            elif token.content:  # anything unexpected stays visible as plain text
                self.add(token.content)
        self.flush()

    def add(self, text: str, char_style: str | None = None) -> None:
        """Queue ``text`` in the current formatting (or in ``char_style``)."""
        run_format = (self.bold > 0, self.italic > 0, self.char_style if char_style is None else char_style)
        if run_format != self.pending_format:
            self.flush()
            self.pending_format = run_format
        self.pending.append(text)

    def flush(self) -> None:
        if self.pending:
            self.out.append(_run("".join(self.pending), *self.pending_format))
            self.pending.clear()

    def text(self, token) -> None:
        self.add(token.content)

    def code(self, token) -> None:
        self.add(token.content, self.writer.styles.code_char)

    def image(self, token) -> None:
        # Images are never fetched: the alternative text stands in for them.
        self.add("".join(child.content for child in token.children or []) or token.content)

    def task_box(self, token) -> None:
        self.add(_TASK_BOXES[token.meta["checked"]])

    def soft_break(self, token) -> None:
        self.add(" ")

    def hard_break(self, token) -> None:
        self.flush()
        self.out.append("<w:r><w:br/></w:r>")

    def emphasis(self, token) -> None:
        if token.type.startswith("strong"):
            self.bold += token.nesting
        else:
            self.italic += token.nesting

    def link_open(self, token) -> None:
        self.flush()
        href, title = str(token.attrGet("href") or ""), str(token.attrGet("title") or "")
        target = f'w:anchor="{_escape(href[1:])}"' if href.startswith("#") else f'r:id="{self.writer.links(href)}"'
        tooltip = f' w:tooltip="{_escape(title)}"' if title else ""
        self.out.append(f"<w:hyperlink {target}{tooltip} w:history=\"1\">")
        self.char_style = self.writer.styles.link_char

    def link_close(self, token) -> None:
        self.flush()
        self.out.append("</w:hyperlink>")
        self.char_style = ""


_INLINE = {
    "text": _Inline.text,
    "code_inline": _Inline.code,
    "image": _Inline.image,
    "task_box": _Inline.task_box,
    "softbreak": _Inline.soft_break,
    "hardbreak": _Inline.hard_break,
    "strong_open": _Inline.emphasis,
    "strong_close": _Inline.emphasis,
    "em_open": _Inline.emphasis,
    "em_close": _Inline.emphasis,
    "link_open": _Inline.link_open,
    "link_close": _Inline.link_close,
}


def _run(text: str, bold: bool = False, italic: bool = False, char_style: str = "") -> str:
    """A run holding ``text``; tabs and line breaks become Word's own elements."""
    properties = ""
    if bold or italic or char_style:
        properties = "".join((f'<w:rStyle w:val="{char_style}"/>' if char_style else "",
                              "<w:b/>" if bold else "", "<w:i/>" if italic else ""))
        properties = f"<w:rPr>{properties}</w:rPr>"
    if "\t" not in text and "\n" not in text:
        return f"<w:r>{properties}{_text(text)}</w:r>"
    lines = ("<w:tab/>".join(_text(piece) for piece in line.split("\t")) for line in text.split("\n"))
    return f"<w:r>{properties}{'<w:br/>'.join(lines)}</w:r>"


def _text(text: str) -> str:
    if not text:
        return ""
    if text[0].isspace() or text[-1].isspace():
        return f'<w:t xml:space="preserve">{_escape(text)}</w:t>'
    return f"<w:t>{_escape(text)}</w:t>"


def _table_rows(tokens: list[Any], index: int) -> tuple[list[tuple[bool, list[tuple[str, Any]]]], int]:
    """The rows of the table starting at ``index``: ``[(is_header, [(align, inline children)])]``."""
    rows, row, header = [], [], False
    index += 1
    while index < len(tokens) and tokens[index].type != "table_close":
        token = tokens[index]
        if token.type in ("thead_open", "tbody_open"):
            header = token.type == "thead_open"
        elif token.type == "tr_open":
            row = []
            rows.append((header, row))
        elif token.type in ("th_open", "td_open"):
            row.append((_ALIGN.get(str(token.attrGet("style") or ""), ""), tokens[index + 1].children or []))
            index += 2
        index += 1
    return rows, index + 1


def _plain_length(children) -> int:
    return sum(len(child.content) for child in children if child.type in ("text", "code_inline"))


def _column_widths(longest: list[int], total: int) -> list[int]:
    """Share ``total`` twips among columns by their longest text, none narrower than half an inch."""
    weights = [min(max(length, 4), 40) for length in longest]
    minimum = min(_MIN_COLUMN, total // len(weights))
    spare = total - minimum * len(weights)
    widths = [minimum + spare * weight // sum(weights) for weight in weights]
    widths[-1] += total - sum(widths)
    return widths

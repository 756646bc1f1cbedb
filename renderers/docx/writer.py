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
goes through :func:`~.runs.escape_text`, which also drops the characters XML cannot
hold, so no input can produce an invalid file. Raw HTML is off: text stays
text. The same input gives byte-identical output.

Styles, page setup, header and footer come from a reference document — the
bundled ``assets/reference.docx`` or an organisation's own, as with pandoc's
``--reference-doc``; its body is discarded.

This module imports python-docx and markdown-it-py; the rest of dealbook
imports it only when Word output is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, nsmap
from lxml import etree

from ..anchors import bookmark
from ..tokens import parse
from .furniture import W14, add_header_and_footer, contents_field, table_of_contents
from .numbering import LEVELS, ListNumbering, text_indent
from .package import DocumentProperties, open_reference, package_bytes, set_properties
from .runs import Inline, escape_text, run
from .styles import StyleSheet, clear_body, resolve_styles, text_width

__all__ = ["CONTENTS_HEADING", "TOC_MARKER", "markdown_to_docx", "tokens_to_docx"]

#: A paragraph holding only this text marks where an (empty) table of contents field goes.
TOC_MARKER = "[TOC]"
#: A heading with this text followed by a list of links is the document's contents: it becomes a
#: contents field with the list's entries written out, reaching as deep as the list does.
CONTENTS_HEADING = "Contents"
_MIN_COLUMN = 720  # twips: half an inch
_ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}
_SUBCLAUSE_INDENT = 425  # twips: the hanging indent of an (a)/(b) sub-clause inside the Clause style's own


def markdown_to_docx(markdown: str, *, reference: Path | None = None,
                     properties: DocumentProperties | None = None, header: str = "") -> bytes:
    """Convert Markdown (CommonMark, GFM tables and task lists) to the bytes of a .docx file.

    ``reference`` is a Word document whose styles, page setup, header and
    footer are used (default: the bundled one); styles it lacks are added.
    ``properties`` fill the document properties; without them the title is
    the first heading. ``header`` is a marking for the top of every page.
    """
    return tokens_to_docx(parse(markdown), reference=reference, properties=properties, header=header)


def tokens_to_docx(tokens, *, reference: Path | None = None,
                   properties: DocumentProperties | None = None, header: str = "") -> bytes:
    """:func:`markdown_to_docx` from tokens already parsed (:func:`dealbook.renderers.tokens.parse`)."""
    document = open_reference(reference)
    width = text_width(document)
    section_properties = clear_body(document.element.body)
    styles = resolve_styles(document.styles.element)
    writer = _BodyWriter(styles, ListNumbering(document.part), _LinkTargets(document.part), width)
    writer.write(tokens)
    body, blocks = document.element.body, writer.blocks_xml()
    if _declares(document.element, _BODY_NAMESPACES):
        # The blocks are spliced into the serialised part as text: parsing them into lxml only for python-docx
        # to serialise them again was a fifth of the writing. The root declares every prefix they use.
        body.append(etree.Comment(_BODY_MARK))
    else:  # a reference document that declares other prefixes: let lxml place the declarations
        body.extend(parse_xml(writer.body_xml()))
        blocks = None
    body.append(section_properties)
    properties = properties or DocumentProperties(title=writer.first_heading)
    add_header_and_footer(document, styles, escape_text(properties.title or ""), escape_text(header))
    set_properties(document, properties)
    return package_bytes(document, properties.created, {document.part.partname: (f"<!--{_BODY_MARK}-->", blocks)} if blocks else None)


#: The prefixes the body's XML uses, with their namespaces.
_BODY_NAMESPACES = {"w": nsmap["w"], "r": nsmap["r"], "w14": W14}
_BODY_MARK = "dealbook:body"


def _declares(root, namespaces: dict[str, str]) -> bool:
    return all(root.nsmap.get(prefix) == uri for prefix, uri in namespaces.items())


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
    tasks: bool = False  # every item is a task: the box is the marker, followed by a tab
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
        self.bookmarks = 0
        self.page_break = False  # the next paragraph starts a new page
        self.in_subclause = False
        self.task_tab = False  # the current paragraph is a pure task list's item: box, then a tab

    def write(self, tokens) -> None:
        """Write every block of the token stream."""
        index, end = 0, len(tokens)
        while index < end:
            handler = _BLOCKS.get(tokens[index].type)
            index = handler(self, tokens, index) if handler else index + 1

    def blocks_xml(self) -> str:
        """The body's blocks, in the prefixes ``w``, ``r`` and ``w14`` (without section properties)."""
        return "".join(self.out)

    def body_xml(self) -> str:
        """The blocks as a ``w:body`` element declaring its own prefixes."""
        return f'<w:body {nsdecls("w", "r")} xmlns:w14="{W14}">{self.blocks_xml()}</w:body>'

    # --- blocks -----------------------------------------------------------

    def heading(self, tokens, index: int) -> int:
        self.number_pending_item()
        level = int(tokens[index].tag[1:])
        children = tokens[index + 1].children or []
        text = "".join(child.content for child in children if child.type in ("text", "code_inline"))
        self.first_heading = self.first_heading or text
        after = index + 3
        if text == CONTENTS_HEADING and after < len(tokens) and tokens[after].type == "bullet_list_open":
            return self.contents(tokens, after, level)
        fragment = str(tokens[index].attrGet("id") or "")
        if not fragment:
            self.paragraph(self.styles.heading(level), children)
            return after
        self.bookmarks += 1
        name = bookmark(fragment)
        self.paragraph(self.styles.heading(level), children,
                       start=f'<w:bookmarkStart w:id="{self.bookmarks}" w:name="{name}"/>',
                       end=f'<w:bookmarkEnd w:id="{self.bookmarks}"/>')
        return after

    def contents(self, tokens, index: int, level: int) -> int:
        """The contents list at ``index`` as a contents field with its entries written out."""
        entries, depth, deepest = [], 0, 0
        while True:
            token = tokens[index]
            if token.type in ("bullet_list_open", "bullet_list_close"):
                depth += token.nesting
                if depth == 0:
                    break
            elif token.type == "inline":
                link = next((child for child in token.children or () if child.type == "link_open"), None)
                href = str(link.attrGet("href") or "") if link is not None else ""
                if href.startswith("#"):
                    text = "".join(child.content for child in token.children if child.type in ("text", "code_inline"))
                    entries.append((depth + level - 1, escape_text(text), bookmark(href[1:])))
                    deepest = max(deepest, depth)
            index += 1
        self.out.append(contents_field(self.styles, entries, self.width, f"{level}-{level + deepest - 1}"))
        return index + 1

    def text_paragraph(self, tokens, index: int) -> int:
        inline = tokens[index + 1]
        children, extra = inline.children or [], ""
        if inline.content.strip() == TOC_MARKER and not self.lists:
            self.out.append(table_of_contents(self.styles))
            return index + 3
        if self.lists and self.lists[-1].pending:
            self.task_tab = self.lists[-1].tasks
            style, extra = self.styles.list_item, self.number(self.lists[-1])
        elif self.lists:
            style, extra = self.styles.list_item, f'<w:ind w:left="{text_indent(self.lists[-1].level)}"/>'
        else:
            style = self.styles.clause if self.quotes else self.styles.body
            if self.quotes and tokens[index].meta.get("subclause"):
                extra = f'<w:ind w:left="{2 * _SUBCLAUSE_INDENT}" w:right="{_SUBCLAUSE_INDENT}" w:hanging="{_SUBCLAUSE_INDENT}"/>'
                self.in_subclause = True
        self.paragraph(style, children, extra)
        self.task_tab = self.in_subclause = False
        return index + 3

    def list_open(self, tokens, index: int) -> int:
        self.number_pending_item()
        token = tokens[index]
        ordered = token.type == "ordered_list_open"
        kind = "ordered" if ordered else "task" if _all_tasks(tokens, index) else "bullet"
        level = min(len(self.lists), LEVELS - 1)
        start = int(token.attrGet("start") or 1) if ordered else 1
        self.lists.append(_List(self.numbering.start_list(kind=kind, level=level, start=start), level, kind == "task"))
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
                        f'{run(tokens[index].content.removesuffix(chr(10)))}</w:p>')
        return index + 1

    def rule(self, tokens, index: int) -> int:
        """A thematic break (``---``) starts a new page: the pack's parts begin on their own."""
        self.number_pending_item()
        self.page_break = True
        return index + 1

    def table(self, tokens, index: int) -> int:
        self.number_pending_item()
        rows, index = _table_rows(tokens, index)
        if rows:
            if self.page_break:  # a table cannot start a page itself
                self.out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
                self.page_break = False
            self.write_table(rows)
        return index

    # --- building blocks --------------------------------------------------

    def paragraph(self, style_id: str, children, properties: str = "", start: str = "", end: str = "") -> None:
        """A paragraph in ``style_id`` holding the inline tokens ``children`` (``start``/``end``: XML around them)."""
        if self.page_break:
            properties, self.page_break = "<w:pageBreakBefore/>" + properties, False
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{properties}</w:pPr>{start}')
        Inline(self, self.out).write(children)
        self.out.append(f"{end}</w:p>")

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
        header_row = int(any(header for header, _ in rows))
        widths = _column_widths(longest, self.width)
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        self.out.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles.table if header_row else self.styles.facts_table}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="{header_row}" w:lastRow="0" '
            f'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        )
        for header, cells in rows:
            self.out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for column, width in enumerate(widths):
                align, children, key = cells[column] if column < len(cells) else ("", [], False)
                self.out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
                justified = f'<w:jc w:val="{align}"/>' if align else ""
                self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.styles.table_text}"/>{justified}</w:pPr>')
                Inline(self, self.out, bold=int(key)).write(children)
                self.out.append("</w:p></w:tc>")
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


def _table_rows(tokens: list[Any], index: int) -> tuple[list[tuple[bool, list[tuple[str, Any, bool]]]], int]:
    """The rows of the table starting at ``index``: ``[(is_header, [(align, inline children, is_key)])]``.

    A key/value table's hidden header row is left out; its key cells are marked.
    """
    rows, row, header = [], [], False
    index += 1
    while index < len(tokens) and tokens[index].type != "table_close":
        token = tokens[index]
        if token.type in ("thead_open", "tbody_open"):
            header = token.type == "thead_open"
        elif token.type == "tr_open":
            row = []
            if not token.hidden:
                rows.append((header, row))
        elif token.type in ("th_open", "td_open"):
            key = token.type == "td_open" and token.tag == "th"
            row.append((_ALIGN.get(str(token.attrGet("style") or ""), ""), tokens[index + 1].children or [], key))
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

"""What the Word writer draws besides the Markdown's own text: contents, header, footer, boxes and bars.

Everything here is WordprocessingML written as text in the resolved styles
(:class:`~.styles.StyleSheet`); text passed in is already escaped XML.

- The contents are a ``TOC`` field whose entries are written out — a
  hyperlink to each heading's bookmark and a ``PAGEREF`` field for its page —
  so the list is readable as soon as the file opens; Word refreshes the page
  numbers when fields are updated (it offers to on opening), LibreOffice
  computes them as it lays the document out.
- A task's box is a checkbox content control (``w14:checkbox``) a negotiator
  can tick in Word; other programs show its ☐ / ☒.
- A term's position bar is a row of shaded runs: green up to the fallback,
  amber beyond, red at the walk-away, a marker where we open.
"""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from .styles import StyleSheet, text_width

__all__ = [
    "TOC_PLACEHOLDER", "W14", "add_header_and_footer", "checkbox", "contents_field",
    "position_bar", "table_of_contents",
]

TOC_PLACEHOLDER = "Right-click here and choose Update Field to build the table of contents."
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_BOX_FONT = '<w:rFonts w:ascii="Segoe UI Symbol" w:hAnsi="Segoe UI Symbol" w:eastAsia="MS Gothic" w:cs="Segoe UI Symbol"/>'
_BAR_SEGMENTS = 12
_GREEN, _AMBER, _RED, _INK = "3C8D40", "F0A202", "B3261E", "1D2433"


def _field(instruction: str, cached: str = "1") -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{cached}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def table_of_contents(styles: StyleSheet) -> str:
    """A "Contents" heading and an empty TOC field (levels 1-3) that Word fills in when updated."""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{styles.toc_heading}"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>'
        f'<w:p><w:pPr><w:pStyle w:val="{styles.body}"/></w:pPr>'
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:rPr><w:i/></w:rPr><w:t>{TOC_PLACEHOLDER}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def _entry(text_xml: str, bookmark: str) -> str:
    """The runs of one written-out contents entry: a link to ``bookmark`` with its page number."""
    page = _field("PAGEREF " + bookmark + " \\h", "")
    return (
        f'<w:hyperlink w:anchor="{bookmark}" w:history="1"><w:r><w:t xml:space="preserve">{text_xml}</w:t></w:r>'
        f"<w:r><w:tab/></w:r>{page}</w:hyperlink>"
    )


def contents_field(styles: StyleSheet, entries: list[tuple[int, str, str]], width: int, levels: str) -> str:
    """A "Contents" heading and a TOC field over heading ``levels`` with ``(level, text XML, bookmark)`` entries written out."""
    if not entries:
        return table_of_contents(styles)
    paragraphs = [f'<w:p><w:pPr><w:pStyle w:val="{styles.toc_heading}"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>']
    last = len(entries) - 1
    for index, (level, text_xml, bookmark) in enumerate(entries):
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> TOC \\o "{levels}" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        ) if index == 0 else ""
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if index == last else ""
        paragraphs.append(
            f'<w:p><w:pPr><w:pStyle w:val="{styles.toc(level)}"/>'
            f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs></w:pPr>'
            f"{begin}{_entry(text_xml, bookmark)}{end}</w:p>"
        )
    return "".join(paragraphs)


def checkbox(checked: bool) -> str:
    """A checkbox content control showing ☐ or ☒, tickable in Word."""
    glyph = "\u2612" if checked else "\u2610"
    return (
        f'<w:sdt><w:sdtPr><w:rPr>{_BOX_FONT}</w:rPr><w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
        '<w14:checkedState w14:val="2612" w14:font="Segoe UI Symbol"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="Segoe UI Symbol"/></w14:checkbox></w:sdtPr>'
        f'<w:sdtContent><w:r><w:rPr>{_BOX_FONT}</w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>'
    )


def position_bar(fallback: float, opening: float) -> str:
    """Shaded runs from our target (left) to the walk-away (right), a marker where we open."""
    runs = []
    marker = min(int(opening * (_BAR_SEGMENTS - 1)), _BAR_SEGMENTS - 2)
    for segment in range(_BAR_SEGMENTS):
        fill = _RED if segment == _BAR_SEGMENTS - 1 else _GREEN if (segment + 0.5) / (_BAR_SEGMENTS - 1) <= fallback else _AMBER
        text = "\u25bc" if segment == marker else "\u2002"
        runs.append(f'<w:r><w:rPr><w:color w:val="{_INK}"/><w:sz w:val="14"/><w:shd w:val="clear" w:color="auto" '
                    f'w:fill="{fill}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>')
    return "".join(runs)


def add_header_and_footer(document, styles: StyleSheet, title_xml: str, marking_xml: str = "") -> None:
    """Footer: the title (escaped XML text) on the left, "Page N of M" on the right; header: the marking.

    A reference document whose footer already numbers pages keeps its own
    footer; one whose header has text keeps its header.
    """
    section = document.sections[-1]
    if marking_xml:
        header = section.header
        element = header._element  # noqa: SLF001 - python-docx has no API for this: written as XML
        if header.is_linked_to_previous or not "".join(element.itertext()).strip():
            header.is_linked_to_previous = False
            for paragraph in list(element.iterchildren(qn("w:p"))):
                element.remove(paragraph)
            element.append(parse_xml(
                f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{styles.header}"/></w:pPr>'
                f'<w:r><w:t xml:space="preserve">{marking_xml}</w:t></w:r></w:p>'
            ))
    footer = section.footer
    if not footer.is_linked_to_previous and "PAGE" in footer._element.xml:  # noqa: SLF001
        return
    footer.is_linked_to_previous = False
    element = footer._element  # noqa: SLF001 - python-docx has no API for fields: written as XML
    for paragraph in list(element.iterchildren(qn("w:p"))):
        if not "".join(paragraph.itertext()).strip():
            element.remove(paragraph)
    element.append(parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{styles.footer}"/>'
        f'<w:tabs><w:tab w:val="right" w:pos="{text_width(document)}"/></w:tabs></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{title_xml}</w:t></w:r><w:r><w:tab/></w:r>'
        f'<w:r><w:t xml:space="preserve">Page </w:t></w:r>{_field("PAGE")}'
        f'<w:r><w:t xml:space="preserve"> of </w:t></w:r>{_field("NUMPAGES")}</w:p>'
    ))

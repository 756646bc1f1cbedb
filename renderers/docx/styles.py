"""The Word package around the DOCX writer's body: reference, styles, furniture, properties.

Every style the writer applies is described here once, as data: its name in
Word, its kind and its formatting. The bundled reference document is built
from these descriptions (``assets/make_reference.py``), and an organisation's
own reference document that lacks one of them gets it added with the same
formatting, so a thin corporate template never makes the writer fail.

Styles are matched by name, case-insensitively (Word stores built-in names
such as ``heading 1`` in lower case and localises their ids, so ids cannot be
trusted), and each name is resolved to its style id once per document: the
writer then stamps ids on paragraphs and runs without looking anything up.

The reference also gives the page size and margins (its body is
discarded); :mod:`.furniture` draws the contents, header and footer in the
resolved styles, and :mod:`.package` opens the reference and saves the
finished package.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

__all__ = [
    "StyleSpec", "StyleSheet", "STYLE_SPECS", "resolve_styles", "clear_body", "text_width",
    "DEFAULT_TEXT_WIDTH",
]

DEFAULT_TEXT_WIDTH = 9638  # twips: A4 with 2 cm margins

_NAME, _VAL, _STYLE_ID, _TYPE = qn("w:name"), qn("w:val"), qn("w:styleId"), qn("w:type")

_ACCENT = "1F3864"  # headings and the table header
_ACCENT_LIGHT = "2E5597"
_RULE = "BFBFBF"


@dataclass(frozen=True, slots=True)
class StyleSpec:
    """One style the writer needs: what it is for, its Word name, and its formatting."""

    role: str  #: the writer's name for it ("" for styles only the table of contents uses)
    name: str  #: the style name in Word (built-in names as Word writes them)
    kind: str  #: "paragraph", "character" or "table"
    style_id: str  #: the id to give it when it has to be added
    formatting: str  #: w:pPr / w:rPr / w:tblPr ... children of w:style
    based_on: str = ""  #: name of the parent style
    custom: bool = True  #: False for Word's built-in styles
    priority: int = 20


_HEADING = (
    '<w:pPr><w:keepNext/><w:keepLines/>{border}<w:spacing w:before="{before}" w:after="{after}"/>'
    '<w:outlineLvl w:val="{level}"/></w:pPr>'
    '<w:rPr><w:b/><w:bCs/>{italic}<w:color w:val="{color}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
)
_H1_BORDER = f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="4" w:color="{_ACCENT}"/></w:pBdr>'


def _heading(level: int, size: int, before: int, after: int, color: str, italic: bool = False) -> StyleSpec:
    formatting = _HEADING.format(
        border=_H1_BORDER if level == 1 else "", before=before, after=after, level=level - 1,
        italic="<w:i/><w:iCs/>" if italic else "", color=color, size=size,
    )
    return StyleSpec(f"heading_{level}", f"heading {level}", "paragraph", f"Heading{level}", formatting,
                     based_on="Normal", custom=False, priority=9)


_TABLE_FORMATTING = (
    '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
    '<w:tblPr><w:tblStyleRowBandSize w:val="1"/>'
    f'<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="{_ACCENT}"/>'
    f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{_ACCENT}"/>'
    f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{_RULE}"/></w:tblBorders>'
    '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
    '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
    '<w:trPr><w:tblHeader/></w:trPr>'
    f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{_ACCENT}"/></w:tcPr></w:tblStylePr>'
    '<w:tblStylePr w:type="band2Horz"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F2F5FA"/></w:tcPr>'
    '</w:tblStylePr>'
)

#: Every style the writer uses, with the formatting it gets when a reference document lacks it.
STYLE_SPECS: tuple[StyleSpec, ...] = (
    StyleSpec("body", "Body Text", "paragraph", "BodyText",
              '<w:pPr><w:spacing w:before="0" w:after="80"/></w:pPr>', based_on="Normal", custom=False, priority=1),
    _heading(1, 30, 240, 120, _ACCENT),
    _heading(2, 24, 200, 80, _ACCENT),
    _heading(3, 22, 160, 60, _ACCENT_LIGHT),
    _heading(4, 20, 140, 40, _ACCENT_LIGHT, italic=True),
    StyleSpec("list_item", "List Paragraph", "paragraph", "ListParagraph",
              '<w:pPr><w:spacing w:before="0" w:after="30"/></w:pPr>', based_on="Normal", custom=False, priority=34),
    # Clause language is meant to be copied into a contract: plain upright text,
    # set apart only by an indent, a rule on the left and a light shade.
    StyleSpec("clause", "Clause", "paragraph", "Clause",
              '<w:pPr><w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="8EAADB"/></w:pBdr>'
              '<w:shd w:val="clear" w:color="auto" w:fill="F2F5FA"/>'
              '<w:spacing w:before="60" w:after="120"/><w:ind w:left="425" w:right="425"/></w:pPr>',
              based_on="Normal", priority=29),
    StyleSpec("code", "Source Code", "paragraph", "SourceCode",
              '<w:pPr><w:shd w:val="clear" w:color="auto" w:fill="F5F5F5"/><w:spacing w:before="60" w:after="120" '
              'w:line="240" w:lineRule="auto"/><w:ind w:left="142"/></w:pPr>'
              '<w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/>'
              '<w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>',
              based_on="Normal", priority=39),
    StyleSpec("code_char", "Verbatim Char", "character", "VerbatimChar",
              '<w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/>'
              '<w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>', priority=39),
    StyleSpec("link_char", "Hyperlink", "character", "Hyperlink",
              '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>', custom=False, priority=99),
    StyleSpec("table_text", "Table Text", "paragraph", "TableText",
              '<w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>'
              '<w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>', based_on="Normal", priority=39),
    StyleSpec("table", "Briefing Table", "table", "BriefingTable", _TABLE_FORMATTING, based_on="Normal Table",
              priority=59),
    # Key/value tables (the deal's facts) have no header row: the keys are set in bold instead.
    StyleSpec("facts_table", "Facts Table", "table", "FactsTable", _TABLE_FORMATTING.split('<w:tblStylePr')[0],
              based_on="Normal Table", priority=59),
    StyleSpec("toc_heading", "TOC Heading", "paragraph", "TOCHeading",
              '<w:pPr><w:outlineLvl w:val="9"/></w:pPr>', based_on="heading 1", custom=False, priority=39),
    StyleSpec("footer", "footer", "paragraph", "Footer",
              '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
              '<w:rPr><w:color w:val="7F7F7F"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>',
              based_on="Normal", custom=False, priority=99),
    StyleSpec("header", "header", "paragraph", "Header",
              '<w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/></w:pPr>'
              '<w:rPr><w:b/><w:bCs/><w:color w:val="B3261E"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>',
              based_on="Normal", custom=False, priority=99),
    *(StyleSpec(f"toc_{level}", f"toc {level}", "paragraph", f"TOC{level}",
                f'<w:pPr><w:spacing w:before="0" w:after="40"/><w:ind w:left="{max(level - 2, 0) * 220}"/></w:pPr>'
                + ('<w:rPr><w:b/><w:bCs/></w:rPr>' if level <= 2 else ""),
                based_on="Normal", custom=False, priority=39) for level in (1, 2, 3, 4)),
)


@dataclass(frozen=True, slots=True)
class StyleSheet:
    """The style id of each role, resolved once for one document."""

    body: str
    heading_1: str
    heading_2: str
    heading_3: str
    heading_4: str
    list_item: str
    clause: str
    code: str
    code_char: str
    link_char: str
    table_text: str
    table: str
    facts_table: str
    toc_heading: str
    footer: str
    header: str
    toc_1: str
    toc_2: str
    toc_3: str
    toc_4: str

    def toc(self, level: int) -> str:
        """The style id of a contents entry at ``level`` (1-4)."""
        return (self.toc_1, self.toc_2, self.toc_3, self.toc_4)[min(max(level, 1), 4) - 1]

    def heading(self, level: int) -> str:
        """The style id for a Markdown heading level (5 and 6 share level 4's)."""
        return (self.heading_1, self.heading_2, self.heading_3, self.heading_4)[min(max(level, 1), 4) - 1]


def resolve_styles(styles_element, *, replace: bool = False) -> StyleSheet:
    """Find each needed style in ``styles_element`` (a ``w:styles``), adding any that is missing.

    With ``replace=True`` the described formatting replaces styles of the same
    name (how the bundled reference document is made).
    """
    known = _index(styles_element)
    used_ids = {style_id for style_id, _ in known.values()}
    ids: dict[str, str] = {}
    for spec in STYLE_SPECS:
        key = (spec.kind, spec.name.lower())
        if key in known and replace:
            style_id, element = known.pop(key)
            styles_element.remove(element)
            used_ids.discard(style_id)
        if key not in known:
            style_id = _free_id(spec.style_id, used_ids)
            based_on = known.get(("table" if spec.kind == "table" else "paragraph", spec.based_on.lower()))
            element = parse_xml(_style_xml(spec, style_id, based_on[0] if based_on else None))
            styles_element.append(element)
            known[key] = (style_id, element)
            used_ids.add(style_id)
        if spec.role:
            ids[spec.role] = known[key][0]
    return StyleSheet(**ids)


def _index(styles_element) -> dict[tuple[str, str], tuple[str, object]]:
    """``(kind, lower-case name) -> (style id, element)`` for every style in the document."""
    index = {}
    for element in styles_element.iterchildren(qn("w:style")):
        name = element.find(_NAME)
        style_id = element.get(_STYLE_ID)
        if name is None or not style_id:
            continue
        index.setdefault((element.get(_TYPE, "paragraph"), (name.get(_VAL) or "").lower()), (style_id, element))
    return index


def _free_id(wanted: str, used: set[str]) -> str:
    candidate, number = wanted, 1
    while candidate in used:
        number += 1
        candidate = f"{wanted}{number}"
    return candidate


def _style_xml(spec: StyleSpec, style_id: str, based_on_id: str | None) -> str:
    custom = ' w:customStyle="1"' if spec.custom else ""
    parts = [
        f'<w:style {nsdecls("w")} w:type="{spec.kind}"{custom} w:styleId={quoteattr(style_id)}>'
        f'<w:name w:val={quoteattr(spec.name)}/>'
    ]
    if based_on_id:
        parts.append(f'<w:basedOn w:val={quoteattr(based_on_id)}/>')
    parts.append(f'<w:uiPriority w:val="{spec.priority}"/>')
    if spec.kind != "table":
        parts.append("<w:qFormat/>")
    parts.append(spec.formatting)
    parts.append("</w:style>")
    return "".join(parts)


# --- the reference document and the furniture drawn in its styles ------------------


def clear_body(body):
    """Empty the reference document's body, returning its final section properties."""
    section_properties = body.find(qn("w:sectPr"))
    if section_properties is None:  # Word's defaults apply to a document without any
        section_properties = parse_xml(f'<w:sectPr {nsdecls("w")}/>')
    for child in list(body):
        body.remove(child)
    return section_properties


def text_width(document) -> int:
    """Width between the margins of the last section, in twips."""
    if not len(document.sections):
        return DEFAULT_TEXT_WIDTH
    section = document.sections[-1]
    try:
        width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    except AttributeError:  # the reference leaves page size or margins to Word's defaults
        return DEFAULT_TEXT_WIDTH
    return width if width > 720 else DEFAULT_TEXT_WIDTH

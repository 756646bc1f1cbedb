"""Build ``reference.docx``, the Word reference document the DOCX writer uses by default.

Run from the repository root after changing a style in
``renderers/docx/styles.py``::

    python renderers/assets/make_reference.py

The document starts from python-docx's built-in template, keeps only what a
briefing pack needs — a short style sheet with every style the writer uses
(formatted as described in ``STYLE_SPECS``), an empty numbering part, A4
pages — and drops the template's thumbnail, custom XML, duplicate style
sheet and metadata. The output is byte-identical from one run to the next.
An organisation can start its own reference document from this one: change
the styles in Word, keep their names.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from dealbook.renderers.docx.package import package_bytes
from dealbook.renderers.docx.styles import resolve_styles
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

OUTPUT = Path(__file__).with_name("reference.docx")

_DEFAULTS = (
    '<w:docDefaults {ns}><w:rPrDefault><w:rPr>'
    '<w:rFonts w:ascii="Calibri" w:eastAsia="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/>'
    '<w:color w:val="262626"/><w:sz w:val="19"/><w:szCs w:val="19"/>'
    '<w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/>'
    '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="80" w:line="240" w:lineRule="auto"/>'
    '</w:pPr></w:pPrDefault></w:docDefaults>'
)
# The four styles Word expects every document to define as defaults. Text colour
# and size live in the document defaults, not in Normal, so that the table
# style's white header text is not overridden by the cells' paragraph style.
_BASE_STYLES = (
    '<w:style {ns} w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>',
    '<w:style {ns} w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
    '<w:style {ns} w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    '<w:style {ns} w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
)
# Template parts a briefing pack does not need (a Mac thumbnail, sample custom XML, ...).
_DROPPED = ("stylesWithEffects", "webSettings", "customXml", "thumbnail", "extended-properties")


def build() -> bytes:
    """The bytes of the reference document."""
    document = docx.Document()
    _style_sheet(document.styles.element)
    _drop_unneeded_parts(document)
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    settings = document.settings.element
    for tag in ("w:rsids", "w:savePreviewPicture", "w:proofState"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    section = document.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)  # A4
    # 2 cm margins: a briefing pack is read on paper at the table, and every page counts.
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Twips(1134)
    section.header_distance = section.footer_distance = Twips(567)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    core = document.core_properties
    core._element.clear()  # noqa: SLF001 - drop python-docx's author, description and 2013 dates
    core.title, core.revision = "dealbook reference document", 1
    return package_bytes(document, None)


def _style_sheet(styles) -> None:
    for child in list(styles):
        styles.remove(child)
    ns = nsdecls("w")
    styles.append(parse_xml(_DEFAULTS.format(ns=ns)))
    for xml in _BASE_STYLES:
        styles.append(parse_xml(xml.format(ns=ns)))
    resolve_styles(styles, replace=True)


def _drop_unneeded_parts(document) -> None:
    for owner in (document.part, document.part.package):
        for rId, relationship in list(owner.rels.items()):
            if any(word in relationship.reltype for word in _DROPPED):
                del owner.rels[rId]


def main() -> None:
    OUTPUT.write_bytes(build())
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size:,} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()

"""List numbering for the DOCX writer: multi-level definitions and one instance per list.

Word and LibreOffice keep list formatting in ``word/numbering.xml``: an
``w:abstractNum`` describes the nine levels of a list (marker, indent), and
each ``w:num`` is one list that uses it. As pandoc does, the writer adds one
multi-level definition per kind of list — bullets and ordered — and starts a
new ``w:num`` for every Markdown list, with a start override, so numbering
restarts per list. A nested list is another ``w:num`` of the same definition
at a deeper level (``w:ilvl``), which is what keeps nesting intact when the
document is opened in either program.
"""

from __future__ import annotations

from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart

__all__ = ["LEVELS", "LIST_KINDS", "ListNumbering", "text_indent"]

LEVELS = 9
_STEP = 360  # twips between levels
_HANGING = 360  # room for the marker
_BULLETS = ("\u2022", "\u25e6", "\u25aa")  # • ◦ ▪
_ORDERED = ("decimal", "lowerLetter", "lowerRoman")
# Fixed ids keep the numbering part byte-identical from one run to the next.
_NSIDS = {"bullet": "0DEA1B01", "ordered": "0DEA1B02", "task": "0DEA1B03"}
#: The kinds of list: a bullet list, a numbered list, and a task list whose
#: items carry their own checkbox instead of a bullet, hanging like one.
LIST_KINDS = ("bullet", "ordered", "task")
_ABSTRACT_NUM, _NUM, _CLEANUP = qn("w:abstractNum"), qn("w:num"), qn("w:numIdMacAtCleanup")
_ABSTRACT_NUM_ID, _NUM_ID = qn("w:abstractNumId"), qn("w:numId")


def text_indent(level: int) -> int:
    """Left indent (twips) of the text of a list item at ``level`` (0-based)."""
    return _STEP * (level + 1) + _HANGING - _STEP // 2


class ListNumbering:
    """The writer's numbering definitions in one document, handing out a ``numId`` per list."""

    def __init__(self, document_part) -> None:
        self._element = _numbering_element(document_part)
        self._abstract = {kind: self._add_definition(kind) for kind in LIST_KINDS}
        self._next_id = 1 + max((int(num.get(_NUM_ID)) for num in self._element.iterchildren(_NUM)), default=0)
        self._cleanup = self._element.find(_CLEANUP)

    def start_list(self, *, kind: str, level: int, start: int = 1) -> int:
        """A new ``w:num`` for one list (``kind`` from :data:`LIST_KINDS`) at ``level``; returns its numId."""
        num_id, self._next_id = self._next_id, self._next_id + 1
        override = (
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{int(start)}"/></w:lvlOverride>'
            if kind == "ordered" else ""
        )
        num = parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{self._abstract[kind]}"/>'
            f"{override}</w:num>"
        )
        if self._cleanup is not None:
            self._cleanup.addprevious(num)
        else:
            self._element.append(num)
        return num_id

    def _add_definition(self, kind: str) -> int:
        definitions = list(self._element.iterchildren(_ABSTRACT_NUM))
        abstract_id = 1 + max((int(element.get(_ABSTRACT_NUM_ID)) for element in definitions), default=-1)
        element = parse_xml(_definition_xml(abstract_id, kind))
        if definitions:
            definitions[-1].addnext(element)
        else:
            # abstractNum elements come after any picture bullets and before every w:num
            pictures = list(self._element.iterchildren(qn("w:numPicBullet")))
            if pictures:
                pictures[-1].addnext(element)
            else:
                self._element.insert(0, element)
        return abstract_id


def _definition_xml(abstract_id: int, kind: str) -> str:
    levels = []
    for level in range(LEVELS):
        suffix, hanging = "", _HANGING
        if kind == "ordered":
            number_format, text = _ORDERED[level % len(_ORDERED)], f"%{level + 1}."
        elif kind == "task":  # the paragraph's own box (and a tab) is the marker: no glyph
            number_format, text, suffix = "none", "", '<w:suff w:val="nothing"/>'
        else:
            number_format, text = "bullet", _BULLETS[level % len(_BULLETS)]
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>{suffix}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{text_indent(level)}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        )
    name = {"ordered": "Dealbook numbered list", "task": "Dealbook task list"}.get(kind, "Dealbook bullet list")
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:nsid w:val="{_NSIDS[kind]}"/>'
        f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{name}"/>{"".join(levels)}</w:abstractNum>'
    )


def _numbering_element(document_part: Any) -> Any:
    """The document's ``w:numbering`` element, adding a numbering part when there is none."""
    try:
        return document_part.part_related_by(RT.NUMBERING).element
    except KeyError:
        pass
    # python-docx cannot create a numbering part itself (NumberingPart.new is not implemented).
    element = parse_xml(f'<w:numbering {nsdecls("w")}/>')
    part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, document_part.package)
    document_part.relate_to(part, RT.NUMBERING)
    return element

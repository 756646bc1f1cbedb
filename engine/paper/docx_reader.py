"""Reading a Word .docx into numbered paragraphs.

Numbers come from three places, and Word users mix them: numbering typed
into the text (``5.1.``, ``(a)``), list numbering on the paragraph
(``w:numPr``), and numbering attached to a paragraph style (Heading 1/2/3
numbered through ``styles.xml``, as in many law-firm templates). List and
style numbering are resolved through ``numbering.xml`` the way Word counts
them — per list, each level restarting below its parent, labels built from
``lvlText`` (``%1.%2``, ``(%3)``) — and a level that does not repeat its
parent's number gets it prefixed, so ``(b)`` under 5.5 reads ``5.5(b)``.

Existing tracked changes are read as accepted: inserted text counts, deleted
text does not. Empty paragraphs (section breaks) are not numbered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import InputFileError, Location
from .reading import ClauseChain, Paper, Paragraph, name_clauses, split_title
from .safety import SafeZip

__all__ = ["W", "read_docx", "body_paragraphs", "accepted_runs", "run_text", "Numbering"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_SKIP = {_W + "del", _W + "moveFrom", _W + "txbxContent", _W + "p"}
_CONTAINERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"}


def q(name: str) -> str:
    return _W + name


def body_paragraphs(body: etree._Element) -> list[tuple[etree._Element, bool]]:
    """Every paragraph of the body in reading order, with whether it is in a table."""
    found: list[tuple[etree._Element, bool]] = []

    def walk(element: etree._Element, in_table: bool) -> None:
        for child in element:
            if child.tag == q("p"):
                found.append((child, in_table))
            elif child.tag == q("tbl"):
                for cell in child.iter(q("tc")):
                    walk(cell, True)
            elif child.tag in _CONTAINERS:
                walk(child, in_table)

    walk(body, False)
    return found


def accepted_runs(paragraph: etree._Element) -> list[etree._Element]:
    """The runs of a paragraph whose text reads when all tracked changes are accepted."""
    runs = []
    for run in paragraph.iter(q("r")):
        parent = run.getparent()
        keep = True
        while parent is not None and parent is not paragraph:
            if parent.tag in _SKIP:
                keep = False
                break
            parent = parent.getparent()
        if keep:
            runs.append(run)
    return runs


def run_text(run: etree._Element) -> str:
    """A run's text: ``w:t``, tabs and breaks."""
    parts = []
    for child in run:
        if child.tag == q("t"):
            parts.append(child.text or "")
        elif child.tag == q("tab"):
            parts.append("\t")
        elif child.tag in (q("br"), q("cr")):
            parts.append("\n")
        elif child.tag == q("noBreakHyphen"):
            parts.append("-")
    return "".join(parts)


def _val(element: etree._Element | None, name: str) -> str | None:
    child = element.find(q(name)) if element is not None else None
    return None if child is None else child.get(q("val"))


@dataclass(frozen=True, slots=True)
class _Level:
    start: int
    format: str
    text: str


class Numbering:
    """List definitions from numbering.xml and style numbering from styles.xml, with Word's counters."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        if numbering is not None:
            for abstract in numbering.iter(q("abstractNum")):
                levels = {}
                for level in abstract.iter(q("lvl")):
                    levels[int(level.get(q("ilvl"), "0"))] = _Level(
                        int(_val(level, "start") or "1"), _val(level, "numFmt") or "decimal", _val(level, "lvlText") or "")
                self.abstract[abstract.get(q("abstractNumId"), "")] = levels
            for num in numbering.iter(q("num")):
                overrides = {int(override.get(q("ilvl"), "0")): int(_val(override, "startOverride") or "1")
                             for override in num.iter(q("lvlOverride")) if override.find(q("startOverride")) is not None}
                self.nums[num.get(q("numId"), "")] = (_val(num, "abstractNumId") or "", overrides)
        self.styles: dict[str, tuple[str | None, str | None, str | None, str]] = {}  # id -> numId, ilvl, basedOn, name
        self.outline: dict[str, int] = {}
        for style in styles.iter(q("style")) if styles is not None else ():
            style_id = style.get(q("styleId"), "")
            properties = style.find(q("pPr"))
            numbering_properties = properties.find(q("numPr")) if properties is not None else None
            self.styles[style_id] = (_val(numbering_properties, "numId"), _val(numbering_properties, "ilvl"),
                                     _val(style, "basedOn"), _val(style, "name") or style_id)
            outline = _val(properties, "outlineLvl")
            if outline is not None and outline.isdigit():
                self.outline[style_id] = int(outline)
        self.counters: dict[str, list[int]] = {}
        self.started: set[str] = set()
        self.parents: dict[str, list[str]] = {}

    def style_numbering(self, style_id: str) -> tuple[str | None, str | None]:
        seen = 0
        num_id = ilvl = None
        while style_id in self.styles and seen < 20:
            style_num, style_ilvl, based_on, _ = self.styles[style_id]
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
            style_id, seen = based_on or "", seen + 1
        return num_id, ilvl

    def heading_level(self, style_id: str) -> int | None:
        """0 for Heading 1 and styles with outline level 0, ...; ``None`` for body styles."""
        if style_id in self.outline:
            return self.outline[style_id]
        name = self.styles.get(style_id, (None, None, None, ""))[3].lower()
        match = re.fullmatch(r"heading (\d)", name)
        return int(match.group(1)) - 1 if match else None

    def number(self, num_id: str, ilvl: int) -> tuple[str, int] | None:
        """Count one paragraph in list ``num_id`` at level ``ilvl``: ``(label, level)``, or ``None`` for bullets."""
        if num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None or level.format in ("bullet", "none"):
            return None
        counters = self.counters.setdefault(abstract_id, [0] * 9)
        parents = self.parents.setdefault(abstract_id, [""] * 9)
        if num_id not in self.started and overrides:
            self.started.add(num_id)
            for override_level, start in overrides.items():
                if override_level < 9:
                    counters[override_level] = start - 1
        self.started.add(num_id)
        ilvl = min(ilvl, 8)
        if counters[ilvl] == 0 and level.start > 1:
            counters[ilvl] = level.start - 1
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        def show(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            value = counters[index] if counters[index] else levels.get(index, level).start
            return format_number(value, levels.get(index, level).format)
        text = re.sub(r"%(\d)", show, level.text).strip()
        label = text.rstrip(".").strip()
        if ilvl > 0 and f"%{ilvl}" not in level.text and parents[ilvl - 1]:
            label = parents[ilvl - 1] + label
        parents[ilvl] = label
        return label, ilvl


def format_number(value: int, kind: str) -> str:
    """A counter as Word writes it in ``kind`` (decimal, lowerLetter, upperRoman...)."""
    if kind in ("lowerLetter", "upperLetter"):
        letters = ""
        number = value
        while number > 0:
            number, remainder = divmod(number - 1, 26)
            letters = chr(ord("a") + remainder) + letters
        return letters if kind == "lowerLetter" else letters.upper()
    if kind in ("lowerRoman", "upperRoman"):
        numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                    (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, number = "", value
        for amount, numeral in numerals:
            while number >= amount:
                out, number = out + numeral, number - amount
        return out if kind == "lowerRoman" else out.upper()
    if kind == "decimalZero":
        return f"{value:02d}"
    return str(value)


_TYPED = re.compile(r"^\s*(?:(?P<dotted>\d{1,3}(?:\.\d{1,3})+)\.?|(?P<number>\d{1,3})\.|\((?P<paren>[a-z]{1,4}|\d{1,3})\)|(?P<letter>[a-z])[.)]|(?P<upper>[A-Z])\.)\s+")
_ROMAN = re.compile(r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)$")


class _Typed:
    """Numbering typed into the text: ``5.1``, ``(a)``, ``(iv)``, ``A.``; each kind nests under the one before."""

    def __init__(self) -> None:
        self.last_letter = ""

    def read(self, text: str, chain: ClauseChain) -> tuple[str, int, int] | None:
        """``(label, level, length of the number in the text)``, or ``None``."""
        match = _TYPED.match(text)
        if match is None:
            return None
        if match.group("dotted"):
            label = match.group("dotted")
            return label, label.count("."), match.end()
        if match.group("number"):
            return match.group("number"), 0, match.end()
        if match.group("upper"):
            return match.group("upper"), 0, match.end()
        mark = match.group("paren") or match.group("letter")
        parent_level = len(chain.labels)
        roman = bool(_ROMAN.match(mark)) and not (len(mark) == 1 and self.last_letter and ord(mark) == ord(self.last_letter) + 1)
        if not roman and not mark.isdigit():
            self.last_letter = mark
        depth = 2 if roman else 1
        base = _decimal_depth(chain)
        level = base + depth - 1 if base else depth - 1
        parent = chain.parent_label(min(level, parent_level))
        if roman and not parent.endswith(")"):
            level = base
        return f"{chain.parent_label(level)}({mark})", level, match.end()


def _decimal_depth(chain: ClauseChain) -> int:
    for index in range(len(chain.labels) - 1, -1, -1):
        label = chain.labels[index]
        if label and not label.endswith(")"):
            return index + 1
    return 0


def read_docx(path: Path) -> Paper:
    """Read a .docx into paragraphs with Word's labels (see the module docstring)."""
    archive = SafeZip(path)
    document = archive.xml("word/document.xml")
    if document is None or document.find(q("body")) is None:
        raise InputFileError(Location(str(path)), "not a Word document (no word/document.xml body)")
    numbering = Numbering(archive.xml("word/numbering.xml"), archive.xml("word/styles.xml"))
    paragraphs: list[Paragraph] = []
    chain = ClauseChain()
    typed = _Typed()
    title = ""
    for index, (element, in_table) in enumerate(body_paragraphs(document.find(q("body")))):
        text = "".join(run_text(run) for run in accepted_runs(element))
        if not text.strip():
            continue
        properties = element.find(q("pPr"))
        style = _val(properties, "pStyle") or ""
        num_id, ilvl = numbering.style_numbering(style)
        direct = properties.find(q("numPr")) if properties is not None else None
        if direct is not None:
            num_id = _val(direct, "numId") or num_id
            ilvl = _val(direct, "ilvl") or ilvl
        numbered = numbering.number(num_id, int(ilvl or 0)) if num_id and num_id != "0" and not in_table else None
        heading_level = numbering.heading_level(style)
        own_title = split_title(text)
        kind = "table" if in_table else "clause"
        body = text
        if numbered is not None:
            label, level = numbered
        elif not in_table and (found := typed.read(text, chain)) is not None:
            label, level, length = found
            body = text[length:]
            own_title = split_title(body)
        elif heading_level is not None and not in_table:
            label, level, kind = "", heading_level, "heading"
        else:
            paragraphs.append(Paragraph(index, chain.label(), "", chain.path(), text, kind))
            continue
        if not own_title and len(body.split()) <= 8 and (heading_level is not None or not body.rstrip().endswith((".", ";", ":", ","))):
            own_title, kind = body.strip().rstrip("."), "heading"
        if not title and kind == "heading":
            title = own_title
        heading = chain.enter(level, label, own_title)
        paragraphs.append(Paragraph(index, label or chain.label(), own_title, heading, text, kind))
    first = next((paragraph.text.strip() for paragraph in paragraphs), "")
    return Paper(str(path), "docx", name_clauses(paragraphs), first[:120] or title)

"""Clauses the paper lacks, inserted as tracked paragraphs at the end of their section or under "Additional terms".

An inserted clause takes the style and list numbering of the section's last
clause, so Word numbers it next (3.3 after 3.2); where that clause's number
is typed into its text, the next number is typed in front.

A block of new paragraphs is recorded the way Word records pressing Enter at
the end of a paragraph and typing: the paragraph before the block gets an
inserted paragraph mark, the block's text is inserted, and the block's last
paragraph carries the original mark, with the original paragraph properties
kept in ``w:pPrChange``. Rejecting every change then merges the block back
into the paragraph it followed, and that paragraph keeps its own formatting
in Word and in LibreOffice alike (which keep the last and the first
paragraph's properties when paragraphs merge).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from .docx_reader import accepted_runs, run_text
from .findings import Finding, Review
from .sections import Section, sections

__all__ = ["insert_missing"]

Comment = Callable[[Any, Finding], None]  # (a w:p element, the finding it proposes)
_TRACKED_MARK = ("w:ins", "w:del", "w:moveFrom", "w:moveTo")


def insert_missing(body: etree._Element, review: Review, marker: Any, elements: dict, comment: Comment, heading_style: str | None) -> None:
    """Insert every applicable item the paper lacks (with our clause, else our ask); see the module docstring."""
    missing = [finding for finding in review.findings if finding.tier.kind == "not_found" and (finding.clause or finding.ask)]
    if not missing:
        return
    by_start = {section.start: section for section in sections(review.paper)}
    blocks: dict[int, tuple[etree._Element, str | None, etree._Element | None, str, list]] = {}
    appendix: list[Finding] = []
    for finding in missing:
        section = by_start.get(finding.section_at) if finding.section_at is not None else None
        if section is not None and section.start not in blocks and (where := _section_end(review, section, elements)) is not None:
            blocks[section.start] = (*where, [])
        if section is None or section.start not in blocks:
            appendix.append(finding)
            continue
        anchor, style, numbering, label, new = blocks[section.start]
        text = " ".join((finding.clause or finding.ask).split())
        if numbering is None and label:
            label = _next_label(label)
            text = f"{label} {text}" if label else text
        new.append((marker.new_paragraph(text, style, numbering), finding))
        blocks[section.start] = (anchor, style, numbering, label, new)
    for anchor, _, _, _, new in blocks.values():
        _place(marker, anchor, new, comment)
    if appendix:
        block = [(marker.new_paragraph("Additional terms", heading_style), None)]
        block += [(marker.new_paragraph(" ".join((finding.clause or finding.ask).split())), finding) for finding in appendix]
        ending = body.find(qn("w:sectPr"))
        last = ending.getprevious() if ending is not None else (body[-1] if len(body) else None)
        if last is not None and last.tag == qn("w:p"):
            _place(marker, last, block, comment)
        else:
            for paragraph, finding in block:
                (ending.addprevious if ending is not None else body.append)(paragraph)
                if finding is not None:
                    comment(paragraph, finding)


def _place(marker: Any, anchor: etree._Element, block: list[tuple[etree._Element, Finding | None]], comment: Comment) -> None:
    """Put ``block`` after ``anchor``, tracked as if typed at the end of it (see the module docstring)."""
    after = anchor
    for paragraph, finding in block:
        after.addnext(paragraph)
        after = paragraph
        if finding is not None:
            comment(paragraph, finding)
    properties = anchor.find(qn("w:pPr"))
    if properties is not None and (properties.find(qn("w:sectPr")) is not None or properties.find(qn("w:pPrChange")) is not None
                                   or any(properties.find(f"{qn('w:rPr')}/{qn(tag)}") is not None for tag in _TRACKED_MARK)):
        return  # the vendor's mark already carries a section break or a change: each new paragraph keeps its own inserted mark
    original = copy.deepcopy(properties) if properties is not None else etree.Element(qn("w:pPr"))
    last = block[-1][0].find(qn("w:pPr"))
    last.remove(last.find(qn("w:rPr")))  # the block's last mark is the anchor's own, not inserted
    mark = original.find(qn("w:rPr"))
    if mark is not None:
        last.append(copy.deepcopy(mark))
        original.remove(mark)
    change = etree.SubElement(last, qn("w:pPrChange"))
    for name, value in marker.change("pPrChange").attrib.items():
        change.set(name, value)
    change.append(original)
    if properties is None:
        properties = etree.Element(qn("w:pPr"))
        anchor.insert(0, properties)
    anchor_mark = properties.find(qn("w:rPr"))
    if anchor_mark is None:
        anchor_mark = etree.SubElement(properties, qn("w:rPr"))
    inserted = etree.Element(qn("w:ins"))
    for name, value in marker.change("ins").attrib.items():
        inserted.set(name, value)
    anchor_mark.insert(0, inserted)


def _section_end(review: Review, section: Section, elements: dict) -> tuple[etree._Element, str | None, etree._Element | None, str] | None:
    """Where a clause goes in ``section``: after its last paragraph outside a table, formatted like its last clause."""
    paragraphs = review.paper.paragraphs
    body = [paragraphs[position] for position in range(section.start, section.end) if paragraphs[position].kind != "table"]
    if not body or body[-1].index not in elements:
        return None
    after, _ = elements[body[-1].index]
    clauses = [paragraph for paragraph in body[1:] if _child_of(paragraph.label, section.label)]
    if not clauses or clauses[-1].index not in elements:
        return after, None, None, ""
    model, _ = elements[clauses[-1].index]
    properties = model.find(qn("w:pPr"))
    style = properties.find(qn("w:pStyle")) if properties is not None else None
    numbering = properties.find(qn("w:numPr")) if properties is not None else None
    label = clauses[-1].label
    typed = "".join(run_text(run) for run in accepted_runs(model)).lstrip().startswith(label)
    return after, None if style is None else style.get(qn("w:val")), numbering, label if typed else ""


def _child_of(label: str, parent: str) -> bool:
    """Whether ``label`` numbers a clause directly under ``parent``: 3.2 under 3, K.1 under K — not 3.2(a), not 3.2.1."""
    if not parent or not label.startswith(parent + ".") or "(" in label:
        return False
    return label.count(".") == parent.count(".") + 1


_LAST_NUMBER = re.compile(r"^(.*?)(\d+)$")
_LAST_LETTER = re.compile(r"^(.*\()([a-y])\)$")


def _next_label(label: str) -> str:
    """The clause number after ``label``: 2.2 → 2.3, B.1 → B.2, 1.1(a) → 1.1(b); "" when it cannot be told."""
    if match := _LAST_NUMBER.match(label):
        return f"{match.group(1)}{int(match.group(2)) + 1}"
    if match := _LAST_LETTER.match(label):
        return f"{match.group(1)}{chr(ord(match.group(2)) + 1)})"
    return ""

"""The vendor's own Word file, marked up: comments on the words that triggered each finding,
tracked changes proposing our language.

For a .docx the original package is opened and only the body gains
comments (python-docx's ``Document.add_comment``) and tracked changes
(``w:del``/``w:ins``, written here with lxml, as no maintained library writes
them). Runs are split at the exact match boundaries, each piece keeping the
run's formatting, so rejecting every change in Word gives back the vendor's
text exactly. A Markdown contract is first rendered to a plain Word file,
one paragraph per clause.

Every date is the deal date and every id is counted in document order, so
the same review writes the same bytes.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml import etree

from ..renderers.docx.package import open_reference, package_bytes
from ..renderers.docx.styles import clear_body
from .docx_reader import accepted_runs, body_paragraphs, run_text
from .findings import Anchor, Finding, Review
from .insertion import insert_missing
from .safety import SafeZip

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text without the characters XML cannot hold."""
    return _NOT_XML.sub("", text)

__all__ = ["MarkupOptions", "marked_up_docx", "comment_text"]

_CHANGE_ID_START = 9000  # clear of python-docx's comment ids and any the vendor's file carries


@dataclass(frozen=True, slots=True)
class MarkupOptions:
    """Who the comments are from and who they are for."""

    author: str = "dealbook"
    audience: str = "internal"  # internal or vendor

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.author.split() if word[:1].isalpha()).upper()[:4] or "DB"


def comment_text(finding: Finding, audience: str) -> str:
    """What the comment on a finding says: the item, where the clause stands, and what we ask."""
    if audience == "vendor":
        if finding.tier.kind == "not_found":
            return f"{finding.title}: we ask that the agreement include this — {finding.ask}"
        return f"{finding.title}: we ask — {finding.ask}"
    parts = [f"{finding.title} [{finding.item}]"]
    if finding.tier.kind == "not_found":
        parts.append("not found in this paper; we propose the clause inserted here.")
    else:
        for value in finding.values:
            parts.append(f"{value.title}: the paper says {value.shown} — {value.tier.label}; we open at {value.ask} for this deal.")
        for flag in finding.flags:
            parts.append(f"Red flag ({flag.severity}): {flag.says} — {flag.tier.label}.")
        if not finding.values and not finding.flags:
            parts.append(f"{finding.tier.label}.")
    parts.append(f"Ask: {finding.ask}")
    if finding.approvers and finding.tier.kind != "preferred":
        parts.append(f"Accepting it as written needs: {', '.join(finding.approvers)}.")
    if finding.pattern is not None:
        parts.append(f"Pattern: {finding.pattern}")
    return " ".join(parts)


class _Marker:
    """Splits runs and writes tracked changes in one document, with ids and dates fixed."""

    def __init__(self, options: MarkupOptions, date: str) -> None:
        self.options = options
        self.date = f"{date}T00:00:00Z"
        self.next_id = _CHANGE_ID_START

    def change(self, tag: str) -> etree._Element:
        element = etree.Element(qn(f"w:{tag}"))
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), self.options.author)
        element.set(qn("w:date"), self.date)
        self.next_id += 1
        return element

    def isolate(self, paragraph: etree._Element, start: int, end: int) -> list[etree._Element]:
        """The runs covering exactly characters ``start:end`` of the paragraph's accepted text, split as needed."""
        covered = []
        position = 0
        for run in accepted_runs(paragraph):
            text = run_text(run)
            run_start, run_end = position, position + len(text)
            position = run_end
            if run_end <= start or run_start >= end or not text:
                continue
            if run_start < start:
                run = _split(run, start - run_start)[1]
                run_start = start
            if run_end > end:
                run = _split(run, end - run_start)[0]
            covered.append(run)
        return covered

    def replace(self, runs: list[etree._Element], text: str) -> None:
        """Track the deletion of ``runs`` and the insertion of ``text`` after them, in the first run's format."""
        deletion = self.change("del")
        runs[0].addprevious(deletion)
        for run in runs:
            deletion.append(run)
            for child in run.findall(qn("w:t")):
                child.tag = qn("w:delText")
        insertion = self.insertion(runs[0], text)
        deletion.addnext(insertion)

    def insertion(self, model: etree._Element | None, text: str) -> etree._Element:
        insertion = self.change("ins")
        run = etree.SubElement(insertion, qn("w:r"))
        properties = model.find(qn("w:rPr")) if model is not None else None
        if properties is not None:
            run.append(copy.deepcopy(properties))
        piece = etree.SubElement(run, qn("w:t"))
        piece.text = clean_text(text)
        piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return insertion

    def new_paragraph(self, text: str, style: str | None = None, numbering: etree._Element | None = None) -> etree._Element:
        """A paragraph whose mark and text are tracked as inserted, in ``style`` and list ``numbering`` if given."""
        paragraph = etree.Element(qn("w:p"))
        properties = etree.SubElement(paragraph, qn("w:pPr"))
        if style:
            etree.SubElement(properties, qn("w:pStyle")).set(qn("w:val"), style)
        if numbering is not None:
            properties.append(copy.deepcopy(numbering))
        mark = etree.SubElement(etree.SubElement(properties, qn("w:rPr")), qn("w:ins"))
        for name, value in self.change("ins").attrib.items():
            mark.set(name, value)
        paragraph.append(self.insertion(None, text))
        return paragraph


def _split(run: etree._Element, at: int) -> tuple[etree._Element, etree._Element]:
    """Split a run at character ``at`` into two runs with the same properties; both stay in place."""
    second = copy.deepcopy(run)
    run.addnext(second)
    _keep(run, 0, at)
    _keep(second, at, None)
    return run, second


def _keep(run: etree._Element, start: int, end: int | None) -> None:
    """Keep only characters ``start:end`` of a run's content (text, tabs, breaks)."""
    position = 0
    for child in list(run):
        if child.tag == qn("w:rPr"):
            continue
        if child.tag == qn("w:t"):
            text = child.text or ""
        elif child.tag == qn("w:tab"):
            text = "\t"
        elif child.tag in (qn("w:br"), qn("w:cr")):
            text = "\n"
        elif child.tag == qn("w:noBreakHyphen"):
            text = "-"
        else:
            continue
        child_start, child_end = position, position + len(text)
        position = child_end
        low, high = max(start, child_start), child_end if end is None else min(end, child_end)
        if high <= low:
            run.remove(child)
        elif child.tag == qn("w:t") and (low > child_start or high < child_end):
            child.text = text[low - child_start:high - child_start]
            child.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _markdown_document(review: Review):  # noqa: ANN202 - python-docx Document
    """A Markdown contract as a plain Word file: one paragraph per clause, its label in front."""
    document = open_reference(None)
    body = document.element.body
    section = clear_body(body)
    elements = {}
    for paragraph in review.paper.paragraphs:
        level = paragraph.label.count(".") + paragraph.label.count("(")
        style = f"Heading{min(level + 1, 3)}" if paragraph.kind == "heading" else None
        element = etree.SubElement(body, qn("w:p"))
        if style:
            etree.SubElement(etree.SubElement(element, qn("w:pPr")), qn("w:pStyle")).set(qn("w:val"), style)
        prefix = f"{paragraph.label}  " if paragraph.label and paragraph.kind != "heading" and paragraph.label != _previous_label(review, paragraph) else ""
        for text, bold in ((prefix, True), (paragraph.text, False)):
            if text:
                run = etree.SubElement(element, qn("w:r"))
                if bold:
                    etree.SubElement(etree.SubElement(run, qn("w:rPr")), qn("w:b"))
                piece = etree.SubElement(run, qn("w:t"))
                piece.text = clean_text(text)
                piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        elements[paragraph.index] = (element, len(prefix))
    body.append(section)
    return document, elements


def _previous_label(review: Review, paragraph) -> str:  # noqa: ANN001
    position = paragraph.index
    return review.paper.paragraphs[position - 1].label if position > 0 else ""


def _docx_document(review: Review):  # noqa: ANN202
    import docx  # noqa: PLC0415

    SafeZip(Path(review.paper.path))  # the same limits as when it was read
    document = docx.Document(review.paper.path)
    listed = body_paragraphs(document.element.body)
    return document, {index: (element, 0) for index, (element, _) in enumerate(listed)}


def marked_up_docx(review: Review, options: MarkupOptions) -> bytes:
    """The reviewed Word file's bytes: see the module docstring."""
    document, elements = _docx_document(review) if review.paper.format == "docx" else _markdown_document(review)
    date = review.evaluation.answers.deal.date or "2000-01-01"
    marker = _Marker(options, date)
    paragraphs = review.paper.paragraphs
    commented = [finding for finding in review.findings if _comment_wanted(finding, options.audience)]
    changes: dict[int, list[tuple[Anchor, str]]] = {}
    for finding in commented:
        if finding.anchor is None:
            continue
        paragraph = paragraphs[finding.anchor.paragraph]
        element, offset = elements[paragraph.index]
        if "".join(run_text(run) for run in accepted_runs(element))[offset:] != paragraph.text:
            continue  # the file reads differently from what was matched: leave this paragraph alone
        runs = marker.isolate(element, offset + finding.anchor.start, offset + finding.anchor.end)
        if not runs:
            continue
        _comment(document, element, runs, comment_text(finding, options.audience), options)
        proposal = _proposal(finding)
        if proposal is not None:
            changes.setdefault(paragraph.index, []).append(proposal)
    for index, proposals in changes.items():
        element, offset = elements[index]
        done_until = None
        for anchor, text in sorted(proposals, key=lambda pair: -pair[0].start):
            if done_until is not None and anchor.end > done_until:
                continue  # overlaps a change already made in this paragraph
            runs = marker.isolate(element, offset + anchor.start, offset + anchor.end)
            if runs:
                marker.replace(runs, text)
                done_until = anchor.start
    heading = "Heading1" if _has_style(document, "Heading1") else None
    insert_missing(document.element.body, review, marker, elements,
                   lambda paragraph, finding: _comment_new(document, paragraph, finding, options), heading)
    _pin_comment_dates(document, marker.date)
    if commented:
        _comment_styles(document)
    return package_bytes(document, date)


def _comment_wanted(finding: Finding, audience: str) -> bool:
    if finding.meets:
        return False
    if audience == "vendor":
        return finding.needs_change
    return True


def _proposal(finding: Finding) -> tuple[Anchor, str] | None:
    """The tracked change for a finding below our opening: our value in place of theirs, else our clause."""
    if not finding.tier.below(finding.opening) or finding.anchor is None:
        return None
    for value in finding.values:
        if value.tier.below(finding.opening):
            return value.anchor, value.ask
    if finding.clause:
        return finding.anchor, " ".join(finding.clause.split())
    return None


def _comment(document, element: etree._Element, runs: list[etree._Element], text: str, options: MarkupOptions) -> None:  # noqa: ANN001
    paragraph = DocxParagraph(element, document.part)
    document.add_comment([Run(runs[0], paragraph), Run(runs[-1], paragraph)], text=clean_text(text),
                         author=options.author, initials=options.initials)


def _comment_new(document, paragraph: etree._Element, finding: Finding, options: MarkupOptions) -> None:  # noqa: ANN001
    runs = paragraph.findall(f"{qn('w:ins')}/{qn('w:r')}")
    if runs:
        _comment(document, paragraph, runs, comment_text(finding, options.audience), options)


def _has_style(document, style_id: str) -> bool:  # noqa: ANN001
    return any(style.style_id == style_id for style in document.styles)


#: The styles python-docx's comments refer to, by id, as Word defines them (Word's own names, sizes in half-points).
_COMMENT_STYLES = (
    ("character", "CommentReference", "annotation reference", 16),
    ("paragraph", "CommentText", "annotation text", 20),
)


def _comment_styles(document) -> None:  # noqa: ANN001
    """Define the comment styles the comments use when the vendor's file lacks them (Word's file validity needs them)."""
    styles = document.styles.element
    present = {style.get(qn("w:styleId")) for style in styles.iter(qn("w:style"))}
    for kind, style_id, name, size in _COMMENT_STYLES:
        if style_id in present:
            continue
        style = etree.SubElement(styles, qn("w:style"))
        style.set(qn("w:type"), kind)
        style.set(qn("w:styleId"), style_id)
        etree.SubElement(style, qn("w:name")).set(qn("w:val"), name)
        if kind == "paragraph" and "Normal" in present:
            etree.SubElement(style, qn("w:basedOn")).set(qn("w:val"), "Normal")
        etree.SubElement(style, qn("w:uiPriority")).set(qn("w:val"), "99")
        etree.SubElement(style, qn("w:unhideWhenUsed"))
        properties = etree.SubElement(style, qn("w:rPr"))
        for tag in ("w:sz", "w:szCs"):
            etree.SubElement(properties, qn(tag)).set(qn("w:val"), str(size))


def _pin_comment_dates(document, date: str) -> None:  # noqa: ANN001
    """python-docx stamps comments with the current time; the deal date makes the file repeatable."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/comments.xml":
            for comment in part.element.iter(qn("w:comment")):
                comment.set(qn("w:date"), date)

"""The sections of a vendor's paper, and which one a missing clause belongs in.

A section is a titled heading (or a top-level numbered clause with a title)
at the document's section level: the shallowest level with at least two of
them, so a document title above every section is not taken for one. A
section runs until the next heading at its level or above. An item's
``section:`` phrases name, in order of preference, the headings its clause
would sit under ("security", "privacy", "data protection"): every phrase is
tried on the sections at the section level first, in the order written, and
only then on the headings below them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..playbook.patterns import Phrase
from .reading import Paper, Paragraph

__all__ = ["Section", "find_section", "sections"]


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the paper: its heading paragraph and the paragraphs up to the next section."""

    start: int  # position of the heading in Paper.paragraphs
    end: int  # position just past its last paragraph
    title: str
    label: str
    depth: int

    @property
    def name(self) -> str:
        """How a reader names it: "3 Privacy & Security", or the title alone when unnumbered."""
        return f"{self.label} {self.title}" if self.label else self.title


def _depth(paragraph: Paragraph) -> int:
    return paragraph.heading.count(" / ") if paragraph.heading else 0


def _is_heading(paragraph: Paragraph) -> bool:
    if not paragraph.title or paragraph.kind == "table":
        return False
    return paragraph.kind == "heading" or (bool(paragraph.label) and not any(mark in paragraph.label for mark in ".("))


def sections(paper: Paper) -> tuple[Section, ...]:
    """Every titled heading of the paper, each with the extent of its section, section level first."""
    paragraphs = paper.paragraphs
    headings = [(position, _depth(paragraph)) for position, paragraph in enumerate(paragraphs) if _is_heading(paragraph)]
    depths = [depth for _, depth in headings]
    level = min((depth for depth in set(depths) if depths.count(depth) >= 2), default=min(depths, default=0))
    found = []
    for number, (position, depth) in enumerate(headings):
        if depth < level:
            continue
        end = next((later for later, later_depth in headings[number + 1:] if later_depth <= depth), len(paragraphs))
        paragraph = paragraphs[position]
        found.append(Section(position, end, paragraph.title, paragraph.label if paragraph.title != paragraph.label else "", depth))
    found.sort(key=lambda section: (section.depth != level, section.depth, section.start))
    return tuple(found)


def find_section(paper: Paper, phrases: Sequence[Phrase], known: tuple[Section, ...] | None = None) -> Section | None:
    """The section a clause with these ``section:`` phrases belongs in, or ``None`` (it goes under "Additional terms")."""
    candidates = sections(paper) if known is None else known
    if not candidates:
        return None
    level = candidates[0].depth
    for group in ([section for section in candidates if section.depth == level], [section for section in candidates if section.depth != level]):
        for phrase in phrases:
            for section in group:
                if phrase.regex.search(section.title):
                    return section
    return None

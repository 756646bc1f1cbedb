"""A vendor's contract as a clause tree: numbered paragraphs with their labels and headings.

Each file type has a reader (:data:`dealbook.paper.formats.READERS`); all of them produce the same
:class:`Paper`: paragraphs in document order, each with the clause label the
document shows (``5.5(b)``, ``K.4``), its own title and the titles of the
clauses above it. The reviewer matches patterns paragraph by paragraph and
reports each finding by its label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

__all__ = ["Paragraph", "Paper", "ClauseChain", "split_title", "name_clauses", "SECTION_MARK"]

SECTION_MARK = " \u203a "  # "Fees › 2": the heading of an unnumbered section, then the clause within it


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of the vendor's paper."""

    index: int  # position in the source: the Word paragraph (body order, tables included) or the Markdown block
    label: str  # the clause number as the document shows it, parents prefixed: "5.5(b)"; "" when unnumbered
    title: str  # the clause's own title ("Effect of Termination"), if it has one
    heading: str  # the titles of the clauses above and its own, " / "-joined: the heading scope of patterns
    text: str  # the text, with tracked changes read as accepted
    kind: str = "clause"  # clause, heading, table
    line: int = 0  # line in a Markdown source
    offset: int = 0  # where ``text`` starts in the Word paragraph (a label written before it)
    cited: str = ""  # under an unnumbered heading: "Fees › 2", "Liability › ¶1" (see name_clauses)

    @property
    def reference(self) -> str:
        """How a finding names this paragraph: its label, else its title, else its position."""
        if self.cited:
            return self.cited
        if self.label:
            return self.label
        return f"¶{self.index + 1}" + (f" ({self.title})" if self.title else "")


@dataclass(frozen=True, slots=True)
class Paper:
    """A vendor's document read into paragraphs."""

    path: str
    format: str  # docx or md
    paragraphs: tuple[Paragraph, ...]
    title: str = ""

    @property
    def words(self) -> int:
        return sum(len(paragraph.text.split()) for paragraph in self.paragraphs)


class ClauseChain:
    """The clause above each level, so that a paragraph's heading path and parent label are known."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.titles: list[str] = []

    def enter(self, level: int, label: str, title: str) -> str:
        """Place a clause at ``level`` (0 = top); returns its heading path."""
        del self.labels[level:], self.titles[level:]
        while len(self.labels) < level:
            self.labels.append(self.labels[-1] if self.labels else "")
            self.titles.append("")
        self.labels.append(label)
        self.titles.append(title)
        return " / ".join(title for title in self.titles if title)

    def parent_label(self, level: int) -> str:
        """The label of the nearest numbered clause above ``level``."""
        for label in reversed(self.labels[:level]):
            if label:
                return label
        return ""

    def path(self) -> str:
        return " / ".join(title for title in self.titles if title)

    def label(self) -> str:
        return next((label for label in reversed(self.labels) if label), "")


def name_clauses(paragraphs: Sequence[Paragraph]) -> tuple[Paragraph, ...]:
    """Name the clauses of unnumbered sections by their heading, so that a reference points at one place.

    A paper whose sections have headings but no numbers (a vendor's web terms)
    restarts its list numbers in every section, so "2" names a clause in each
    of them. There, every clause under an unnumbered heading is named
    ``heading › number`` ("Fees › 2"). A paragraph with no number of its own
    and no numbered clause above it is named by its heading and its place
    among the heading's unnumbered paragraphs ("Liability › ¶2"), in any
    paper. Labels themselves are unchanged (Word's numbering still uses them).
    """
    under: list[tuple[str, int] | None] = []  # per paragraph: the unnumbered heading above it and that heading's position
    current: tuple[str, int] | None = None
    for position, paragraph in enumerate(paragraphs):
        if paragraph.kind == "heading":
            current = (paragraph.title or paragraph.text.strip(), position) if not paragraph.label else None
            under.append(None)
        else:
            under.append(current)
    headings_of: dict[str, set[int]] = {}
    for paragraph, heading in zip(paragraphs, under, strict=True):
        if heading is not None and paragraph.label:
            headings_of.setdefault(paragraph.label, set()).add(heading[1])
    repeated = any(len(positions) > 1 for positions in headings_of.values())
    named, places = [], {}
    for paragraph, heading in zip(paragraphs, under, strict=True):
        if heading is None or (paragraph.label and not repeated):
            named.append(paragraph)
            continue
        title, at = heading
        if paragraph.label:
            named.append(replace(paragraph, cited=f"{title}{SECTION_MARK}{paragraph.label}"))
        else:
            places[at] = places.get(at, 0) + 1
            named.append(replace(paragraph, cited=f"{title}{SECTION_MARK}\u00b6{places[at]}"))
    return tuple(named)


_TITLE = re.compile(r"^\s*([A-Z][^.:;!?]{1,70}?)[.:]\s+(?=\S)")


def split_title(text: str) -> str:
    """A clause's own title: "Effect of Termination.  Termination of ..." → "Effect of Termination"."""
    match = _TITLE.match(text)
    if match and len(match.group(1).split()) <= 8 and not match.group(1).rstrip().endswith((" of", " the", " a")):
        return match.group(1).strip()
    return ""

"""A vendor's contract as a clause tree: numbered paragraphs with their labels and headings.

Each file type has a reader (:data:`dealbook.paper.formats.READERS`); all of them produce the same
:class:`Paper`: paragraphs in document order, each with the clause label the
document shows (``5.5(b)``, ``K.4``), its own title and the titles of the
clauses above it. The reviewer matches patterns paragraph by paragraph and
reports each finding by its label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Paragraph", "Paper", "ClauseChain", "split_title"]


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

    @property
    def reference(self) -> str:
        """How a finding names this paragraph: its label, else its title, else its position."""
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


_TITLE = re.compile(r"^\s*([A-Z][^.:;!?]{1,70}?)[.:]\s+(?=\S)")


def split_title(text: str) -> str:
    """A clause's own title: "Effect of Termination.  Termination of ..." → "Effect of Termination"."""
    match = _TITLE.match(text)
    if match and len(match.group(1).split()) <= 8 and not match.group(1).rstrip().endswith((" of", " the", " a")):
        return match.group(1).strip()
    return ""

"""Reading a Markdown contract into numbered paragraphs.

Contracts published as Markdown number their clauses in three ways, often
together: headings (``## K. Term``, ``### 4. Effect of Termination``),
nested ordered lists (``1.`` under ``5.``, ``a.`` under that), and HTML
anchors such as ``<span class="header_3" id="8.1">Liability Caps.</span>``
(Common Paper), whose text is the clause title. Labels are built the way a
reader cites them: a list item under clause 5 numbered 5 is ``5.5``, a
lettered item under it ``5.5(b)``, a numbered heading under ``K.`` is
``K.4``. List numbers count from the first item, as a Markdown renderer
shows them. HTML is read as text only: tags are dropped, entities decoded.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .reading import ClauseChain, Paper, Paragraph, name_clauses, split_title
from .safety import read_text_file

__all__ = ["read_markdown", "plain_text"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(\s*)(?:(\d{1,3})[.)]|([a-z]|[ivx]{1,5})[.)]|([*+-]))\s+(.*)$")
_NUMBERED = re.compile(r"^(?:(?:Section|Article)\s+)?([A-Z]|\d{1,3}(?:\.\d{1,3})*)[.)]?\s+(?=\S)(.*)$")
_TITLE_SPAN = re.compile(r'<span[^>]*class="header_\d"[^>]*>(.*?)</span>', re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,500}>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")
_ROMAN = re.compile(r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)$")


def plain_text(markdown: str) -> str:
    """Inline Markdown and HTML as the text a reader sees."""
    text = _TAG.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = text.replace("\\", "")
    return html.unescape(text).strip()


class _Lists:
    """Open list levels by indentation: the count of each, and the clause each item opened."""

    def __init__(self) -> None:
        self.open: list[tuple[int, str, int]] = []  # indent, kind (number, letter, roman, bullet), count

    def item(self, indent: int, kind: str, mark: str) -> tuple[int, int]:
        """Register an item; returns (depth in the list stack, its number)."""
        while self.open and self.open[-1][0] > indent:
            self.open.pop()
        if self.open and self.open[-1][0] == indent and self.open[-1][1] == kind:
            depth = len(self.open) - 1
            _, _, count = self.open[depth]
            self.open[depth] = (indent, kind, count + 1)
            return depth, count + 1
        if self.open and self.open[-1][0] == indent:
            self.open.pop()
        start = int(mark) if kind == "number" else _letter_value(mark, kind)
        self.open.append((indent, kind, start))
        return len(self.open) - 1, start

    def close(self) -> None:
        self.open.clear()


def _letter_value(mark: str, kind: str) -> int:
    if kind == "letter":
        return ord(mark) - ord("a") + 1
    return 1


def _roman(number: int) -> str:
    numerals = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
    return numerals[number - 1] if 0 < number <= len(numerals) else str(number)


def read_markdown(path: Path) -> Paper:
    """Read a Markdown contract (see the module docstring)."""
    lines = read_text_file(path).splitlines()
    start = 0
    if lines and lines[0].strip() == "---":  # front matter
        closing = next((index for index in range(1, len(lines)) if lines[index].strip() in ("---", "...")), None)
        start = closing + 1 if closing is not None else 0
    reader = _Reader()
    for number in range(start, len(lines)):
        reader.line(lines[number], number + 1)
    reader.flush()
    title = next((paragraph.text for paragraph in reader.paragraphs if paragraph.kind == "heading"), "")
    return Paper(str(path), "md", name_clauses(reader.paragraphs), title)


class _Reader:
    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self.chain = ClauseChain()
        self.lists = _Lists()
        self.heading_depth = 0  # chain levels the headings occupy
        self.heading_levels: list[int] = []  # Markdown levels of the open headings
        self.pending: list[str] = []
        self.pending_line = 0
        self.pending_label = ""
        self.pending_title = ""
        self.pending_heading = ""
        self.in_code = False

    def flush(self) -> None:
        if self.pending:
            raw = " ".join(part.strip() for part in self.pending)
            text = plain_text(raw)
            if text:
                self.paragraphs.append(Paragraph(len(self.paragraphs), self.pending_label, self.pending_title,
                                                 self.pending_heading, text, "clause", self.pending_line))
        self.pending = []

    def start(self, text: str, line: int, label: str, title: str, heading: str) -> None:
        self.flush()
        self.pending, self.pending_line = [text], line
        self.pending_label, self.pending_title, self.pending_heading = label, title, heading

    def line(self, raw: str, number: int) -> None:
        stripped = raw.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            self.flush()
            self.in_code = not self.in_code
            return
        if self.in_code:
            return
        if not stripped or stripped.startswith("<!--"):
            self.flush()
            return
        heading = _HEADING.match(stripped)
        if heading and not raw.startswith((" ", "\t")):
            self.heading(len(heading.group(1)), heading.group(2), number)
            return
        item = _ITEM.match(raw.expandtabs(4))
        if item:
            self.item(item, number)
            return
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ").strip()
            if stripped.startswith("[!"):
                return
        if stripped.startswith("|"):
            self.flush()
            if set(stripped) <= set("|-: "):
                return
            cells = [plain_text(cell) for cell in stripped.strip("|").split("|")]
            self.start(" | ".join(cell for cell in cells if cell), number, self.chain.label(), "", self.chain.path())
            self.flush()
            return
        if raw.startswith((" ", "\t")) and self.pending:
            self.pending.append(stripped)
            return
        if self.pending and not self.lists.open:
            self.pending.append(stripped)
            return
        if self.lists.open and not raw.startswith((" ", "\t")):
            self.lists.close()
        self.start(stripped, number, self.chain.label(), "", self.chain.path())

    def heading(self, level: int, text: str, number: int) -> None:
        self.flush()
        self.lists.close()
        while self.heading_levels and self.heading_levels[-1] >= level:
            self.heading_levels.pop()
        depth = len(self.heading_levels)
        self.heading_levels.append(level)
        plain = plain_text(text)
        numbered = _NUMBERED.match(plain)
        label, title = "", plain.rstrip(".")
        if numbered:
            own = numbered.group(1)
            parent = self.chain.parent_label(depth)
            label = own if "." in own or not parent else f"{parent}.{own}"
            title = numbered.group(2).strip().rstrip(".")
        heading_path = self.chain.enter(depth, label, title)
        self.heading_depth = depth + 1
        self.paragraphs.append(Paragraph(len(self.paragraphs), label or self.chain.label(), title, heading_path, plain, "heading", number))

    def item(self, match: re.Match[str], number: int) -> None:
        indent, digits, letters, bullet, rest = match.group(1), match.group(2), match.group(3), match.group(4), match.group(5)
        if bullet:
            kind, mark = "bullet", ""
        elif digits:
            kind, mark = "number", digits
        elif letters and _ROMAN.match(letters) and not (letters == "i" and self._expects_letter(len(indent))):
            kind, mark = "roman", letters
        else:
            kind, mark = "letter", letters or "a"
        depth, count = self.lists.item(len(indent), kind, mark)
        level = self.heading_depth + depth
        span = _TITLE_SPAN.search(rest)
        title = plain_text(span.group(1)).rstrip(".") if span else split_title(plain_text(rest))
        if kind == "bullet":
            self.start(rest, number, self.chain.label(), "", self.chain.path())
            return
        parent = self.chain.parent_label(level)
        if kind == "number":
            label = f"{parent}.{count}" if parent else str(count)
        else:
            label = f"{parent}({chr(ord('a') + count - 1) if kind == 'letter' else _roman(count)})"
        heading_path = self.chain.enter(level, label, title)
        self.start(rest, number, label, title, heading_path)

    def _expects_letter(self, indent: int) -> bool:
        return any(open_indent == indent and kind == "letter" and count == 8 for open_indent, kind, count in self.lists.open)

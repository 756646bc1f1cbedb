"""Runs: one paragraph's inline tokens as WordprocessingML — text, emphasis, code, links, breaks, boxes, bars.

The block writer (:mod:`.writer`) hands each paragraph's inline tokens to an
:class:`Inline`. Consecutive text in one formatting becomes one run. Every
piece of document text goes through :func:`escape_text` (or, for text from
the token stream, which parsing already cleared of what XML cannot hold,
:func:`escape_parsed`), so no input can produce an invalid file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from ..anchors import bookmark
from ..tokens import NOT_XML
from .furniture import checkbox, position_bar

__all__ = ["Inline", "INLINE", "run", "text_xml", "escape_text", "escape_parsed"]

_QUOTE = {'"': "&quot;"}
_BAR = re.compile(r"^position:(\d(?:\.\d+)?),(\d(?:\.\d+)?)$")


def escape_text(text: str) -> str:
    """``text`` made safe as XML character data or a quoted attribute value."""
    return escape(NOT_XML.sub("", text), _QUOTE)


def escape_parsed(text: str) -> str:
    """:func:`_escape` for text from the token stream, which parsing already cleared of what XML cannot hold."""
    # most runs of clause text hold none of the four: no call into saxutils at all
    if "&" in text or "<" in text or ">" in text or '"' in text:
        return escape(text, _QUOTE)
    return text


@dataclass(slots=True)
class Inline:
    """Runs for one paragraph's inline tokens: emphasis, code, links and breaks.

    Consecutive text in the same formatting becomes one run, so the document
    stays small and copied text comes out whole.
    """

    writer: Any  # the block writer: its styles, links and what the paragraph is
    out: list[str]
    bold: int = 0
    italic: int = 0
    char_style: str = ""
    pending: list[str] = field(default_factory=list)
    pending_format: tuple = ()

    def write(self, children) -> None:
        for token in children:
            handler = INLINE.get(token.type)
            if handler:
                handler(self, token)
            elif token.content:  # anything unexpected stays visible as plain text
                self.add(token.content)
        self.flush()

    def add(self, text: str, char_style: str | None = None) -> None:
        """Queue ``text`` in the current formatting (or in ``char_style``)."""
        if not text:
            return
        run_format = (self.bold > 0, self.italic > 0, self.char_style if char_style is None else char_style)
        if run_format != self.pending_format:
            self.flush()
            self.pending_format = run_format
        self.pending.append(text)

    def flush(self) -> None:
        if self.pending:
            self.out.append(run("".join(self.pending), *self.pending_format))
            self.pending.clear()

    def text(self, token) -> None:
        if self.writer.in_subclause:  # "(a) text": a tab after the marker, to the hanging indent
            self.writer.in_subclause = False
            marker, _, rest = token.content.partition(" ")
            self.add(f"{marker}\t{rest}")
            return
        self.add(token.content)

    def code(self, token) -> None:
        self.add(token.content, self.writer.styles.code_char)

    def image(self, token) -> None:
        # Images are never fetched: a position bar is drawn, any other image's alternative text stands in for it.
        bar = _BAR.match(str(token.attrGet("src") or ""))
        if bar:
            self.flush()
            self.out.append(position_bar(float(bar.group(1)), float(bar.group(2))))
            return
        self.add("".join(child.content for child in token.children or []) or token.content)

    def task_box(self, token) -> None:
        self.flush()
        self.out.append(checkbox(token.meta["checked"]))
        self.out.append("<w:r><w:tab/></w:r>" if self.writer.task_tab else '<w:r><w:t xml:space="preserve"> </w:t></w:r>')

    def soft_break(self, token) -> None:
        self.add(" ")

    def hard_break(self, token) -> None:
        self.flush()
        self.out.append("<w:r><w:br/></w:r>")

    def emphasis(self, token) -> None:
        if token.type.startswith("strong"):
            self.bold += token.nesting
        else:
            self.italic += token.nesting

    def link_open(self, token) -> None:
        self.flush()
        href, title = str(token.attrGet("href") or ""), str(token.attrGet("title") or "")
        target = f'w:anchor="{bookmark(href[1:])}"' if href.startswith("#") else f'r:id="{self.writer.links(href)}"'
        tooltip = f' w:tooltip="{escape_text(title)}"' if title else ""
        self.out.append(f"<w:hyperlink {target}{tooltip} w:history=\"1\">")
        self.char_style = self.writer.styles.link_char

    def link_close(self, token) -> None:
        self.flush()
        self.out.append("</w:hyperlink>")
        self.char_style = ""


INLINE = {
    "text": Inline.text,
    "code_inline": Inline.code,
    "image": Inline.image,
    "task_box": Inline.task_box,
    "softbreak": Inline.soft_break,
    "hardbreak": Inline.hard_break,
    "strong_open": Inline.emphasis,
    "strong_close": Inline.emphasis,
    "em_open": Inline.emphasis,
    "em_close": Inline.emphasis,
    "link_open": Inline.link_open,
    "link_close": Inline.link_close,
}


def run(text: str, bold: bool = False, italic: bool = False, char_style: str = "") -> str:
    """A run holding ``text``; tabs and line breaks become Word's own elements."""
    properties = ""
    if bold or italic or char_style:
        properties = "".join((f'<w:rStyle w:val="{char_style}"/>' if char_style else "",
                              "<w:b/>" if bold else "", "<w:i/>" if italic else ""))
        properties = f"<w:rPr>{properties}</w:rPr>"
    if "\t" not in text and "\n" not in text:
        return f"<w:r>{properties}{text_xml(text)}</w:r>"
    lines = ("<w:tab/>".join(text_xml(piece) for piece in line.split("\t")) for line in text.split("\n"))
    return f"<w:r>{properties}{'<w:br/>'.join(lines)}</w:r>"


def text_xml(text: str) -> str:
    if not text:
        return ""
    if text[0].isspace() or text[-1].isspace():
        return f'<w:t xml:space="preserve">{escape_parsed(text)}</w:t>'
    return f"<w:t>{escape_parsed(text)}</w:t>"

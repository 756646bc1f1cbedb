"""One Markdown parser for every output format.

The HTML and Word writers both start from markdown-it-py's token stream.
Parsing is the costliest step of rendering a pack, so each document is parsed
once and the tokens are shared (the writers never modify them). Rules the
pack's Markdown cannot contain — raw HTML, reference definitions, setext
headings — are switched off, which also makes the parser faster.

GFM task items (``- [ ] text``, ``- [x] text``) are recognised once, here, by
one core rule: the item's ``list_item_open`` gets ``meta["task"]`` (``False``
open, ``True`` ticked) and the class ``task`` (``task done``), and its first
paragraph starts with a ``task_box`` token instead of the marker text. Each
writer draws the box its own way.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["NOT_XML", "parse", "parser"]

#: Characters neither HTML nor Word XML can hold; dropped before parsing
#: (markdown-it would turn NUL into U+FFFD).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_UNUSED_RULES = ["html_block", "html_inline", "reference", "lheading"]
_TASK_MARKERS = {"[ ] ": False, "[x] ": True, "[X] ": True}
_BOXES = {False: "\u2610", True: "\u2612"}  # ☐ ☒


def _task_items(state: Any) -> None:
    """Mark GFM task items and replace their ``[ ] `` marker with a ``task_box`` token."""
    tokens = state.tokens
    for index in range(len(tokens) - 2):
        item = tokens[index]
        if item.type != "list_item_open" or tokens[index + 1].type != "paragraph_open":
            continue
        children = tokens[index + 2].children
        first = children[0] if children else None
        if first is None or first.type != "text" or first.content[:4] not in _TASK_MARKERS:
            continue
        checked = _TASK_MARKERS[first.content[:4]]
        item.meta["task"] = checked
        item.attrSet("class", "task done" if checked else "task")
        box = first.copy(type="task_box", content="", meta={"checked": checked})
        rest = first.content[4:]
        children[:1] = [box, first.copy(content=rest)] if rest else [box]


def _render_task_box(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    return f'<span class="box" aria-hidden="true">{_BOXES[tokens[index].meta["checked"]]}</span> '


@lru_cache(maxsize=1)
def parser() -> Any:
    """The shared ``MarkdownIt`` instance: CommonMark, GFM tables and task items, no raw HTML."""
    # Imported here, not at the top: markdown-it-py costs start-up time that
    # commands writing only Markdown (or nothing) should not pay.
    from markdown_it import MarkdownIt  # noqa: PLC0415

    markdown = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table").disable(_UNUSED_RULES)
    markdown.core.ruler.push("task_items", _task_items)
    markdown.add_render_rule("task_box", _render_task_box)
    return markdown


@lru_cache(maxsize=8)
def parse(markdown: str) -> tuple[Any, ...]:
    """The token stream of ``markdown`` (cached: HTML and Word reuse it)."""
    return tuple(parser().parse(NOT_XML.sub("", markdown)))

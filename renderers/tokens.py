"""One Markdown parser for every output format.

The HTML and Word writers both start from markdown-it-py's token stream.
Parsing is the costliest step of rendering a pack, so each document is parsed
once and the tokens are shared (the writers never modify them). Rules the
pack's Markdown cannot contain — raw HTML, reference definitions, setext
headings — are switched off, which also makes the parser faster.

What the writers need beyond CommonMark is decided once, here, by core
rules over the token stream, and each writer draws it its own way:

- GFM task items (``- [ ] text``, ``- [x] text``): the item's
  ``list_item_open`` gets ``meta["task"]`` (``False`` open, ``True`` ticked)
  and the class ``task`` (``task done``); its first paragraph starts with a
  ``task_box`` token instead of the marker text.
- Headings get an ``id``: the anchor of their text (:mod:`.anchors`), made
  unique with ``-1``, ``-2`` as GitHub does.
- A table whose header cells are all empty is a key/value table: its header
  row is hidden, its key columns (the first, or every other one of an even
  number) hold row headers (``th scope="row"``);
  other tables' header cells get ``scope="col"``.
- In a block quote (clause language), a paragraph starting with ``(a)``,
  ``(ii)`` ... is a sub-clause: ``meta["subclause"]`` holds the marker and
  the paragraph gets the class ``sub``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .anchors import anchor

__all__ = ["NOT_XML", "parse", "parser"]

#: Characters neither HTML nor Word XML can hold; dropped before parsing
#: (markdown-it would turn NUL into U+FFFD).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_UNUSED_RULES = ["html_block", "html_inline", "reference", "lheading"]
_TASK_MARKERS = {"[ ] ": False, "[x] ": True, "[X] ": True}
_BOXES = {False: "\u2610", True: "\u2612"}  # ☐ ☒
_SUBCLAUSE = re.compile(r"^\(([a-z]{1,4}|\d{1,2})\) ")
#: A character at which one of the enabled inline rules can start (line break, escape, code span, emphasis,
#: link, image, autolink, entity; ``~`` for strikethrough, should it be enabled).
_INLINE_MARKUP = re.compile(r"[\n\\`*_\[\]!<&~]")


def _inline(state: Any) -> None:
    """markdown-it's ``inline`` core rule, with a shortcut for text no inline rule can touch.

    Half the inline runs of a pack are plain prose; for them the inline
    parser would only ever make one text token, so that token is made
    directly (tests check the two agree on every example pack and on
    generated text).
    """
    from markdown_it.token import Token  # noqa: PLC0415 - markdown-it-py is imported only once a parse is asked for

    md, env = state.md, state.env
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if content and _INLINE_MARKUP.search(content) is None:
            text = Token("text", "", 0)
            text.content = content
            token.children.append(text)
        else:
            md.inline.parse(content, md, env, token.children)


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


def _heading_ids(state: Any) -> None:
    """Give every heading the anchor of its text as ``id``, unique within the document."""
    seen: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = "".join(child.content for child in tokens[index + 1].children or () if child.type in ("text", "code_inline"))
        fragment = anchor(text)
        count = seen.get(fragment, 0)
        seen[fragment] = count + 1
        token.attrSet("id", f"{fragment}-{count}" if count else fragment)


def _tables(state: Any) -> None:
    """Scope the header cells; hide the empty header row of key/value tables and make their first column headers."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "table_open":
            continue
        end = index
        while tokens[end].type != "thead_close":
            end += 1
        header = tokens[index + 1:end + 1]
        key_value = all(not cell.content.strip() for cell in header if cell.type == "inline")
        if not key_value:
            for cell in header:
                if cell.type == "th_open":
                    cell.attrSet("scope", "col")
            continue
        token.meta["key_value"] = True
        token.attrSet("class", "facts")
        for cell in header:
            cell.hidden = True
        # Two columns: key, value. Four or six: key, value, key, value ...
        columns = sum(cell.type == "th_open" for cell in header)
        keys = range(0, columns, 2) if columns % 2 == 0 else range(1)
        position, column = end + 1, 0
        while tokens[position].type != "table_close":
            cell = tokens[position]
            if cell.type == "tr_open":
                column = 0
            elif cell.type in ("td_open", "td_close"):
                if column in keys:
                    cell.tag = "th"
                    if cell.type == "td_open":
                        cell.attrSet("scope", "row")
                column += cell.type == "td_close"
            position += 1


def _subclauses(state: Any) -> None:
    """Mark the ``(a)`` / ``(ii)`` paragraphs of block quotes as sub-clauses."""
    depth, tokens = 0, state.tokens
    for index, token in enumerate(tokens):
        if token.type in ("blockquote_open", "blockquote_close"):
            depth += token.nesting
        elif depth and token.type == "paragraph_open" and index + 1 < len(tokens):
            match = _SUBCLAUSE.match(tokens[index + 1].content)
            if match:
                token.meta["subclause"] = match.group(0).strip()
                token.attrSet("class", "sub")


def _render_task_box(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    return f'<span class="box" aria-hidden="true">{_BOXES[tokens[index].meta["checked"]]}</span> '


@lru_cache(maxsize=2)
def parser(shortcuts: bool = True) -> Any:
    """The shared ``MarkdownIt`` instance: CommonMark, GFM tables and task items, no raw HTML.

    ``shortcuts=False`` gives the same parser without its two shortcuts for
    plain text (the ``inline`` rule's and the text rule's narrower stops):
    the reference they are tested against.
    """
    # Imported here, not at the top: markdown-it-py costs start-up time that
    # commands writing only Markdown (or nothing) should not pay.
    from markdown_it import MarkdownIt  # noqa: PLC0415

    markdown = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table").disable(_UNUSED_RULES)
    if shortcuts:
        markdown.core.ruler.at("inline", _inline)
        # The text rule stops at every character some inline rule of any preset might start at ('-', ':', '%'
        # ... which fill contract prose); stopping only where an enabled rule can start gives the same tokens.
        markdown.inline.terminator_re = _INLINE_MARKUP
    for name, rule in (("task_items", _task_items), ("heading_ids", _heading_ids), ("tables", _tables), ("subclauses", _subclauses)):
        markdown.core.ruler.push(name, rule)
    markdown.add_render_rule("task_box", _render_task_box)
    return markdown


@lru_cache(maxsize=8)
def parse(markdown: str) -> tuple[Any, ...]:
    """The token stream of ``markdown`` (cached: HTML and Word reuse it)."""
    return tuple(parser().parse(NOT_XML.sub("", markdown)))

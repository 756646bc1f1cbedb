"""One Markdown parser for every output format.

The HTML and Word writers both start from markdown-it-py's token stream.
Parsing is the costliest step of rendering a pack, so each document is parsed
once and the tokens are shared (the writers never modify them). Rules the
pack's Markdown cannot contain — raw HTML, reference definitions, setext
headings — are switched off, which also makes the parser faster.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["parser", "parse", "NOT_XML"]

#: Characters neither HTML nor Word XML can hold; dropped before parsing
#: (markdown-it would turn NUL into U+FFFD).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_UNUSED_RULES = ["html_block", "html_inline", "reference", "lheading"]


@lru_cache(maxsize=1)
def parser() -> Any:
    """The shared ``MarkdownIt`` instance: CommonMark, GFM tables, no raw HTML."""
    from markdown_it import MarkdownIt  # noqa: PLC0415 - loaded only when a document is parsed

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table").disable(_UNUSED_RULES)


@lru_cache(maxsize=8)
def parse(markdown: str) -> tuple[Any, ...]:
    """The token stream of ``markdown`` (cached: HTML and Word reuse it)."""
    return tuple(parser().parse(NOT_XML.sub("", markdown)))

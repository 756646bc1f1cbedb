"""Anchors: one name per heading, the same in Markdown, HTML and Word.

A heading's anchor is the fragment GitHub and markdownlint derive from its
text (lower case, punctuation dropped, spaces to hyphens, percent-encoded),
so ``[Payment terms](#32-payment-terms)`` works in the ``.md`` file, is the
``id`` of the HTML heading, and names its Word bookmark (Word allows only
letters, digits and underscores, at most 40 characters, so the bookmark is
derived from the anchor; see :func:`bookmark`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

__all__ = ["anchor", "bookmark"]

_KEPT_CATEGORIES = ("L", "M", "N")
_BOOKMARK_LIMIT = 40


def anchor(text: str) -> str:
    """The fragment (without ``#``) GitHub and markdownlint give a heading with this text."""
    kept = "".join(
        character for character in str(text).lower()
        if character in "- _" or unicodedata.category(character)[0] in _KEPT_CATEGORIES
        or unicodedata.category(character) == "Pc"
    )
    return quote(kept.replace(" ", "-"), safe="-_.!~*'()")


def bookmark(fragment: str) -> str:
    """A Word bookmark name for an anchor: ``h_`` + letters, digits and underscores, at most 40 characters."""
    name = "h_" + re.sub(r"[^0-9A-Za-z]", "_", fragment)
    if len(name) <= _BOOKMARK_LIMIT:
        return name
    digest = hashlib.sha256(fragment.encode("utf-8")).hexdigest()[:8]
    return f"{name[:_BOOKMARK_LIMIT - 9]}_{digest}"

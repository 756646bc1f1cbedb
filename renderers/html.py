"""Briefing-pack HTML: one self-contained, printable file per document.

The Markdown is converted with markdown-it-py with raw HTML disabled, so any
``<`` that survived escaping is still shown as text; the page wrapper is a
Jinja template with autoescaping and inline CSS, and makes no external
requests.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from ..infra.sandbox import DOCUMENT, render_bounded, sandboxed_environment
from .tokens import parse, parser

__all__ = ["markdown_to_html"]


@cache
def _page():  # noqa: ANN202
    source = (files("dealbook.renderers") / "templates" / "page.html.j2").read_text(encoding="utf-8")
    css = (files("dealbook.renderers") / "assets" / "pack.css").read_text(encoding="utf-8")
    environment = sandboxed_environment(autoescape=True, keep_trailing_newline=True, trim_blocks=False, lstrip_blocks=False)
    return environment.from_string(source), css


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def markdown_to_html(markdown: str, *, title: str, lang: str = "en") -> str:
    """A complete HTML page for one pack document."""
    markdown_parser = parser()
    body = markdown_parser.renderer.render(list(parse(markdown)), markdown_parser.options, {})
    page, css = _page()
    title = " ".join(_CONTROL.sub(" ", title).split())  # no NUL, newline or other control character in <title>
    return render_bounded(page, {"title": title, "css": css, "body": body, "lang": lang}, DOCUMENT)

"""Briefing-pack HTML: one self-contained, printable file per document.

The tokens come from markdown-it-py with raw HTML disabled, so any ``<``
that survived escaping is still shown as text; the page wrapper is a Jinja
template with autoescaping and inline CSS (A4 pages numbered when printed,
the document's marking at the top of each page), and makes no external
requests: images are never fetched — a ``position:`` image (a term's
position bar) is drawn as inline SVG, any other shows its alternative text.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

from markdown_it.common.utils import escapeHtml

from ..infra.sandbox import DOCUMENT, render_bounded, sandboxed_environment
from .tokens import parse, parser

__all__ = ["markdown_to_html", "position_bar", "tokens_to_html"]

#: The language the pack's text is written in (and the bundled Word reference's proofing language).
LANG = "en-GB"
_BAR = re.compile(r"^position:(\d(?:\.\d+)?),(\d(?:\.\d+)?)$")
_WIDTH, _HEIGHT = 120, 14


def _css_string(value: str) -> str:
    return re.sub(r'["\\\n]', lambda match: f"\\{ord(match.group()):x} ", str(value))


@cache
def _page():  # noqa: ANN202
    source = (files("dealbook.renderers") / "templates" / "page.html.j2").read_text(encoding="utf-8")
    css = (files("dealbook.renderers") / "assets" / "pack.css").read_text(encoding="utf-8")
    environment = sandboxed_environment(autoescape=True, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=False,
                                        filters={"css_string": _css_string})
    return environment.from_string(source), css


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def position_bar(fallback: float, opening: float, label: str) -> str:
    """An inline SVG bar from our target (left) to the walk-away (right): green up to the fallback, amber beyond, red at the walk-away, a marker where we open."""
    split = round(fallback * (_WIDTH - 4), 1)
    marker = round(2 + opening * (_WIDTH - 6), 1)
    return (
        f'<svg class="bar" role="img" aria-label="{label}" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}"><title>{label}</title>'
        f'<rect x="0" y="5" width="{split}" height="5" fill="#3c8d40"/>'
        f'<rect x="{split}" y="5" width="{round(_WIDTH - 4 - split, 1)}" height="5" fill="#f0a202"/>'
        f'<rect x="{_WIDTH - 4}" y="1" width="4" height="13" fill="#b3261e"/>'
        f'<path d="M{marker - 4} 0 L{marker + 4} 0 L{marker} 6 Z" fill="#1d2433"/></svg>'
    )


def _render_image(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    token = tokens[index]
    label = escapeHtml(renderer.renderInlineAsText(token.children or [], options, env))
    match = _BAR.match(str(token.attrGet("src") or ""))
    return position_bar(float(match.group(1)), float(match.group(2)), label) if match else label


@cache
def _parser() -> Any:
    markdown_parser = parser()
    markdown_parser.add_render_rule("image", _render_image)
    return markdown_parser


def tokens_to_html(tokens: Any, *, title: str, lang: str = LANG, marking: str = "") -> str:
    """A complete HTML page for one pack document, from its tokens."""
    markdown_parser = _parser()
    body = markdown_parser.renderer.render(list(tokens), markdown_parser.options, {})
    page, css = _page()
    title = " ".join(_CONTROL.sub(" ", title).split())  # no NUL, newline or other control character in <title>
    return render_bounded(page, {"title": title, "css": css, "body": body, "lang": lang, "marking": marking}, DOCUMENT)


def markdown_to_html(markdown: str, *, title: str, lang: str = LANG, marking: str = "") -> str:
    """A complete HTML page for one pack document."""
    return tokens_to_html(parse(markdown), title=title, lang=lang, marking=marking)

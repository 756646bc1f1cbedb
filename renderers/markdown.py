"""Briefing-pack Markdown from Jinja templates, with every string escaped for Markdown.

Templates live in ``renderers/templates/``; an organisation can override any
of them by file name with ``--templates DIR``. Templates see only the
:class:`~dealbook.renderers.view.PackView`; text from answers, the deal and
the playbook reaches the output only through the escaping filters below
(``md``, ``cell``, ``quote``), so a vendor called ``Acme | *Corp* <b>`` can
neither break a table nor inject markup.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, TemplateError, TemplateNotFound

from ..errors import InputFileError, Location, TemplateRenderError
from ..infra.cache import template_code_cache
from ..infra.sandbox import DOCUMENT, BoundedEnvironment, render_bounded, sandboxed_environment
from .anchors import anchor
from .view import PackView, short

__all__ = ["TEMPLATES", "escape_block", "escape_cell", "escape_inline", "render_markdown"]

#: Section templates by name (file ``<name>.md.j2``): each renders one part's body.
TEMPLATES = ("cover", "title", "contents", "deal-sheet", "checklist", "term-sheet", "guidance", "clauses", "proposal")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")
_TITLE = re.compile(r"^([A-Z][\w’'&/ ,-]{1,70}?\.)(?:\s+|$)")
_TITLE_SMALL_WORDS = frozenset({"and", "of", "for", "the", "to", "in", "on", "or", "with", "a", "an", "by", "at", "from"})


def escape_inline(value: object) -> str:
    """Text on one line, with Markdown's special characters escaped."""
    text = _CONTROL.sub("", str(value))
    text = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", text)


def escape_cell(value: object) -> str:
    """Text for a table cell: one line, pipes escaped, never empty."""
    return escape_inline(value) or " "


def _escape_line(line: str) -> str:
    line = _CONTROL.sub("", line).rstrip()
    bullet = re.match(r"^\s*[-*]\s+", line)
    if bullet:
        line = "• " + line[bullet.end():]
    text = _SPECIAL.sub(r"\\\1", line.strip())
    return _LINE_START.sub(lambda match: match.group(1) + "\\" + match.group(2), text)


def _clause_title(line: str) -> tuple[str, str]:
    """A clause's leading title (``Price Protection.``) and the rest of the line; ``("", line)`` if it has none."""
    match = _TITLE.match(line)
    if not match:
        return "", line
    words = match.group(1).rstrip(".").split()
    if not all(word[0].isupper() or word in _TITLE_SMALL_WORDS for word in words):
        return "", line
    return match.group(1), line[match.end():]


def escape_block(value: object, prefix: str = "> ") -> str:
    """Clause language as a block quote: every line its own paragraph, the clause's title in bold.

    Lines are kept as paragraphs (not line breaks), so ``(a)``/``(b)``
    sub-clauses come out as separate, indentable paragraphs, ready to paste.
    """
    lines = [line for line in str(value).replace("\r\n", "\n").strip().split("\n") if line.strip()]
    paragraphs = []
    for index, line in enumerate(lines):
        title, rest = _clause_title(line.strip()) if index == 0 else ("", line)
        text = _escape_line(rest) if rest.strip() else ""
        if title:
            text = "**" + _SPECIAL.sub(r"\\\1", title) + "**" + (" " + text if text else "")
        paragraphs.append(prefix + text)
    return f"\n{prefix.rstrip()}\n".join(paragraphs)


@cache
def _environment(templates: Path | None) -> BoundedEnvironment:
    loaders = [PackageLoader("dealbook.renderers", "templates")]
    if templates is not None:
        loaders.insert(0, FileSystemLoader(str(templates)))
    filters = {"md": escape_inline, "cell": escape_cell, "quote": escape_block, "short": short, "anchor": anchor}
    environment = sandboxed_environment(ChoiceLoader(loaders), filters=filters, keep_trailing_newline=True,
                                        bytecode_cache=template_code_cache())
    environment.globals["heading"] = _heading
    return environment


def render_markdown(view: PackView, template: str, *, templates: Path | None = None, **context: object) -> str:
    """One section of the pack (a name from :data:`TEMPLATES`) as Markdown.

    ``context`` is what the section template reads besides ``pack``:
    ``base`` (the heading level of the section's title), ``links`` (whether
    the guidance it links to is in the same document), ``title``, ``marking``.
    """
    if templates is not None and not Path(templates).is_dir():
        raise InputFileError(Location(str(templates)), "templates folder not found")
    environment = _environment(Path(templates).resolve() if templates is not None else None)
    loaded = None
    try:
        loaded = environment.get_template(f"{template}.md.j2")
        text = render_bounded(loaded, {"pack": view, **context}, DOCUMENT)
    except TemplateNotFound as missing:
        raise InputFileError(Location(str(templates or "templates")), f"template not found: {missing.name}") from None
    except TemplateError as error:
        raise _located(error, loaded.filename if loaded is not None else None) from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _located(error: TemplateError, template_file: str | None = None) -> TemplateRenderError:
    """A template error as ``file:line: message``, from Jinja's rewritten traceback."""
    file, line = getattr(error, "filename", None) or template_file, getattr(error, "lineno", None)
    traceback = (error.__cause__ or error).__traceback__
    while traceback is not None:
        name = traceback.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            file, line = name, traceback.tb_lineno
        traceback = traceback.tb_next
    return TemplateRenderError(Location(file or "template", line or 0, 1 if line else 0), f"template error: {error.message or error}", error)


def _heading(level: int, text: str) -> str:
    return "#" * max(1, min(level, 6)) + " " + escape_inline(text)

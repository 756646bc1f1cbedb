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
from ..infra.sandbox import DOCUMENT, BoundedEnvironment, render_bounded, sandboxed_environment
from .view import PackView

__all__ = ["PARTS", "render_markdown", "escape_inline", "escape_cell", "escape_block"]

#: The documents of a briefing pack: file stem -> template.
PARTS: dict[str, str] = {
    "briefing-pack": "briefing-pack.md.j2",
    "checklist": "checklist.md.j2",
    "term-sheet": "term-sheet.md.j2",
    "redlines": "redlines.md.j2",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


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


def escape_block(value: object, prefix: str = "> ") -> str:
    """Multi-line text (clause language) as a block quote: lines kept, paragraphs kept."""
    paragraphs = re.split(r"\n\s*\n", str(value).replace("\r\n", "\n").strip())
    blocks = []
    for paragraph in paragraphs:
        lines = [_escape_line(line) for line in paragraph.split("\n") if line.strip()]
        blocks.append("\n".join(prefix + line + ("\\" if index < len(lines) - 1 else "") for index, line in enumerate(lines)))
    return f"\n{prefix.rstrip()}\n".join(blocks)


@cache
def _environment(templates: Path | None) -> BoundedEnvironment:
    loaders = [PackageLoader("dealbook.renderers", "templates")]
    if templates is not None:
        loaders.insert(0, FileSystemLoader(str(templates)))
    environment = sandboxed_environment(
        ChoiceLoader(loaders), filters={"md": escape_inline, "cell": escape_cell, "quote": escape_block}, keep_trailing_newline=True
    )
    environment.globals["heading"] = _heading
    return environment


def render_markdown(view: PackView, part: str, *, templates: Path | None = None) -> str:
    """One part of the pack (see :data:`PARTS`) as Markdown."""
    if templates is not None and not Path(templates).is_dir():
        raise InputFileError(Location(str(templates)), "templates folder not found")
    environment = _environment(Path(templates).resolve() if templates is not None else None)
    template = None
    try:
        template = environment.get_template(PARTS[part])
        text = render_bounded(template, {"pack": view}, DOCUMENT)
    except TemplateNotFound as missing:
        raise InputFileError(Location(str(templates or "templates")), f"template not found: {missing.name}") from None
    except TemplateError as error:
        raise _located(error, template.filename if template is not None else None) from None
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

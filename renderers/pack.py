"""Assembling and writing a briefing pack: every part, in every requested format.

Output formats are a registry (:data:`FORMATS`): a name, and a function from
the part's Markdown to the bytes of the file. Word and HTML are built from
the same Markdown, so the three formats always say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..deal.result import Evaluation
from ..errors import DealbookError
from ..infra.folders import WrittenFolder, folder_name, write_folder
from .markdown import PARTS, render_markdown
from .view import PackView, Standings, build_view

__all__ = ["FORMATS", "PART_TITLES", "PackOptions", "render_pack", "write_briefing_pack", "default_folder"]

PART_TITLES = {
    "briefing-pack": "Negotiation briefing",
    "checklist": "Checklist",
    "term-sheet": "Term sheet",
    "redlines": "Redline guidance",
}


@dataclass(frozen=True, slots=True)
class PackOptions:
    """How to render a pack: template overrides and the Word reference document."""

    templates: Path | None = None
    reference_docx: Path | None = None
    #: where the deal's negotiation stands, shown in the checklist and the term sheet
    standings: Standings | None = None


def _markdown(markdown: str, part: str, view: PackView, options: PackOptions) -> bytes:
    return markdown.encode("utf-8")


def _html(markdown: str, part: str, view: PackView, options: PackOptions) -> bytes:
    # Imported when HTML is asked for: markdown-it-py is start-up time a Markdown-only run never needs.
    from .html import markdown_to_html  # noqa: PLC0415

    return markdown_to_html(markdown, title=f"{PART_TITLES[part]} — {view.deal['name']}").encode("utf-8")


def _docx(markdown: str, part: str, view: PackView, options: PackOptions) -> bytes:
    # Imported when Word is asked for: python-docx and lxml are the costliest imports of all.
    from .docx import DocumentProperties, markdown_to_docx  # noqa: PLC0415

    properties = DocumentProperties(
        title=f"{PART_TITLES[part]} — {view.deal['name']}",
        subject=f"Negotiation with {view.deal['vendor']}",
        author=view.deal["negotiator"],
        keywords=f"dealbook; {view.playbook['id']} {view.playbook['version']}",
        created=view.deal["date"] or None,
    )
    return markdown_to_docx(markdown, reference=options.reference_docx, properties=properties)


#: Output formats: file extension -> converter from the part's Markdown.
FORMATS: dict[str, Callable[[str, str, PackView, PackOptions], bytes]] = {
    "md": _markdown,
    "docx": _docx,
    "html": _html,
}


def default_folder(evaluation: Evaluation) -> Path:
    """``<deal name>-brief``, made safe as a folder name in any script (see :func:`dealbook.infra.folders.folder_name`)."""
    return Path(folder_name(evaluation.answers.deal.name))


def render_pack(evaluation: Evaluation, formats: Iterable[str] = ("md", "docx", "html"), options: PackOptions = PackOptions()) -> dict[str, bytes]:
    """Every part of the pack in every format, as ``{file name: content}``; nothing is written."""
    formats = list(dict.fromkeys(formats))
    unknown = [name for name in formats if name not in FORMATS]
    if unknown or not formats:
        raise DealbookError(f"unknown output format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    if options.reference_docx is not None and not Path(options.reference_docx).is_file():
        raise DealbookError(f"reference document not found: {options.reference_docx}")
    view = build_view(evaluation, options.standings)
    rendered: dict[str, bytes] = {}
    for part in PARTS:
        markdown = render_markdown(view, part, templates=options.templates)
        for name in formats:
            rendered[f"{part}.{name}"] = FORMATS[name](markdown, part, view, options)
    return rendered


def write_briefing_pack(
    evaluation: Evaluation,
    folder: Path | None = None,
    formats: Iterable[str] = ("md", "docx", "html"),
    *,
    templates: Path | None = None,
    reference_docx: Path | None = None,
    standings: Standings | None = None,
) -> WrittenFolder:
    """Render the briefing pack and write it into ``folder`` (default: named after the deal).

    Everything is rendered before anything is written, and the folder is
    replaced as a whole, for this deal only (see :func:`dealbook.infra.folders.write_folder`).
    """
    contents = render_pack(evaluation, formats, PackOptions(templates, reference_docx, standings))
    answers = evaluation.answers.file
    return write_folder(folder or default_folder(evaluation), contents, deal=evaluation.answers.deal.name,
                        answers=str(Path(answers).resolve()) if answers and answers != "-" else answers)

"""Assembling and writing a briefing pack: every document, in every requested format.

The pack is built from sections (deal sheet, checklist, term sheet,
guidance, clause language), each rendered from its template and parsed once.
The combined briefing pack is the cover, the sections and a contents list,
in the order a negotiator uses them; the stand-alone documents reuse the same
section tokens, one heading level up and without the links that point into
the rest of the pack. Output formats are a registry (:data:`FORMATS`): a
name, and a function from a document to the bytes of its file; Word and HTML
are written from the same tokens, so the three formats always say the same
thing.

The ``vendor`` audience gets one document, the proposal: the opening
position of every applicable item as contract language, and nothing
internal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..deal.evaluation import Evaluation
from ..errors import DealbookError
from ..infra.folders import WrittenFolder, check_folder, folder_name, write_folder
from ..infra.helper import Helper
from .markdown import render_markdown
from .view import PackView, Standings, build_view

__all__ = [
    "AUDIENCES", "DOCUMENTS", "FORMATS", "INTERNAL_MARKING", "SECTIONS", "VENDOR_MARKING", "Document", "PackOptions", "Piece",
    "HELPED_FORMATS", "build_documents", "default_folder", "document_stems", "helper_modules", "pack_markdown", "render_pack", "write_briefing_pack",
]

INTERNAL_MARKING = "Confidential — internal negotiation guidance. Do not send to the vendor."
VENDOR_MARKING = "Proposal — subject to contract."
#: Who a pack is for: ``internal`` (the negotiation team) or ``vendor`` (the proposal only).
AUDIENCES = ("internal", "vendor")
#: Sections of the pack, in reading order: template name -> heading in the combined pack.
SECTIONS: dict[str, str] = {
    "deal-sheet": "Deal sheet",
    "checklist": "Checklist",
    "term-sheet": "Term sheet",
    "guidance": "Guidance",
    "clauses": "Appendix: clause language",
}
#: Stand-alone documents of the internal pack: file stem -> (title, section).
DOCUMENTS: dict[str, tuple[str, str]] = {
    "deal-sheet": ("Deal sheet", "deal-sheet"),
    "checklist": ("Checklist", "checklist"),
    "term-sheet": ("Term sheet", "term-sheet"),
    "redlines": ("Redline clauses", "clauses"),
}
#: File stems of the combined pack and of the vendor's proposal.
_PACK, _PROPOSAL = "briefing-pack", "proposal"


def document_stems(audience: str) -> tuple[str, ...]:
    """The file stems of the documents :func:`build_documents` makes for ``audience``, in its order."""
    return (_PROPOSAL,) if audience == "vendor" else (_PACK, *DOCUMENTS)


#: The sections in the order they are rendered: the largest first, so a helper can start parsing it soonest.
_LARGEST_FIRST = ("clauses", "guidance", "checklist", "term-sheet", "deal-sheet")
assert sorted(_LARGEST_FIRST) == sorted(SECTIONS)
#: Where the combined pack starts a new page: after the cover (its own template ends with one) and these sections.
_PAGE_AFTER = ("guidance",)


@dataclass(frozen=True, slots=True)
class PackOptions:
    """How to render a pack: template overrides, the Word reference document and the audience."""

    templates: Path | None = None
    reference_docx: Path | None = None
    audience: str = "internal"
    #: where the deal's negotiation stands (deal sheet, term sheet, the proposal's agreed points)
    standings: Standings | None = None


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of a document's Markdown, parsed on its own: as written, or (``standalone``) a pack section standing alone."""

    markdown: str
    standalone: bool = False


@dataclass(slots=True)
class Document:
    """One file of the pack before formatting: its Markdown and, when a writer asks, its tokens.

    The tokens are those of its pieces, each parsed once per pack (``parsed``
    is shared by every document of one pack), so the combined pack and the
    stand-alone documents parse their common sections once.
    """

    name: str
    title: str
    marking: str
    markdown: str
    pieces: tuple[Piece, ...] = field(repr=False)
    parsed: _Parsed = field(repr=False)
    _tokens: tuple[Any, ...] | None = field(default=None, repr=False)

    @property
    def tokens(self) -> tuple[Any, ...]:
        if self._tokens is None:
            self._tokens = tuple(token for piece in self.pieces for token in (
                _standalone(self.parsed[piece.markdown]) if piece.standalone else self.parsed[piece.markdown]))
        return self._tokens


class _Parsed(dict):
    """Token streams by Markdown text: within one pack, every piece is parsed once."""

    def __missing__(self, markdown: str) -> tuple[Any, ...]:
        # Imported when a writer needs tokens: markdown-it-py is start-up time a Markdown-only run never pays.
        from .tokens import parse  # noqa: PLC0415

        self[markdown] = tokens = parse(markdown)
        return tokens

    def __reduce__(self) -> tuple[Callable[[], _Parsed], tuple[()]]:
        # Another process parses for itself (tokens are cheaper to make than to send), starting from what
        # it parsed ahead, if it is a helper that was given hints.
        return (_parsed_ahead, ())


#: In a helper process: the pieces it parsed ahead of its job (:func:`_parse_ahead`); empty anywhere else.
_AHEAD = _Parsed()


def _parse_ahead(markdown: str) -> None:
    _AHEAD[markdown]  # noqa: B018 - parsed and kept: __missing__ does the work


def _parsed_ahead() -> _Parsed:
    return _AHEAD


def _standalone(tokens: tuple[Any, ...]) -> list[Any]:
    """A section's pack tokens as a document of its own: its heading dropped, headings one level up, no internal links."""
    out = []
    for token in tokens[3:]:
        if token.type in ("heading_open", "heading_close"):
            level = max(int(token.tag[1:]) - 1, 1)
            token = token.copy(tag=f"h{level}", markup="#" * level)
        elif token.type == "inline" and any(child.type == "link_open" for child in token.children or ()):
            token = token.copy(children=_unlinked(token.children))
        out.append(token)
    return out


def _unlinked(children: list[Any]) -> list[Any]:
    """Inline tokens with links into the rest of the pack (``#...``) reduced to their text."""
    out, open_links = [], []
    for child in children:
        if child.type == "link_open":
            internal = str(child.attrGet("href") or "").startswith("#")
            open_links.append(internal)
            if internal:
                continue
        elif child.type == "link_close" and open_links and open_links.pop():
            continue
        out.append(child)
    return out


_HEADING_LINE = re.compile(r"^#(#{1,5}) ", re.M)
_INTERNAL_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(#[^)\s]*\)")


def _standalone_markdown(body: str) -> str:
    """A section's pack Markdown as a document of its own, as :func:`_standalone` does for its tokens.

    Safe on text: escaping leaves no unescaped ``#`` at a line start, nor ``[`` outside the links templates write.
    """
    body = body.split("\n\n", 1)[1]  # the section's own heading
    return _INTERNAL_LINK.sub(r"\1", _HEADING_LINE.sub(r"\1 ", body))


def _heading(level: int, text: str) -> str:
    return f"{'#' * level} {text}\n\n"


def build_documents(view: PackView, options: PackOptions = PackOptions(),
                    rendered: Callable[[str], object] | None = None) -> list[Document]:
    """The documents of the pack for ``options.audience``, Markdown rendered, tokens parsed on demand.

    ``rendered`` is told each section's Markdown as soon as it is rendered, the largest first.
    """
    def render(template: str, **context: object) -> str:
        return render_markdown(view, template, templates=options.templates, **context)

    def told(markdown: str) -> str:
        if rendered is not None:
            rendered(markdown)
        return markdown

    parsed = _Parsed()
    if options.audience == "vendor":
        markdown = told(render("proposal", marking=VENDOR_MARKING))
        return [Document(_PROPOSAL, "Proposed terms", VENDOR_MARKING, markdown, (Piece(markdown),), parsed)]
    marking = INTERNAL_MARKING
    bodies = {name: told(_heading(2, SECTIONS[name]) + render(name, base=2, links=True, marking=marking)) for name in _LARGEST_FIRST}
    cover = render("cover", marking=marking)
    contents = _heading(2, "Contents") + render("contents", marking=marking)
    order = [cover, bodies["deal-sheet"], contents, bodies["checklist"], bodies["term-sheet"], bodies["guidance"],
             "---\n", bodies["clauses"]]
    assert len(_PAGE_AFTER) == order.count("---\n")
    documents = [Document(_PACK, "Negotiation briefing", marking, "\n".join(order), tuple(map(Piece, order)), parsed)]
    for stem, (title, section) in DOCUMENTS.items():
        head = render("title", title=title, marking=marking, deal_table=section != "deal-sheet")
        markdown = head + "\n" + _standalone_markdown(bodies[section])
        documents.append(Document(stem, title, marking, markdown, (Piece(head), Piece(bodies[section], standalone=True)), parsed))
    return documents


def pack_markdown(view: PackView, options: PackOptions = PackOptions()) -> dict[str, str]:
    """Every document's Markdown by file stem (nothing parsed)."""
    return {document.name: document.markdown for document in build_documents(view, options)}


#: A position bar as the Markdown templates write it: an image the HTML and Word writers draw.
_BAR_IMAGE = re.compile(r"!\[((?:\\.|[^\]\\])*)\]\(position:[0-9.]+,[0-9.]+\)")


def _markdown(document: Document, view: PackView, options: PackOptions) -> bytes:
    # A Markdown reader has nothing to draw a bar with: the bar's own words stand in for it.
    return _BAR_IMAGE.sub(r"\1", document.markdown).encode("utf-8")


def _html(document: Document, view: PackView, options: PackOptions) -> bytes:
    # Imported when HTML is asked for: markdown-it-py is start-up time a Markdown-only run never needs.
    from .html import tokens_to_html  # noqa: PLC0415

    page = tokens_to_html(document.tokens, title=f"{document.title} — {view.deal['name']}", marking=document.marking)
    return page.encode("utf-8")


def _docx(document: Document, view: PackView, options: PackOptions) -> bytes:
    # Imported when Word is asked for: python-docx and lxml are the costliest imports of all.
    from .docx import DocumentProperties, tokens_to_docx  # noqa: PLC0415

    properties = DocumentProperties(
        title=f"{document.title} — {view.deal['name']}",
        subject=f"Negotiation with {view.deal['vendor']}",
        author=view.deal["negotiator"],
        keywords=f"dealbook; {view.playbook['id']} {view.playbook['version']}",
        created=view.deal["date"] or None,
    )
    return tokens_to_docx(document.tokens, reference=options.reference_docx, properties=properties, header=document.marking)


#: Output formats: file extension -> converter from a document.
FORMATS: dict[str, Callable[[Document, PackView, PackOptions], bytes]] = {
    "md": _markdown,
    "docx": _docx,
    "html": _html,
}


def default_folder(evaluation: Evaluation) -> Path:
    """``<deal name>-brief``, made safe as a folder name in any script (see :func:`dealbook.infra.folders.folder_name`)."""
    return Path(folder_name(evaluation.answers.deal.name))


#: Formats worth handing to a helper process, with the modules it imports while this one works.
HELPED_FORMATS: dict[str, tuple[str, ...]] = {"docx": ("dealbook.renderers.docx", "dealbook.renderers.tokens")}


def helper_modules(formats: Iterable[str]) -> tuple[str, ...]:
    """The modules a helper should import ahead for ``formats`` (empty: no format is worth a helper)."""
    modules = tuple(dict.fromkeys(module for name in formats for module in HELPED_FORMATS.get(name, ())))
    return (__name__, *modules) if modules else ()  # this module, too: it holds the job


def _format_documents(names: list[str], documents: list[Document], view: PackView, options: PackOptions) -> dict[str, bytes]:
    return {f"{document.name}.{name}": FORMATS[name](document, view, options) for document in documents for name in names}


def render_pack(evaluation: Evaluation, formats: Iterable[str] = ("md", "docx", "html"), options: PackOptions = PackOptions(),
                helper: Helper | None = None) -> dict[str, bytes]:
    """Every document of the pack in every format, as ``{file name: content}``; nothing is written.

    With a ``helper`` (:func:`dealbook.infra.helper.start_helper`, given
    :func:`helper_modules`), the :data:`HELPED_FORMATS` are written by it
    while this process writes the others; the bytes are the same.
    """
    formats = list(dict.fromkeys(formats))
    unknown = [name for name in formats if name not in FORMATS]
    if unknown or not formats:
        raise DealbookError(f"unknown output format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    if options.audience not in AUDIENCES:
        raise DealbookError(f"unknown audience {options.audience}; choose from {', '.join(AUDIENCES)}")
    if options.reference_docx is not None and not Path(options.reference_docx).is_file():
        raise DealbookError(f"reference document not found: {options.reference_docx}")
    view = build_view(evaluation, options.standings)
    helped = [name for name in formats if name in HELPED_FORMATS] if helper is not None else []
    # The helper parses each section as soon as it is rendered, while the rest are rendered here.
    documents = build_documents(view, options, (lambda markdown: helper.hint(_parse_ahead, markdown)) if helped else None)
    if helped:
        # The helper needs no document's whole Markdown, only its pieces: a smaller message.
        helper.submit(_format_documents, helped, [replace(document, markdown="") for document in documents], view, options)
    here = _format_documents([name for name in formats if name not in helped], documents, view, options)
    if helped:
        here.update(helper.result())
    return {f"{document.name}.{name}": here[f"{document.name}.{name}"] for document in documents for name in formats}


def write_briefing_pack(
    evaluation: Evaluation,
    folder: Path | None = None,
    formats: Iterable[str] = ("md", "docx", "html"),
    *,
    templates: Path | None = None,
    reference_docx: Path | None = None,
    audience: str = "internal",
    standings: Standings | None = None,
    helper: Helper | None = None,
) -> WrittenFolder:
    """Render the briefing pack and write it into ``folder`` (default: named after the deal).

    Everything is rendered before anything is written, and the folder is
    replaced as a whole, for this deal only (see :func:`dealbook.infra.folders.write_folder`).
    """
    answers = evaluation.answers.file
    answers = str(Path(answers).resolve()) if answers and answers != "-" else answers
    folder, deal, formats = folder or default_folder(evaluation), evaluation.answers.deal.name, list(formats)
    # A folder that will be refused is refused before the work of rendering, not after it.
    check_folder(folder, [f"{stem}.{name}" for stem in document_stems(audience) for name in formats], deal=deal, answers=answers)
    contents = render_pack(evaluation, formats, PackOptions(templates, reference_docx, audience, standings), helper)
    return write_folder(folder, contents, deal=deal, answers=answers)

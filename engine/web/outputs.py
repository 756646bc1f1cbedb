"""The pack and the review as the web shows them: rendered by the CLI's own functions, kept per file version.

The pack is :func:`dealbook.renderers.render_pack` on the deal as the CLI
evaluates it, so the files offered for download are the files ``dealbook
brief`` writes. It is cached by the answers file's content: any change to
the answers is a new pack. The vendor-paper review is
:func:`dealbook.paper.review_file` and :func:`dealbook.paper.render_review`,
written beside the uploaded paper in the deal's review folder.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..deal.answers import read_answers
from ..deal.evaluate import evaluate
from ..deal.evaluation import Evaluation
from ..errors import DealbookError
from ..infra.files import write_atomic, write_files
from ..renderers import render_pack
from ..renderers.pack import default_folder
from .workspace import Workspace

__all__ = ["Pack", "PackCache", "evaluation_of", "inner_main", "zip_of", "REVIEW_TYPES", "MAX_UPLOAD", "review_available",
           "review_folder", "run_review", "ReviewResult"]

#: What the review accepts, and how large.
REVIEW_TYPES = (".docx", ".md")
MAX_UPLOAD = 10 * 1024 * 1024
#: The parts shown in the page, first found first: the deal sheet, else the whole briefing.
SHOWN_PARTS = ("deal-sheet.html", "briefing-pack.html")
_MAIN = re.compile(rb"<main>(.*)</main>", re.S)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def evaluation_of(workspace: Workspace, deal_id: str) -> Evaluation:
    """The deal evaluated as ``dealbook brief`` evaluates it (raises when something needed is missing)."""
    path = workspace.path_for(deal_id)
    if path is None:
        raise KeyError(deal_id)
    return evaluate(workspace.playbook, read_answers(path, workspace.playbook), require_complete=True)


def inner_main(page: bytes) -> str:
    """The ``<main>`` of a page the renderers wrote: their HTML, already escaped, without its wrapper."""
    match = _MAIN.search(page)
    return match.group(1).decode("utf-8") if match else ""


@dataclass(frozen=True, slots=True)
class Pack:
    """Every file of one deal's pack, and the part shown in the page."""

    folder: str
    files: Mapping[str, bytes]

    @property
    def shown(self) -> tuple[str, str]:
        """The part shown in the page: its file name and its HTML."""
        name = next((name for name in SHOWN_PARTS if name in self.files), "")
        return name, inner_main(self.files[name]) if name else ""


def zip_of(pack: Pack) -> bytes:
    """The pack as one zip, every file under the folder ``dealbook brief`` would write."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(pack.files.items()):
            info = zipfile.ZipInfo(f"{pack.folder}/{name}", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


class PackCache:
    """Rendered packs by answers-file content; a few kept, each rendered once however many ask at once."""

    def __init__(self, workspace: Workspace, size: int = 8) -> None:
        self.workspace, self.size = workspace, size
        self._packs: OrderedDict[tuple[str, str], Pack] = OrderedDict()
        self._guard = threading.Lock()
        self._rendering: dict[tuple[str, str], threading.Lock] = {}

    def get(self, deal_id: str) -> Pack:
        path = self.workspace.path_for(deal_id)
        if path is None:
            raise KeyError(deal_id)
        key = (deal_id, hashlib.sha256(path.read_bytes()).hexdigest())
        with self._guard:
            lock = self._rendering.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._packs:
                    self._packs.move_to_end(key)
                    return self._packs[key]
            evaluation = evaluation_of(self.workspace, deal_id)
            pack = Pack(default_folder(evaluation).name, render_pack(evaluation))
            with self._guard:
                self._packs[key] = pack
                self._rendering.pop(key, None)
                while len(self._packs) > self.size:
                    self._packs.popitem(last=False)
            return pack


# --- the vendor-paper review ----------------------------------------------------------


def review_available() -> bool:
    """Whether this installation has the vendor-paper review."""
    try:
        from .. import paper  # noqa: F401, PLC0415 - an optional layer; the page says when it is absent
    except ImportError:
        return False
    return True


def review_folder(workspace: Workspace, deal_id: str) -> Path:
    """Where a deal's reviews are kept: ``<deal id>.review/`` in the workspace (a dot no deal id has)."""
    return workspace.folder / f"{deal_id}.review"


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """One review as the page shows it."""

    paper: str
    files: tuple[str, ...]
    issues_html: str
    counts: Mapping[str, int]


def safe_upload_name(filename: str) -> str:
    """An uploaded file's name as stored: letters, digits, dots, hyphens; its type kept."""
    path = Path(filename.replace("\\", "/")).name
    stem, suffix = Path(path).stem, Path(path).suffix.lower()
    stem = _SAFE_NAME.sub("-", stem).strip("-.")[:80] or "vendor-paper"
    return stem + suffix


def run_review(workspace: Workspace, deal_id: str, filename: str, data: bytes) -> ReviewResult:
    """Store the uploaded paper in the deal's review folder, review it as ``dealbook review`` does, write the outputs."""
    from ..paper import render_review, review_file  # noqa: PLC0415 - optional layer, see review_available

    name = safe_upload_name(filename)
    if Path(name).suffix not in REVIEW_TYPES:
        raise DealbookError(f"{name}: only Word .docx and Markdown .md files can be reviewed")
    if len(data) > MAX_UPLOAD:
        raise DealbookError(f"{name}: larger than {MAX_UPLOAD // (1024 * 1024)} MiB")
    evaluation = evaluation_of(workspace, deal_id)
    folder = review_folder(workspace, deal_id)
    paper = write_atomic(folder / name, data)
    review = review_file(evaluation, paper)
    files = render_review(review)
    write_files(folder, files)
    issues_page = next((content for file, content in files.items() if file.endswith(".issues.html")), b"")
    counts: dict[str, Any] = {"checked": len(review.findings), "issues": len(review.issues), "met": len(review.met)}
    return ReviewResult(name, tuple(files), inner_main(issues_page), counts)


def stored_review_file(workspace: Workspace, deal_id: str, name: str) -> Path | None:
    """A file of the deal's review folder by its plain name, or ``None`` (no folders, nothing outside)."""
    if not name or name != safe_upload_name(name) or name.startswith("."):
        return None
    folder = review_folder(workspace, deal_id)
    path = folder / name
    return path if path.is_file() and path.resolve().parent == folder.resolve() else None

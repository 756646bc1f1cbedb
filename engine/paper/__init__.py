"""Reviewing the vendor's paper against a deal: findings, a marked-up Word file, an issues list.

:func:`review_file` reads the vendor's contract (:mod:`.reading`), scores
every applicable item that has patterns (:mod:`.scoring`) and returns a
:class:`~.findings.Review`; :func:`write_review` writes the vendor's own
file with comments and tracked changes (:mod:`.markup`) and the issues list
(:mod:`.issues`), all at once or not at all.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..deal.evaluation import Evaluation
from ..errors import DealbookError
from ..infra.files import write_files
from .findings import Finding, Review
from .formats import read_paper
from .reading import Paper
from .scoring import review_paper

__all__ = ["AUDIENCES", "ISSUE_FORMATS", "review_file", "review_paper", "read_paper", "render_review", "write_review", "Review", "Finding", "Paper"]

AUDIENCES = ("internal", "vendor")
ISSUE_FORMATS = ("md", "docx", "html", "json")


def review_file(evaluation: Evaluation, paper: str | Path) -> Review:
    """Read the vendor's contract and score it against an evaluated deal."""
    return review_paper(read_paper(Path(paper)), evaluation)


def _stem(review: Review) -> str:
    name = Path(review.paper.path).stem
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "paper"


def render_review(review: Review, *, audience: str = "internal", author: str | None = None,
                  formats: tuple[str, ...] = ISSUE_FORMATS) -> dict[str, bytes]:
    """Every output file as ``{file name: bytes}``: the reviewed .docx and the issues list; nothing written."""
    from .issues import issues_files  # noqa: PLC0415
    from .markup import MarkupOptions, marked_up_docx  # noqa: PLC0415

    if audience not in AUDIENCES:
        raise DealbookError(f"unknown audience {audience!r}; choose from {', '.join(AUDIENCES)}")
    unknown = [name for name in formats if name not in ISSUE_FORMATS]
    if unknown:
        raise DealbookError(f"unknown issues-list format {', '.join(unknown)}; choose from {', '.join(ISSUE_FORMATS)}")
    stem = _stem(review)
    suffix = "" if audience == "internal" else ".vendor"
    deal = review.evaluation.answers.deal
    options = MarkupOptions(author or deal.negotiator or "dealbook", audience)
    files = {f"{stem}{suffix}.reviewed.docx": marked_up_docx(review, options)}
    files.update(issues_files(review, stem + suffix, list(formats), audience))
    return files


def write_review(review: Review, folder: Path | None = None, **options) -> list[Path]:  # noqa: ANN003
    """Render and write the review into ``folder`` (default: beside the paper), replacing the files together."""
    contents = render_review(review, **options)
    return write_files(folder or Path(review.paper.path).parent, contents)

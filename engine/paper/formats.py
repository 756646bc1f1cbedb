"""The registry of contract readers, by file extension."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .reading import Paper
from .safety import refuse_format

__all__ = ["READERS", "read_paper"]

Reader = Callable[[Path], Paper]


def _docx(path: Path) -> Paper:
    from .docx_reader import read_docx  # noqa: PLC0415 - lxml only when a Word file is read

    return read_docx(path)


def _markdown(path: Path) -> Paper:
    from .markdown_reader import read_markdown  # noqa: PLC0415

    return read_markdown(path)


#: Readers by file extension.
READERS: dict[str, Reader] = {".docx": _docx, ".md": _markdown, ".markdown": _markdown}


def read_paper(path: Path) -> Paper:
    """Read a vendor's contract with the reader for its extension; other formats get one clear error."""
    reader = READERS.get(Path(path).suffix.lower())
    if reader is None:
        raise refuse_format(Path(path), "Word .docx and Markdown (.md)")
    return reader(Path(path))

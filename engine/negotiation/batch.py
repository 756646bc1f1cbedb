"""Many deals in one process: every answers file in a folder, read once, evaluated, with its record.

A deal that cannot be read or evaluated is kept with the reason, so a
report over a folder names it instead of stopping at it. ``progress`` is
called after each deal (the command line shows a bar on a terminal).
Commands that run over many deals do so inside :func:`batch_collection`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..deal.answers import parse_answers
from ..deal.evaluate import evaluate
from ..deal.evaluation import Evaluation
from ..errors import DealbookError
from ..infra.yamlfile import Document, read_document
from ..playbook.model import Playbook
from .record import RECORD_SUFFIX, Record, read_record, record_path

__all__ = ["DealFile", "batch_collection", "deal_paths", "evaluate_deals", "read_deals", "evaluate_documents"]

#: Allocations between two collections of the youngest generation during a batch (Python's own default: 700).
BATCH_THRESHOLD = (50_000, 50, 100)


@contextmanager
def batch_collection() -> Iterator[None]:
    """Python's cycle collector set for a run over many deals, and set back afterwards.

    An evaluation allocates thousands of small objects, nearly all of them
    freed by reference counting as soon as the deal is done; at Python's
    default thresholds the collector scans them (and every evaluation still
    held) again and again — measured, half the time of reading results
    (``bench/bench_batch.py``). Here what is loaded already (the playbook,
    the modules) is frozen out of the scans, and collections are far rarer;
    memory that only a cycle holds is still reclaimed, later.
    """
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BATCH_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


@dataclass(frozen=True, slots=True)
class DealFile:
    """One deal of a folder: its evaluation and record, or why it has none."""

    path: Path
    evaluation: Evaluation | None
    record: Record | None = None
    problem: str = ""


def deal_paths(folder: Path) -> list[Path]:
    """The answers files in ``folder`` (YAML or JSON), sorted; records and backups are not deals."""
    return sorted(path for path in folder.iterdir()
                  if path.is_file() and path.suffix in (".yaml", ".yml", ".json") and not path.name.endswith(RECORD_SUFFIX))


def read_deals(paths: Iterable[Path]) -> Iterator[tuple[Path, Document | None, Record | None, str]]:
    """Each answers file's document and record, read once (a problem instead, as text)."""
    for path in paths:
        try:
            document = read_document(path)
            record_file = record_path(path)
            record = read_record(record_file) if record_file.exists() else None
        except DealbookError as error:
            yield path, None, None, "\n".join(error.lines())
            continue
        yield path, document, record, ""


def evaluate_documents(playbook: Playbook, documents: Iterable[tuple[Path, Document | None, Record | None, str]],
                       progress: Callable[[Path], None] | None = None) -> Iterator[DealFile]:
    """Evaluate already-read deals under ``playbook`` (so two versions can share one read)."""
    for path, document, record, problem in documents:
        evaluation = None
        if document is not None:
            try:
                evaluation = evaluate(playbook, parse_answers(document, playbook), require_complete=True)
            except DealbookError as error:
                problem = "\n".join(error.lines())
        if progress is not None:
            progress(path)
        yield DealFile(path, evaluation, record, problem)


def evaluate_deals(playbook: Playbook, paths: Iterable[Path], progress: Callable[[Path], None] | None = None) -> Iterator[DealFile]:
    """Read and evaluate each answers file (and read its record) under ``playbook``."""
    return evaluate_documents(playbook, read_deals(paths), progress)

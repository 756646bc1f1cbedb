"""dealbook: turn a negotiation playbook into guidance for one deal.

>>> import dealbook
>>> playbook = dealbook.load_playbook("playbooks/itam")          # doctest: +SKIP
>>> answers = dealbook.load_answers("deal.yaml", playbook)        # doctest: +SKIP
>>> evaluation = dealbook.evaluate(playbook, answers)             # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from ._version import __version__
from .deal.answers import Answers
from .deal.evaluate import evaluate, load_answers
from .deal.result import Evaluation
from .errors import DealbookError, ValidationErrors
from .playbook.load import load_playbook

__all__ = [
    "__version__",
    "load_playbook",
    "load_answers",
    "evaluate",
    "evaluate_file",
    "Answers",
    "Evaluation",
    "DealbookError",
    "ValidationErrors",
]


def evaluate_file(answers: str | Path, playbook: str | Path | None = None) -> Evaluation:
    """Load a playbook (default: the bundled ``itam``) and an answers file, and evaluate."""
    loaded = load_playbook(playbook)
    return evaluate(loaded, load_answers(answers, loaded), require_complete=True)

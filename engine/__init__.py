"""dealbook: turn a negotiation playbook into guidance for one deal.

>>> import dealbook
>>> playbook = dealbook.load_playbook("playbooks/itam")          # doctest: +SKIP
>>> answers = dealbook.load_answers("deal.yaml", playbook)        # doctest: +SKIP
>>> evaluation = dealbook.evaluate(playbook, answers)             # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from pathlib import Path  # noqa: E402 - the version must exist before submodules import it

from .answers import Answers, load_answers  # noqa: E402
from .errors import DealbookError, ValidationErrors  # noqa: E402
from .evaluate import evaluate  # noqa: E402
from .load import load_playbook  # noqa: E402
from .result import Evaluation  # noqa: E402

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
    return evaluate(loaded, load_answers(answers, loaded))

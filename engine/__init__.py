"""dealbook: turn a negotiation playbook into guidance for one deal.

>>> import dealbook
>>> playbook = dealbook.load_playbook("playbooks/itam")          # doctest: +SKIP
>>> answers = dealbook.load_answers("deal.yaml", playbook)        # doctest: +SKIP
>>> evaluation = dealbook.evaluate(playbook, answers)             # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module

from ._version import __version__

# Only the names are imported here, so that ``import dealbook`` (the first thing the
# command does) is quick and a Ctrl-C during start-up lands in the entry point's guard.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from .deal.answers import Answers
    from .deal.evaluate import evaluate, load_answers
    from .deal.evaluation import Evaluation
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

#: Where each public name lives; imported on first use, so ``import dealbook`` (and the command's start) stays light.
_EXPORTS = {
    "Answers": ".deal.answers",
    "evaluate": ".deal.evaluate",
    "load_answers": ".deal.evaluate",
    "Evaluation": ".deal.evaluation",
    "DealbookError": ".errors",
    "ValidationErrors": ".errors",
    "load_playbook": ".playbook.load",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dealbook' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def evaluate_file(answers: str | Path, playbook: str | Path | None = None) -> Evaluation:
    """Load a playbook (default: the bundled ``itam``) and an answers file, and evaluate."""
    from .deal.evaluate import evaluate, load_answers  # noqa: PLC0415 - keeps `import dealbook` light
    from .playbook.load import load_playbook  # noqa: PLC0415

    loaded = load_playbook(playbook)
    return evaluate(loaded, load_answers(answers, loaded), require_complete=True)

"""The briefing pack of a deal under negotiation: where it stands, when a record exists beside its answers."""

from __future__ import annotations

from pathlib import Path

from ..deal.evaluation import Evaluation
from ..renderers.view import Standings
from .record import read_record, record_path
from .report import pack_standings
from .standing import negotiation_of

__all__ = ["standings_for"]


def standings_for(answers: Path, evaluation: Evaluation) -> Standings | None:
    """The pack's view of the deal's negotiation record, or ``None`` when the deal has none."""
    path = record_path(Path(answers))
    if not path.is_file():
        return None
    return pack_standings(negotiation_of(read_record(path), evaluation))

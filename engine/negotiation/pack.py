"""The briefing pack of a deal under negotiation: where it stands, when a record exists beside its answers."""

from __future__ import annotations

from pathlib import Path

from ..deal.evaluation import Evaluation
from ..renderers.view import Standings
from .record import read_record, record_path

__all__ = ["standings_for"]


def standings_for(answers: Path, evaluation: Evaluation) -> Standings | None:
    """The pack's view of the deal's negotiation record, or ``None`` when the deal has none."""
    path = record_path(Path(answers))
    if not path.is_file():
        return None
    # Imported once a record is there: most briefs are of deals not yet under negotiation.
    from .report import pack_standings  # noqa: PLC0415
    from .standing import negotiation_of  # noqa: PLC0415

    return pack_standings(negotiation_of(read_record(path), evaluation))

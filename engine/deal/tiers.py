"""Where the other side's offer sits against our positions: the tier it reaches.

A tier is one of: meets preferred, fallback N, walk-away, beyond walk-away —
or, for a clause we looked for, not found, or found but not measurable. The
vendor-paper reviewer uses it for each finding; anything that records an
offer (a negotiation round) can place it the same way. Pure functions over
numbers, so the same offer always lands on the same tier.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..playbook.model import SEVERITIES

__all__ = ["Tier", "PREFERRED", "WALK_AWAY", "BEYOND", "NOT_FOUND", "UNSCORED", "place_value", "tier_for_severity", "worst", "parse_tier"]

_RANKS = {"preferred": 0, "fallback": 1, "walk_away": 100, "beyond": 101}


@dataclass(frozen=True, slots=True)
class Tier:
    """The position an offer reaches. ``number`` counts fallbacks from 1."""

    kind: str  # preferred, fallback, walk_away, beyond, not_found, unscored
    number: int = 0

    @property
    def id(self) -> str:
        """A stable id: ``meets-preferred``, ``fallback-2``, ``walk-away``, ``beyond-walk-away``, ``not-found``, ``unscored``."""
        return {"preferred": "meets-preferred", "fallback": f"fallback-{self.number}", "walk_away": "walk-away",
                "beyond": "beyond-walk-away", "not_found": "not-found", "unscored": "unscored"}[self.kind]

    @property
    def label(self) -> str:
        """How a negotiator says it: ``meets preferred``, ``fallback 1``, ``beyond walk-away``."""
        return {"preferred": "meets preferred", "fallback": f"fallback {self.number}", "walk_away": "walk-away",
                "beyond": "beyond walk-away", "not_found": "not found", "unscored": "found, not measured"}[self.kind]

    @property
    def scored(self) -> bool:
        """Whether the offer was placed against our positions (not missing, not unmeasured)."""
        return self.kind in _RANKS

    @property
    def rank(self) -> int:
        """0 for preferred, N for fallback N, 100 for walk-away, 101 beyond; -1 when not scored."""
        if not self.scored:
            return -1
        return self.number if self.kind == "fallback" else _RANKS[self.kind]

    def below(self, opening: int) -> bool:
        """Whether the offer is worse than the position we open at (0 = preferred, 1 = first fallback...)."""
        return self.scored and self.rank > opening

    @property
    def gap(self) -> int:
        """Severity of the gap, larger is worse: beyond, walk-away, not found, fallbacks, unmeasured, meets."""
        if self.kind == "beyond":
            return 1000
        if self.kind == "walk_away":
            return 900
        if self.kind == "not_found":
            return 800
        if self.kind == "fallback":
            return 100 + self.number
        return 50 if self.kind == "unscored" else 0


PREFERRED = Tier("preferred")
WALK_AWAY = Tier("walk_away")
BEYOND = Tier("beyond")
NOT_FOUND = Tier("not_found")
UNSCORED = Tier("unscored")


def place_value(value: float, target: float, fallback: float, walk_away: float, better: str) -> Tier:
    """Place ``value`` against a term's target, fallback and walk-away (``better``: ``lower`` or ``higher``)."""
    def at_least_as_good(first: float, second: float) -> bool:
        return first <= second if better == "lower" else first >= second

    if at_least_as_good(value, target):
        return PREFERRED
    if at_least_as_good(value, fallback):
        return Tier("fallback", 1)
    if at_least_as_good(value, walk_away):
        return WALK_AWAY
    return BEYOND


def tier_for_severity(severity: str, fallbacks: int) -> Tier:
    """A red flag without a value: ``low`` → first fallback, ``medium`` → last fallback,
    ``high`` → walk-away, ``critical`` → beyond walk-away."""
    rank = SEVERITIES.index(severity)
    if rank == 0:
        return BEYOND
    if rank == 1 or fallbacks == 0:
        return WALK_AWAY
    return Tier("fallback", fallbacks if rank == 2 else 1)


def worst(tiers: list[Tier]) -> Tier | None:
    """The scored tier with the largest gap (the first of equals), or ``None``."""
    scored = [tier for tier in tiers if tier.scored]
    return max(scored, key=lambda tier: tier.rank) if scored else None


def parse_tier(text: str) -> Tier:
    """The inverse of :attr:`Tier.id`; raises ``ValueError`` for anything else."""
    fixed = {tier.id: tier for tier in (PREFERRED, WALK_AWAY, BEYOND, NOT_FOUND, UNSCORED)}
    if text in fixed:
        return fixed[text]
    if text.startswith("fallback-") and text[9:].isdigit() and int(text[9:]) > 0:
        return Tier("fallback", int(text[9:]))
    raise ValueError(f"not a tier: {text!r} (use {', '.join(fixed)} or fallback-N)")

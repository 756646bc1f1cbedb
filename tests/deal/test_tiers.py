"""Placing an offer against target, fallback and walk-away."""

from __future__ import annotations

import pytest
from dealbook.deal.tiers import BEYOND, NOT_FOUND, PREFERRED, WALK_AWAY, Tier, parse_tier, place_value, tier_for_severity, worst


@pytest.mark.parametrize(("value", "better", "expected"), [
    (20, "lower", "meets-preferred"), (30, "lower", "meets-preferred"), (40, "lower", "fallback-1"),
    (60, "lower", "walk-away"), (61, "lower", "beyond-walk-away"),
    (60, "higher", "meets-preferred"), (45, "higher", "fallback-1"), (30, "higher", "walk-away"), (29, "higher", "beyond-walk-away"),
], ids=["lower-better-than-target", "lower-at-target", "lower-fallback", "lower-walk-away", "lower-beyond",
        "higher-target", "higher-fallback", "higher-walk-away", "higher-beyond"])
def test_place_value(value: float, better: str, expected: str) -> None:
    target, fallback, walk_away = (30, 45, 60) if better == "lower" else (60, 45, 30)
    assert place_value(value, target, fallback, walk_away, better).id == expected


@pytest.mark.parametrize(("severity", "fallbacks", "expected"), [
    ("critical", 2, "beyond-walk-away"), ("high", 2, "walk-away"), ("medium", 2, "fallback-2"), ("low", 2, "fallback-1"), ("low", 0, "walk-away"),
], ids=["critical", "high", "medium", "low", "low-no-fallbacks"])
def test_severity(severity: str, fallbacks: int, expected: str) -> None:
    assert tier_for_severity(severity, fallbacks).id == expected


def test_order_and_parse() -> None:
    assert worst([PREFERRED, Tier("fallback", 2), NOT_FOUND]) == Tier("fallback", 2)
    assert worst([NOT_FOUND]) is None
    assert sorted([PREFERRED, BEYOND, NOT_FOUND, WALK_AWAY], key=lambda tier: -tier.gap) == [BEYOND, WALK_AWAY, NOT_FOUND, PREFERRED]
    assert Tier("fallback", 1).below(0) and not Tier("fallback", 1).below(1) and not NOT_FOUND.below(0)
    for tier in (PREFERRED, WALK_AWAY, BEYOND, NOT_FOUND, Tier("fallback", 3)):
        assert parse_tier(tier.id) == tier
    with pytest.raises(ValueError):
        parse_tier("fallback-0")

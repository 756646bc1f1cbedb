"""Reading the vendor's position in a term's unit and placing it: every unit, both directions, exact boundaries."""

import dealbook
import pytest
from dealbook.deal.answers import Answers, Deal
from dealbook.deal.offers import OfferError, place_offer, read_value
from dealbook.deal.tiers import place_value
from dealbook.playbook.load import load_playbook

ITAM = load_playbook("itam")
#: one term of each unit in the bundled playbook, each direction where the unit has both
BY_UNIT = {}
for _term in ITAM.terms:
    BY_UNIT.setdefault((_term.unit, _term.better), _term)
TERMS = list(BY_UNIT.values())
IDS = [f"{term.unit}-{term.better}-{term.id}" for term in TERMS]


def _step(term):
    """A small move in the worse direction, in the term's own scale."""
    span = abs(term.walk_away - term.target) or 1
    step = span / 10
    return step if term.better == "lower" else -step


@pytest.mark.parametrize("term", TERMS, ids=IDS)
def test_every_unit_reads_its_own_format_back(term):
    for value in (term.target, term.fallback, term.walk_away):
        assert read_value(term.format(value), term) == value


@pytest.mark.parametrize("term", TERMS, ids=IDS)
def test_boundaries_land_on_the_tier_they_bound(term):
    """Values exactly at the target, fallback and walk-away, between them, and past the walk-away (the vendor's words, read and placed)."""
    worse = _step(term)

    def tier(value):
        return place_value(read_value(term.format(value), term), term.target, term.fallback, term.walk_away, term.better).id

    assert tier(term.target) == "meets-preferred"
    assert tier(term.fallback) == ("fallback-1" if term.fallback != term.target else "meets-preferred")
    assert tier(term.walk_away) == ("walk-away" if term.walk_away != term.fallback else tier(term.fallback))
    if term.walk_away + worse >= 0:  # nothing is below zero days or per cent
        assert tier(term.walk_away + worse) == "beyond-walk-away"
    if term.fallback != term.target:
        assert tier((term.target + term.fallback) / 2) == "fallback-1"
    if term.target - worse >= 0:
        assert tier(term.target - worse) == "meets-preferred"  # better than the target


def test_an_offer_on_an_applicable_term_is_placed_with_the_deals_values(itam):
    evaluation = dealbook.evaluate(itam, Answers(Deal("Deal", "Acme"), {}))
    term = evaluation.terms_by_id["payment_days"]
    offer = place_offer(evaluation, "payment_days", f"net {term.walk_away:g} days")
    assert (offer.kind, offer.value, offer.tier.id, offer.owner) == ("term", term.walk_away, "walk-away", term.term.owner)


def test_both_directions_are_covered():
    assert {term.better for term in TERMS} == {"higher", "lower"}


@pytest.mark.parametrize(("text", "value"), [
    ("45 days", 45), ("net sixty (60) days", 60), ("45", 45), ("six weeks", 42), ("10 business days", 14), ("within 2 months", 60),
], ids=["digits", "words-and-digits", "bare", "weeks", "business-days", "months"])
def test_days_are_read_in_any_way_a_contract_writes_them(text, value):
    assert read_value(text, ITAM.terms_by_id["payment_days"]) == value


@pytest.mark.parametrize(("term_id", "text", "value"), [
    ("audit_frequency_per_year", "2 per year", 2), ("audit_frequency_per_year", "two per year", 2), ("audit_frequency_per_year", "once", 1),
    ("uptime_pct", "99.5%", 99.5), ("data_loss_liability_multiple", "2x annual fees", 2),
    ("data_loss_liability_multiple", "fees paid in the prior twelve (12) months", 1), ("support_uplift_cpi_margin_pts", "CPI + 2 pts", 2),
    ("sev1_response_minutes", "1 hour", 60),
], ids=["count", "count-words", "once", "percent", "times", "fee-months", "points", "hours-as-minutes"])
def test_other_units(term_id, text, value):
    assert read_value(text, ITAM.terms_by_id[term_id]) == value


@pytest.mark.parametrize(("term_id", "text"), [
    ("payment_days", "soon"), ("payment_days", "45 widgets"), ("payment_days", "thirty percent"), ("uptime_pct", "high"),
    ("audit_frequency_per_year", "as needed"),
], ids=["no-number", "wrong-unit", "percent-for-days", "no-percent", "count-without-number"])
def test_values_a_term_cannot_read_are_errors(term_id, text):
    with pytest.raises(OfferError, match="cannot read a value"):
        read_value(text, ITAM.terms_by_id[term_id])


def test_an_item_position_is_read_like_the_vendors_paper():
    evaluation = dealbook.evaluate(ITAM, Answers(Deal("Deal", "Acme"), {}))
    applicable = {result.id for result in evaluation.items}
    with_patterns = [patterns for patterns in ITAM.patterns if patterns.item in applicable]
    if not with_patterns:
        offer = place_offer(evaluation, next(iter(applicable)), "Whatever the vendor says.")
        assert offer.tier.id == "unscored"
        return
    patterns = with_patterns[0]
    example = next(example for example in patterns.examples if example.matches)
    assert place_offer(evaluation, patterns.item, example.text).tier.kind in ("preferred", "fallback", "walk_away", "beyond", "unscored")


def test_subjects_that_do_not_apply_are_named():
    evaluation = dealbook.evaluate(ITAM, Answers(Deal("Deal", "Acme"), {}))
    with pytest.raises(OfferError, match="unknown item or term 'paymnt_days'.*payment_days"):
        place_offer(evaluation, "paymnt_days", "45 days")
    with pytest.raises(OfferError, match="empty"):
        place_offer(evaluation, "payment_days", "   ")

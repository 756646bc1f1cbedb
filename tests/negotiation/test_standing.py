"""Where positions stand: accepting, approving, and approvals that stop counting when the position moves."""

import re

import pytest
from dealbook.negotiation.session import NegotiationError, approve, open_session, record_position, repin, respond

DEAL_APPROVERS = ("legal", "procurement", "it_ops", "security", "privacy", "exec")


def accepted(deal, text, subject="payment_days"):
    session, offer = record_position(open_session(deal), subject, text)
    return respond(session, subject, "accept"), offer


@pytest.mark.parametrize(("text", "tier", "status", "needs"), [
    ("60 days", "meets-preferred", "agreed", ()),
    ("45 days", "fallback-1", "conceded", ("finance",)),
    ("40 days", "walk-away", "conceded", ("finance", "legal", "exec")),
    ("30 days", "walk-away", "conceded", ("finance", "legal", "exec")),
    ("29 days", "beyond-walk-away", "conceded", ("finance", "legal", "exec")),
], ids=["preferred", "fallback", "between-fallback-and-walk-away", "at-walk-away", "beyond"])
def test_accepting_routes_by_the_tier_reached(deal, text, tier, status, needs):
    session, offer = accepted(deal, text)
    standing = session.negotiation.by_subject["payment_days"]
    assert (offer.tier.id, standing.status, standing.needed.departments, standing.missing) == (tier, status, needs, needs)
    assert session.negotiation.within_approvals is False  # the deal's own approvers sign once anything is agreed


def test_an_item_override_adds_the_privacy_officer(deal):
    session, offer = accepted(deal, "120 days", subject="residency_change_notice_days")
    standing = session.negotiation.by_subject["residency_change_notice_days"]
    assert offer.tier.id == "walk-away" and standing.item == "data_residency"
    assert standing.needed.departments == ("privacy", "legal", "exec")


def test_approvals_complete_the_acceptance_and_the_deal(deal):
    session, _ = accepted(deal, "45 days")
    session = approve(session, "payment_days", "finance", "Dana Finance")
    assert session.negotiation.by_subject["payment_days"].missing == ()
    assert session.negotiation.deal_missing == DEAL_APPROVERS
    for department in DEAL_APPROVERS:
        session = approve(session, None, department, f"{department} lead")
    assert session.negotiation.within_approvals and session.negotiation.state == "agreed"


def test_an_approval_stops_counting_when_the_vendors_position_changes(deal):
    session, _ = accepted(deal, "45 days")
    session = approve(session, "payment_days", "finance", "Dana Finance")
    session, _ = record_position(session, "payment_days", "50 days")
    session = respond(session, "payment_days", "accept")
    standing = session.negotiation.by_subject["payment_days"]
    assert standing.missing == ("finance",)
    assert [approval.why for approval in standing.approvals] == ["the position or our acceptance changed after this approval"]


def test_an_approval_stops_counting_when_our_acceptance_changes(deal):
    session, _ = accepted(deal, "45 days")
    session = approve(session, "payment_days", "finance", "Dana Finance")
    session = respond(session, "payment_days", "counter", "55 days, or 45 with a 2% early-payment discount")
    session = respond(session, "payment_days", "accept")
    assert session.negotiation.by_subject["payment_days"].missing == ("finance",)


def test_a_deal_sign_off_stops_counting_when_an_agreed_position_changes(deal):
    session, _ = accepted(deal, "60 days")
    session = approve(session, None, "legal", "Lee Legal")
    assert "legal" not in session.negotiation.deal_missing
    session, _ = record_position(session, "uptime_pct", "99.9%")
    session = respond(session, "uptime_pct", "accept")
    assert "legal" in session.negotiation.deal_missing


def test_beyond_walk_away_needs_a_written_reason(deal):
    session, _ = accepted(deal, "20 days")
    with pytest.raises(NegotiationError, match="needs a written reason"):
        approve(session, "payment_days", "exec", "Eve Exec")
    session = approve(session, "payment_days", "exec", "Eve Exec", note="Only supplier certified for our region; 18-month term.")
    assert session.negotiation.by_subject["payment_days"].missing == ("finance", "legal")


@pytest.mark.parametrize(("subject", "department", "message"), [
    ("payment_days", "legal", "Legal's approval is not needed for accepting 'payment_days' at fallback 1 (needed: Finance)"),
    ("payment_days", "lgal", "unknown department 'lgal' (did you mean 'legal'?)"),
    ("uptime_pct", "it_ops", "'uptime_pct' is not accepted"),
], ids=["not-needed", "unknown-department", "not-accepted"])
def test_approvals_that_cannot_be_given_are_refused(deal, subject, department, message):
    session, _ = accepted(deal, "45 days")
    with pytest.raises(NegotiationError, match=re.escape(message)):
        approve(session, subject, department, "Someone")


def test_accepting_without_a_position_is_refused(deal):
    with pytest.raises(NegotiationError, match="no position of the vendor's is recorded for 'payment_days'"):
        respond(open_session(deal), "payment_days", "accept")


def test_a_record_under_another_playbook_must_be_repinned(deal, mini_copy, tmp_path):
    import shutil

    from dealbook.negotiation.record import write_record

    from tests.conftest import REPO

    session, _ = accepted(deal, "45 days")
    write_record(session.record)
    changed = tmp_path / "itam-next"
    shutil.copytree(REPO / "playbooks" / "itam", changed)
    manifest = changed / "playbook.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.1.0"), encoding="utf-8")
    other = open_session(deal, changed)
    assert not other.pinned
    with pytest.raises(NegotiationError, match="pinned to itam 1.0.0"):
        record_position(other, "uptime_pct", "99.9%")
    moved = repin(other, "new financial module")
    assert moved.pinned and moved.record.pin.version == "1.1.0" and moved.record.first_pin.version == "1.0.0"

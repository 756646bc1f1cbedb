"""`dealbook portfolio` over generated records, against counts worked out by hand."""

import json
import shutil

import pytest
from click.testing import CliRunner
from dealbook.cli import main
from dealbook.negotiation.record import write_record
from dealbook.negotiation.session import approve, open_session, record_position, respond

from ..conftest import REPO

DEAL_APPROVERS = ("legal", "procurement", "it_ops", "security", "privacy", "exec")

# Four copies of the EU SaaS deal (payment terms: 60 preferred, 45 fallback, 30 walk-away):
#   a: 45 days accepted, Finance approved, the deal signed            -> agreed
#   b: 45 days accepted, nobody approved                              -> awaiting approval (payment_days and the deal)
#   c: 30 days on the table, we countered                             -> open
#   d: 20 days accepted, Finance, Legal and Exec approved with reason -> awaiting approval (the deal's own approvers)
# plus one copy without a record and one file that is not a deal.
EXPECTED_STATES = {"cannot be evaluated": 1, "no record": 1, "no positions": 0, "open": 1, "awaiting approval": 2, "agreed": 1}
EXPECTED_ACCEPTED = {"payment_days": {"fallback-1": 2, "beyond-walk-away": 1}}
EXPECTED_APPROVERS = {"payment_days": {"finance": 2, "legal": 1, "exec": 1}}
EXPECTED_OFFERED = {"payment_days": {"fallback-1": 2, "walk-away": 1, "beyond-walk-away": 1}}
EXPECTED_WAITING = [{"deal": "b.yaml", "lacking": ["payment_days", "deal"]}, {"deal": "d.yaml", "lacking": ["deal"]}]


def _deal(folder, name, text, response, approvals=(), sign=False):
    path = folder / f"{name}.yaml"
    shutil.copy(REPO / "examples" / "deals" / "eu-saas-crm.yaml", path)
    if text is None:
        return
    session, _ = record_position(open_session(path), "payment_days", text)
    session = respond(session, "payment_days", response)
    for department, note in approvals:
        session = approve(session, "payment_days", department, f"{department} lead", note)
    for department in DEAL_APPROVERS if sign else ():
        session = approve(session, None, department, f"{department} lead")
    write_record(session.record)


@pytest.fixture
def folder(tmp_path):
    deals = tmp_path / "deals"
    deals.mkdir()
    _deal(deals, "a", "45 days", "accept", [("finance", None)], sign=True)
    _deal(deals, "b", "45 days", "accept")
    _deal(deals, "c", "30 days", "ask")
    reason = "Sole supplier for the region; we pay on a 20-day cycle anyway."
    _deal(deals, "d", "20 days", "accept", [("finance", reason), ("legal", reason), ("exec", reason)])
    _deal(deals, "e", None, None)
    (deals / "notes.yaml").write_text("just: some notes\n", encoding="utf-8")
    return deals


def test_portfolio_counts_match_the_hand_computed_fixture(folder):
    result = CliRunner().invoke(main, ["portfolio", str(folder), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["deals"] == 6
    assert data["states"] == EXPECTED_STATES
    assert data["accepted"] == EXPECTED_ACCEPTED
    assert data["approvers"] == EXPECTED_APPROVERS
    assert data["offered"] == EXPECTED_OFFERED
    assert data["waiting"] == EXPECTED_WAITING
    assert data["untested_walk_aways"] == []
    assert data["applies"]["payment_terms"] == 5
    assert [problem["deal"] for problem in data["problems"]] == ["notes.yaml"]


def test_portfolio_markdown_and_html(folder, tmp_path):
    markdown = CliRunner().invoke(main, ["portfolio", str(folder)], catch_exceptions=False).output
    assert "| awaiting approval | 2 |" in markdown
    assert "| payment_days | fallback 1 | 2 | exec ×1, finance ×2, legal ×1 |" in markdown
    assert "| payment_days | beyond walk-away | 1 |  |" in markdown
    assert "- b.yaml: payment_days, deal" in markdown
    page = tmp_path / "portfolio.html"
    result = CliRunner().invoke(main, ["portfolio", str(folder), "--format", "html", "-o", str(page)], catch_exceptions=False)
    assert result.exit_code == 0 and f"wrote {page}" in result.output
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") >= 3 and "<script" not in html


def test_a_folder_that_is_not_one_is_a_located_error(tmp_path):
    result = CliRunner().invoke(main, ["portfolio", str(tmp_path / "missing")], catch_exceptions=False)
    assert result.exit_code == 1 and "missing: not a folder of deals" in result.output

"""The pack of a deal under negotiation: where each must-win stands, the vendor's position per term, agreed points left out of the proposal."""

from click.testing import CliRunner
from dealbook.cli import main
from dealbook.negotiation.record import write_record
from dealbook.negotiation.session import approve, open_session, record_position, respond


def brief(deal, folder, *extra):
    result = CliRunner().invoke(main, ["brief", str(deal), "-o", str(folder), "--format", "md", *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder


def negotiated(deal):
    """Availability: the vendor offers 99.9% (our fallback), we accept, IT Operations approves; breach notice is open."""
    session, _ = record_position(open_session(deal), "uptime_pct", "99.9%")
    session = respond(session, "uptime_pct", "accept")
    session = approve(session, "uptime_pct", "it_ops", "Ira Ops")
    session, _ = record_position(session, "breach_notice_hours", "72 hours")
    write_record(session.record)


def test_the_deal_sheet_and_term_sheet_show_the_negotiation(deal, tmp_path):
    negotiated(deal)
    pack = brief(deal, tmp_path / "pack")
    sheet = (pack / "deal-sheet.md").read_text(encoding="utf-8")
    assert "| Item | Open with | Accept at most | Walk away if | Where it stands |" in sheet
    availability = next(line for line in sheet.splitlines() if line.startswith("| [Availability") or line.startswith("| Availability"))
    assert availability.endswith("| uptime\\_pct: conceded at fallback 1 — approved by IT Operations |")
    breach = next(line for line in sheet.splitlines() if "Breach notification" in line)
    assert breach.endswith("| breach\\_notice\\_hours: open, vendor at walk-away |")
    terms = (pack / "term-sheet.md").read_text(encoding="utf-8")
    assert "| Owner | Vendor's position |" in terms
    uptime = next(line for line in terms.splitlines() if line.startswith("| Monthly availability target"))
    assert uptime.endswith("| 99.9% (conceded at fallback 1 — approved by IT Operations) |")


def test_the_proposal_leaves_out_what_is_agreed(deal, tmp_path):
    before = (brief(deal, tmp_path / "before", "--audience", "vendor") / "proposal.md").read_text(encoding="utf-8")
    negotiated(deal)
    after = (brief(deal, tmp_path / "after", "--audience", "vendor") / "proposal.md").read_text(encoding="utf-8")
    assert "Availability measured where our users feel it" in before
    assert "Availability measured where our users feel it" not in after  # agreed and approved: not proposed again
    assert "Breach notification and incident reports" in after  # still open


def test_without_a_record_the_pack_has_no_negotiation(deal, tmp_path):
    pack = brief(deal, tmp_path / "pack")
    assert "Where it stands" not in (pack / "deal-sheet.md").read_text(encoding="utf-8")
    assert "Vendor's position" not in (pack / "term-sheet.md").read_text(encoding="utf-8")

"""The pack of a deal under negotiation shows where each item stands and the vendor's position per term."""

from click.testing import CliRunner
from dealbook.cli import main
from dealbook.negotiation.record import write_record
from dealbook.negotiation.session import open_session, record_position, respond


def test_the_pack_shows_the_negotiation_when_a_record_exists(deal, tmp_path):
    session, _ = record_position(open_session(deal), "payment_days", "45 days")
    session = respond(session, "payment_days", "accept")
    write_record(session.record)
    result = CliRunner().invoke(main, ["brief", str(deal), "-o", str(tmp_path / "pack"), "--format", "md"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    checklist = (tmp_path / "pack" / "checklist.md").read_text(encoding="utf-8")
    assert "**Stands:** payment\\_days: conceded at fallback 1 — needs Finance" in checklist
    terms = (tmp_path / "pack" / "term-sheet.md").read_text(encoding="utf-8")
    assert "| Owner | Vendor's position |" in terms
    row = next(line for line in terms.splitlines() if line.startswith("| Payment terms"))
    assert row.endswith("| 45 days (conceded at fallback 1 — needs Finance) |")


def test_without_a_record_the_pack_has_no_negotiation(deal, tmp_path):
    CliRunner().invoke(main, ["brief", str(deal), "-o", str(tmp_path / "pack"), "--format", "md"], catch_exceptions=False)
    assert "Stands:" not in (tmp_path / "pack" / "checklist.md").read_text(encoding="utf-8")
    assert "Vendor's position" not in (tmp_path / "pack" / "term-sheet.md").read_text(encoding="utf-8")

"""``dealbook negotiate``: the commands end to end, their messages and exit codes."""

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner
from dealbook.cli import main
from dealbook.infra.schema import check_document
from dealbook.infra.yamlfile import read_document

from ..conftest import REPO


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def deal(tmp_path):
    target = tmp_path / "crm.yaml"
    shutil.copy(REPO / "examples" / "deals" / "eu-saas-crm.yaml", target)
    return target


def record_of(deal):
    path = deal.with_name("crm.negotiation.yaml")
    document = read_document(path)
    assert check_document(document, "negotiation") == []  # every record a command writes validates
    return document.content


def test_set_reads_and_places_at_once_and_refuses_what_it_cannot_read(run, deal):
    result = run("negotiate", "set", deal, "payment_days", "net 45 days", "--call", "first call")
    assert result.exit_code == 0 and result.output.strip() == "payment_days: net 45 days = 45 — fallback 1 (round 1)"
    bad = run("negotiate", "set", deal, "payment_days", "whenever convenient")
    assert bad.exit_code == 1
    assert "cannot read a value in days from 'whenever convenient': write it like '45 days'" in bad.output
    assert "Traceback" not in bad.output
    assert [entry["kind"] for entry in record_of(deal)["entries"]] == ["round", "position"]


def test_status_gates_until_every_acceptance_is_approved(run, deal):
    run("negotiate", "set", deal, "payment_days", "45 days")
    assert run("negotiate", "status", deal).exit_code == 0  # nothing accepted yet
    run("negotiate", "accept", deal, "payment_days")
    waiting = run("negotiate", "status", deal)
    assert waiting.exit_code == 3
    assert "payment_days (term): conceded at fallback 1 — needs Finance" in waiting.output
    assert run("negotiate", "approve", deal, "payment_days", "--as", "finance", "--name", "Dana").exit_code == 0
    for department in ("legal", "procurement", "it_ops", "security", "privacy", "exec"):
        assert run("negotiate", "approve", deal, "--as", department, "--name", f"{department} lead").exit_code == 0
    done = run("negotiate", "status", deal, "--format", "json")
    assert done.exit_code == 0
    data = json.loads(done.output)
    assert data["within_approvals"] is True and data["subjects"][0]["approvals"][0]["counts"] is True
    run("negotiate", "set", deal, "payment_days", "40 days")
    run("negotiate", "accept", deal, "payment_days")
    again = run("negotiate", "status", deal)
    assert again.exit_code == 3 and "no longer counts: the position or our acceptance changed" in again.output


def test_history_lists_one_subject(run, deal):
    run("negotiate", "set", deal, "payment_days", "30 days")
    run("negotiate", "counter", deal, "payment_days")
    run("negotiate", "set", deal, "uptime_pct", "99.5%")
    run("negotiate", "correct", deal, "3", "asked before the vendor's figures were in")
    result = run("negotiate", "history", deal, "payment_days")
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("payment_days: 2 entries")
    assert "vendor: 30 days — walk-away" in lines[1] and "ask: 60 days — open (corrected)" in lines[2]
    assert "corrects entry 3: asked before" in lines[3]


def test_verify_reports_a_tampered_record_as_located_lines(run, deal):
    run("negotiate", "set", deal, "payment_days", "30 days")
    assert run("negotiate", "verify", deal).output.startswith("crm.negotiation.yaml: 2 entries, chain intact")
    path = deal.with_name("crm.negotiation.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["entries"][1]["text"] = "60 days"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run("negotiate", "verify", deal)
    assert result.exit_code == 1
    assert "crm.negotiation.yaml:" in result.output and "entry 2 (position) was edited after it was written [entries/1/hash]" in result.output


VENDOR_PAPER = """# Master subscription agreement

## 4. Fees and payment

4.2 Customer shall pay each invoice within 30 days of the invoice date.

## 7. Customer data

7.1 Provider may use Customer Data to improve its services.
"""


@pytest.fixture
def reviewed(run, deal, tmp_path):
    """The vendor's paper reviewed by `dealbook review`: its internal issues list beside it."""
    paper = tmp_path / "vendor-msa.md"
    paper.write_text(VENDOR_PAPER, encoding="utf-8")
    assert run("review", deal, paper, "--format", "json").exit_code == 0
    return tmp_path / "vendor-msa.issues.json"


def test_import_records_a_review_as_a_round_with_the_documents_hash(run, deal, reviewed, tmp_path):
    import hashlib

    result = run("negotiate", "import", deal, reviewed, "--date", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert "payment_days: 30 days — walk-away" in result.output
    assert "item(s) not found in the document, so no position of the vendor's" in result.output
    entries = record_of(deal)["entries"]
    assert entries[0]["source"] == {"type": "document", "file": "vendor-msa.md", "review": "vendor-msa.issues.json",
                                    "sha256": hashlib.sha256((tmp_path / "vendor-msa.md").read_bytes()).hexdigest()}
    # placed again here from the vendor's words: the same tiers the reviewer found
    review = json.loads(reviewed.read_text(encoding="utf-8"))
    found = {finding["item"]: finding for finding in review["findings"] if finding.get("excerpt")}
    assert [(entry["subject"], entry["tier"]) for entry in entries[1:]] == [
        ("payment_days", found["payment_terms"]["values"][0]["tier"]), ("no_secondary_use", found["no_secondary_use"]["tier"])]


def test_import_checks_the_review_against_its_schema(run, deal, reviewed):
    data = json.loads(reviewed.read_text(encoding="utf-8"))
    data["findings"][0]["tier"] = "great"
    reviewed.write_text(json.dumps(data), encoding="utf-8")
    result = run("negotiate", "import", deal, reviewed)
    assert result.exit_code == 1 and "vendor-msa.issues.json:" in result.output and "findings/0/tier" in result.output


def test_import_without_the_reviewed_document_says_so(run, deal, reviewed, tmp_path):
    (tmp_path / "vendor-msa.md").unlink()
    result = run("negotiate", "import", deal, reviewed)
    assert result.exit_code == 1 and "the reviewed document vendor-msa.md is not beside the review: name it with --paper" in result.output


@pytest.mark.parametrize(("terminal", "shown"), [(True, True), (False, False)], ids=["terminal", "piped"])
def test_batch_progress_is_shown_only_on_a_terminal(monkeypatch, capsys, terminal, shown):
    import sys

    from dealbook.cli.negotiation import ProgressBar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    with ProgressBar(3, "reading deals") as progress:
        for name in ("a", "b", "c"):
            progress.step(name)
    assert ("reading deals" in capsys.readouterr().err) is shown

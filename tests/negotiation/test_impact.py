"""`dealbook impact`: what a new playbook version does to the example deals, with records."""

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner
from dealbook.cli import main
from dealbook.negotiation.record import write_record
from dealbook.negotiation.session import approve, open_session, record_position, respond

from ..conftest import REPO

REMOVED = "exit_data_deletion_certificate"


def _edit_yaml(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def versions(tmp_path):
    """The bundled playbook as it is (1.0.0), and 1.1.0: payment terms walk away at 40 days, one item removed, one rule added."""
    old = tmp_path / "itam-1.0"
    shutil.copytree(REPO / "playbooks" / "itam", old)
    new = tmp_path / "itam-1.1"
    shutil.copytree(old, new)
    manifest = new / "playbook.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.1.0"), encoding="utf-8")

    def financial(module):
        next(term for term in module["terms"] if term["id"] == "payment_days")["walk_away"] = 40
        module["rules"].append({"id": "multi_year_needs_finance", "when": "term_years >= 3", "because": "Three years and more is a capital decision.",
                                "then": [{"require_approver": {"approver": "finance", "reason": "A commitment of three years or more."}}]})

    _edit_yaml(new / "modules" / "03-financial.yaml", financial)
    _edit_yaml(new / "modules" / "07-exit.yaml", lambda module: module.update(items=[item for item in module["items"] if item["id"] != REMOVED]))
    _edit_yaml(new / "patterns" / "07-exit.yaml", lambda patterns: patterns.update(patterns=[entry for entry in patterns["patterns"] if entry["item"] != REMOVED]))
    if (new / "definitions.yaml").exists():  # the defined-terms registry names the items that use each term
        def unlisted(registry):
            for definition in registry["definitions"]:
                definition["items"] = [item for item in definition.get("items", []) if item != REMOVED]
        _edit_yaml(new / "definitions.yaml", unlisted)
    return old, new


@pytest.fixture
def deals(tmp_path, versions):
    """The example deals; the EU SaaS deal with a record: payment terms agreed at 35 days (the old walk-away zone), approved."""
    folder = tmp_path / "deals"
    shutil.copytree(REPO / "examples" / "deals", folder)
    session, _ = record_position(open_session(folder / "eu-saas-crm.yaml", versions[0]), "payment_days", "35 days")
    session = respond(session, "payment_days", "accept")
    for department in ("finance", "legal", "exec"):
        session = approve(session, "payment_days", department, f"{department} lead")
    write_record(session.record)
    return folder


def test_impact_names_the_affected_deals_and_positions(versions, deals, tmp_path):
    old, new = versions
    report = tmp_path / "impact.md"
    result = CliRunner().invoke(main, ["impact", str(old), str(new), "--deals", str(deals), "-o", str(report)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Impact of itam 1.1.0 on deals under way")
    assert "## Customer engagement platform 2027-2029 (eu-saas-crm.yaml)" in text
    assert f"- item {REMOVED} removed from the playbook" in text
    assert "- term payment_days: walk-away 30 days → 40 days" in text
    assert "- the deal now needs finance's approval" in text
    assert "- payment_days (conceded): walk-away → beyond walk-away; agreed beyond the new walk-away; needs approval from finance, legal, exec" in text
    assert "## Unchanged" in text


def test_impact_as_json_and_as_a_gate(versions, deals):
    old, new = versions
    result = CliRunner().invoke(main, ["impact", str(old), str(new), "--deals", str(deals), "--format", "json", "--fail-on-impact"], catch_exceptions=False)
    assert result.exit_code == 1
    data = json.loads(result.output)
    crm = next(deal for deal in data["deals"] if deal["deal"] == "eu-saas-crm.yaml")
    # the approvals were given for a walk-away acceptance: beyond it, none of them counts any more
    assert crm["record"] == [{"subject": "payment_days", "status": "conceded", "before": "walk-away", "after": "beyond-walk-away",
                              "missing": ["finance", "legal", "exec"], "below_walk_away": True}]
    unchanged = CliRunner().invoke(main, ["impact", str(old), str(old), "--deals", str(deals), "--format", "json", "--fail-on-impact"], catch_exceptions=False)
    assert unchanged.exit_code == 0 and not any(deal["affected"] for deal in json.loads(unchanged.output)["deals"])


def test_repin_shows_the_same_change_for_one_deal(versions, deals):
    old, new = versions
    deal = deals / "eu-saas-crm.yaml"
    result = CliRunner().invoke(main, ["negotiate", "repin", str(deal), "-p", str(new), "--dry-run"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "payment_days (conceded): walk-away → beyond walk-away; agreed beyond the new walk-away" in result.output
    moved = CliRunner().invoke(main, ["negotiate", "repin", str(deal), "-p", str(new), "--note", "financial module 1.1"], catch_exceptions=False)
    assert moved.exit_code == 0 and "re-pinned to itam 1.1.0" in moved.output
    status = CliRunner().invoke(main, ["negotiate", "status", str(deal), "-p", str(new)], catch_exceptions=False)
    assert status.exit_code == 3  # the tier moved: the approvals given for walk-away no longer count
    assert "no longer counts" in status.output

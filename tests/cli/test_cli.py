import json

import pytest
from click.testing import CliRunner
from dealbook import __version__
from dealbook.cli import main

from ..conftest import FIXTURES, edit


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return invoke


def test_version_and_help(run):
    assert run("--version").output.strip() == f"dealbook, version {__version__}"
    for command in ([], ["validate"], ["evaluate"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_validate_prints_a_summary(run):
    result = run("validate", FIXTURES / "mini")
    assert result.exit_code == 0
    assert result.output.startswith("mini 0.1.0: valid — 2 modules, 4 items")


def test_validate_prints_every_problem_and_exits_1(run, mini_copy):
    edit(mini_copy / "modules/data.yaml", "owner: legal", "owner: legl")
    edit(mini_copy / "modules/data.yaml", "priority: low", "priority: lowest")
    result = run("validate", mini_copy)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1] == "1 problem(s) found"  # schema problems come first, alone
    assert "data.yaml:37:15: 'lowest' is not one of" in lines[0]
    assert "Traceback" not in result.output


def test_evaluate_text_json_and_explain(run, write_answers):
    path = write_answers({"deployment": "saas", "annual_value": "EUR 2m", "personal_data": "yes", "regimes": ["gdpr"]})
    text = run("evaluate", path, "-p", FIXTURES / "mini")
    assert text.exit_code == 0
    assert "[CRITICAL] Price protection (price_protection) — owner: Procurement" in text.output
    assert "Privacy officer: EU personal data." in text.output
    assert "Why:" not in text.output
    explained = run("evaluate", path, "-p", FIXTURES / "mini", "--explain")
    assert "Why: item price_protection: priority raised to critical (rule big_deal) — big [big=yes]" in explained.output
    assert "rule small_deal: did not fire — annual_value < 50000 [annual_value=2000000]" in explained.output
    data = json.loads(run("evaluate", path, "-p", FIXTURES / "mini", "--format", "json").output)
    assert {item["id"]: item["priority"] for item in data["items"]}["price_protection"] == "critical"


def test_evaluate_bad_answers_exit_1_without_traceback(run, write_answers):
    path = write_answers({"deployment": "sass", "annual_value": 1})
    result = run("evaluate", path, "-p", FIXTURES / "mini")
    assert result.exit_code == 1
    assert "question 'deployment': 'sass' is not an option (did you mean 'saas'?) [answers/deployment]" in result.output
    missing = run("evaluate", path.parent / "nope.yaml", "-p", FIXTURES / "mini")
    assert missing.exit_code == 1 and "nope.yaml: file not found" in missing.output


def test_brief_writes_the_pack(run, tmp_path):
    from ..conftest import REPO

    result = run("brief", REPO / "examples/deals/small-desktop-subscription.yaml", "-o", tmp_path / "out", "--format", "md,html")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote 10 files to {tmp_path / 'out'}/")
    assert (tmp_path / "out" / "briefing-pack.html").read_text().startswith("<!DOCTYPE html>")
    bad = run("brief", REPO / "examples/deals/small-desktop-subscription.yaml", "-o", tmp_path / "out", "--format", "pdf")
    assert bad.exit_code == 2 and "pdf is not a format; choose from md, docx, html" in bad.output  # a usage error


def test_brief_word_output_with_an_organisations_reference_document(run, tmp_path):
    import docx

    from ..conftest import REPO

    reference = tmp_path / "ours.docx"
    docx.Document().save(reference)  # python-docx's default template: no Clause style
    result = run("brief", REPO / "examples/deals/eu-saas-crm.yaml", "-o", tmp_path / "out", "--format", "docx", "--reference-docx", reference)
    assert result.exit_code == 0, result.output
    document = docx.Document(tmp_path / "out" / "briefing-pack.docx")
    assert document.core_properties.title == "Negotiation briefing — Customer engagement platform 2027-2029"
    assert document.core_properties.created.date().isoformat() == "2026-12-01"
    assert any(paragraph.style.name == "Clause" for paragraph in document.paragraphs)
    missing = run("brief", REPO / "examples/deals/eu-saas-crm.yaml", "-o", tmp_path / "out", "--format", "docx", "--reference-docx", tmp_path / "nope.docx")
    assert missing.exit_code == 1 and "reference document not found" in missing.output


@pytest.mark.parametrize("processes", ["1", ""], ids=["one-process", "with-helper"])
def test_brief_in_every_format_writes_the_same_pack_with_or_without_a_helper(run, tmp_path, monkeypatch, processes):
    from dealbook.infra.helper import PROCESSES_VARIABLE

    from ..conftest import REPO
    from ..renderers.conftest import rendered_pack  # render_pack in one process

    monkeypatch.setenv(PROCESSES_VARIABLE, processes)
    result = run("brief", REPO / "examples/deals/eu-saas-crm.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    expected = rendered_pack("eu-saas-crm").files
    assert set(expected) == {path.name for path in (tmp_path / "out").iterdir()} - {".dealbook-pack.json"}
    assert all((tmp_path / "out" / name).read_bytes() == content for name, content in expected.items())


def test_brief_reports_a_bad_reference_document_from_the_helper(run, tmp_path, monkeypatch):
    from dealbook.infra.helper import PROCESSES_VARIABLE

    from ..conftest import REPO

    monkeypatch.delenv(PROCESSES_VARIABLE, raising=False)
    fake = tmp_path / "house.docx"
    fake.write_text("not a zip")
    result = run("brief", REPO / "examples/deals/eu-saas-crm.yaml", "-o", tmp_path / "out", "--reference-docx", fake)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"{fake}: reference document not a Word document (.docx)"]
    assert not (tmp_path / "out").exists()

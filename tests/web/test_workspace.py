"""The workspace: deals found by slug inside the folder only, saves checked, versioned, serialised and kept."""

from __future__ import annotations

import threading

import pytest
from dealbook.errors import DealbookError
from dealbook.infra.files import backup_path
from dealbook.intake.questionnaire import load_sheet
from dealbook.web.workspace import Change, Workspace, field_version, slug_for


@pytest.fixture
def workspace(folder, itam) -> Workspace:
    return Workspace(folder, itam)


def change(workspace, deal_id, name, raw, kind="answer"):
    deal = workspace.read(deal_id)
    return Change(kind, name, raw, deal.version(kind, name))


@pytest.mark.parametrize("deal_id", ["../deals", "eu-saas-crm.yaml", "EU-SAAS-CRM", "eu_saas_crm", "-eu", "a/b", "", "eu-saas-crm/"],
                         ids=["parent", "with-extension", "capitals", "underscores", "leading-hyphen", "slash", "empty", "trailing-slash"])
def test_only_slugs_name_deals(workspace, deal_id):
    assert workspace.path_for(deal_id) is None


def test_a_link_out_of_the_folder_is_not_a_deal(workspace, folder, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text((folder / "eu-saas-crm.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "escape.yaml").symlink_to(outside)
    assert workspace.path_for("escape") is None
    assert "escape" not in workspace.deal_ids()


def test_the_deals_list_reads_every_example(workspace, folder):
    summaries = {summary.id: summary for summary in workspace.summaries()}
    assert set(summaries) == {path.stem for path in folder.glob("*.yaml")}
    crm = summaries["eu-saas-crm"]
    assert (crm.name, crm.vendor, crm.annual_value) == ("Customer engagement platform 2027-2029", "Northwind Cloud Ltd", 420000)


def test_a_file_with_problems_is_listed_with_its_first_problem(workspace, folder):
    (folder / "broken.yaml").write_text("deal: {name: X, vendor: Y}\nanswers:\n  deployment: moon\n", encoding="utf-8")
    (summary,) = [entry for entry in workspace.summaries() if entry.id == "broken"]
    assert "broken.yaml:3" in summary.problem and "moon" in summary.problem


@pytest.mark.parametrize(("name", "slug"), [("CRM renewal 2027!", "crm-renewal-2027"), ("Été à Zürich", "t-z-rich"), ("***", "deal")],
                         ids=["words", "accents", "nothing-left"])
def test_slugs(name, slug):
    assert slug_for(name) == slug


def test_a_new_deal_is_a_questionnaire_the_cli_reads(workspace, itam):
    deal_id, problems = workspace.create({"name": "CRM renewal", "vendor": "Acme", "currency": "eur"})
    again, _ = workspace.create({"name": "CRM renewal", "vendor": "Other"})
    assert (deal_id, again, problems) == ("crm-renewal", "crm-renewal-2", {})
    sheet = load_sheet(workspace.path_for(deal_id), itam)
    assert sheet.deal == {"name": "CRM renewal", "vendor": "Acme", "currency": "EUR"}
    assert "# Answers for one deal" in workspace.path_for(deal_id).read_text(encoding="utf-8")


def test_a_new_deal_with_problems_is_not_written(workspace, folder):
    before = sorted(folder.iterdir())
    deal_id, problems = workspace.create({"name": "", "vendor": "Acme", "currency": "euro", "date": "2026-02-30"})
    assert deal_id is None
    assert set(problems) == {"name", "currency", "date"}
    assert "not a real calendar date" in problems["date"]
    assert sorted(folder.iterdir()) == before


def test_a_save_writes_atomically_and_keeps_the_previous_file(workspace, itam):
    path = workspace.path_for("eu-saas-crm")
    previous = path.read_bytes()
    saved = workspace.save("eu-saas-crm", [change(workspace, "eu-saas-crm", "user_count", "2,400")])
    assert saved.written and not saved.refused and not saved.conflicts
    assert load_sheet(path, itam).answers["user_count"] == 2400
    assert backup_path(path).read_bytes() == previous
    assert not [name for name in path.parent.iterdir() if name.suffix == ".tmp"]


@pytest.mark.parametrize(("question", "raw", "message"), [
    ("annual_value", "450,000.5.1", "expected a number such as 1200 or 1,200.50"),
    ("annual_value", "four hundred", "expected an amount such as 450000"),
    ("annual_value", "USD 10k", "amount is in USD but the deal currency is EUR"),
    ("user_count", "many", "expected a number"),
    ("term_years", "2.5", "expected a whole number"),
    ("deployment", "moon", "is not an option"),
], ids=["amount-digits", "amount-words", "currency", "integer-words", "integer-fraction", "option"])
def test_a_value_that_does_not_fit_is_refused_with_the_engines_message(workspace, question, raw, message):
    path = workspace.path_for("eu-saas-crm")
    before = path.read_bytes()
    saved = workspace.save("eu-saas-crm", [change(workspace, "eu-saas-crm", question, raw)])
    assert message in saved.refused[f"answer.{question}"]
    assert not saved.written and path.read_bytes() == before


def test_a_save_from_a_stale_version_is_refused_and_the_file_keeps_the_first(workspace, itam):
    stale = workspace.read("eu-saas-crm").version("answer", "deployment")
    first = workspace.save("eu-saas-crm", [Change("answer", "deployment", "on_prem", stale)])
    second = workspace.save("eu-saas-crm", [Change("answer", "deployment", "hybrid", stale)])
    assert first.written and not first.conflicts
    assert second.conflicts == {"answer.deployment": "hybrid"} and not second.written
    assert load_sheet(workspace.path_for("eu-saas-crm"), itam).answers["deployment"] == "on_prem"


def test_a_stale_field_sent_unchanged_leaves_the_other_change_alone(workspace, itam):
    shown = workspace.read("eu-saas-crm")
    workspace.save("eu-saas-crm", [Change("answer", "user_count", "999", shown.version("answer", "user_count"))])
    # The plain form sends every field; this one still says what the page showed.
    saved = workspace.save("eu-saas-crm", [Change("answer", "user_count", "1800", shown.version("answer", "user_count"))])
    assert not saved.conflicts and not saved.written
    assert load_sheet(workspace.path_for("eu-saas-crm"), itam).answers["user_count"] == 999


def test_answers_that_stop_applying_are_parked_and_come_back(workspace, itam):
    path = workspace.path_for("onprem-db-per-core")
    assert "virtualised" in load_sheet(path, itam).answers
    parked = workspace.save("onprem-db-per-core", [change(workspace, "onprem-db-per-core", "deployment", "saas")])
    assert "virtualised" in parked.parked and "virtualised" in load_sheet(path, itam).parked
    back = workspace.save("onprem-db-per-core", [change(workspace, "onprem-db-per-core", "deployment", "on_prem")])
    assert "virtualised" in back.restored and "virtualised" in load_sheet(path, itam).answers


def test_clearing_an_answer_makes_it_unanswered_again(workspace, itam):
    workspace.save("eu-saas-crm", [change(workspace, "eu-saas-crm", "user_count", "")])
    assert "user_count" not in load_sheet(workspace.path_for("eu-saas-crm"), itam).answers


def test_a_deal_field_change_is_checked_like_the_interview(workspace):
    saved = workspace.save("eu-saas-crm", [change(workspace, "eu-saas-crm", "currency", "euros", kind="deal"),
                                           change(workspace, "eu-saas-crm", "vendor", "", kind="deal")])
    assert set(saved.refused) == {"deal.currency", "deal.vendor"}
    assert "three-letter currency code" in saved.refused["deal.currency"]


def test_concurrent_saves_to_one_deal_lose_nothing(workspace, itam):
    questions = ["user_count", "business_units", "term_years", "user_growth_pct"]
    rounds = 10  # term_years is at most 10
    failures = []

    def client(question: str) -> None:
        for number in range(1, rounds + 1):
            saved = workspace.save("eu-saas-crm", [change(workspace, "eu-saas-crm", question, str(number))])
            if saved.conflicts or saved.refused:
                failures.append((question, number, saved.conflicts, saved.refused))

    threads = [threading.Thread(target=client, args=(question,)) for question in questions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answers = load_sheet(workspace.path_for("eu-saas-crm"), itam).answers
    assert failures == []
    assert [answers[question] for question in questions] == [rounds] * len(questions)


def test_versions_tell_values_apart():
    assert field_version(None) != field_version("") != field_version([]) != field_version(False)
    assert field_version(["a", "b"]) == field_version(["a", "b"])


def test_a_file_changed_by_another_program_is_read_afresh(workspace, itam):
    path = workspace.path_for("eu-saas-crm")
    assert workspace.read("eu-saas-crm").sheet.answers["user_count"] == 1800
    path.write_text(path.read_text(encoding="utf-8").replace("user_count: 1800", "user_count: 1900"), encoding="utf-8")
    assert workspace.read("eu-saas-crm").sheet.answers["user_count"] == 1900
    path.write_text(path.read_text(encoding="utf-8").replace("user_count: 1900", "user_count: lots"), encoding="utf-8")
    with pytest.raises(DealbookError, match="user_count"):
        workspace.read("eu-saas-crm")

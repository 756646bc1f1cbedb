import json
from pathlib import Path

import dealbook
import pytest
import yaml
from click.testing import CliRunner
from dealbook.cli import main
from dealbook.errors import ValidationErrors
from dealbook.intake.questionnaire import AnswerSheet, describe, load_sheet, questionnaire_text, write_questionnaire

from ..conftest import FIXTURES, edit


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def line_of(path, text):
    """The 1-based line number where ``text`` starts in ``path``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    (number,) = [index for index, line in enumerate(lines, 1) if line.startswith(text)]
    return number


@pytest.fixture
def blank(tmp_path, mini):
    path = tmp_path / "deal.yaml"
    path.write_text(questionnaire_text(mini), encoding="utf-8")
    return path


@pytest.mark.parametrize("playbook_name", ["mini", "itam"], ids=["mini", "itam"])
@pytest.mark.parametrize("fmt", ["yaml", "json"], ids=["yaml", "json"])
def test_blank_questionnaire_loads_with_nothing_answered(request, tmp_path, playbook_name, fmt):
    playbook = request.getfixturevalue(playbook_name)
    path = tmp_path / f"deal.{fmt}"
    path.write_text(questionnaire_text(playbook, fmt=fmt), encoding="utf-8")
    answers = dealbook.load_answers(path, playbook, require_complete=False)
    assert answers.values == {} and answers.parked == {}
    assert (answers.deal.name, answers.deal.vendor, answers.deal.currency) == ("", "", None)
    assert answers.deal.customer == dealbook.deal.answers.Deal("n", "v").customer  # left empty: the default, not a placeholder
    assert set(answers.unanswered) == {q.id for q in playbook.questions if q.required and q.when is None}
    assert answers.unanswered


@pytest.mark.parametrize("playbook_name", ["mini", "itam"], ids=["mini", "itam"])
def test_every_question_is_a_key_grouped_by_section_in_playbook_order(request, playbook_name):
    playbook = request.getfixturevalue(playbook_name)
    text = questionnaire_text(playbook)
    content = yaml.safe_load(text)
    assert list(content["answers"]) == [question.id for question in playbook.questions]
    assert list(content["deal"]) == ["name", "vendor", "customer", "product", "currency", "date", "negotiator"]
    headings = [text.index(f"# == {section.title} ") for section in playbook.sections]
    assert headings == sorted(headings)
    for section in playbook.sections:
        for question in section.questions:
            assert headings[playbook.sections.index(section)] < text.index(f"  {question.id}:\n")


@pytest.mark.parametrize(
    ("question_id", "expected"),
    [
        ("term_years", "#   Answer a whole number from 1 to 10."),
        ("annual_value", '#   Answer an amount such as 450000, 450,000 or "EUR 1.2m", at least 0.'),
        ("deployment", "#     saas       Vendor-hosted SaaS"),
        ("data_categories", "#   Default: [confidential] (assumed while unanswered)."),
        ("auto_renewal", "#   Default: yes (assumed while unanswered)."),
        ("licence_metric", "#   Required."),
        ("committed_spend", '#   Asked only when: licence_metric == "consumption"'),
        ("personal_data", "#   Anything that identifies a person: names, e-mail addresses"),
    ],
    ids=["bounds", "money", "options", "list-default", "bool-default", "required", "when", "help"],
)
def test_comments_say_what_is_asked_and_how_to_answer(itam, question_id, expected):
    lines = describe(itam.questions_by_id[question_id])
    assert lines[0] == "# " + itam.questions_by_id[question_id].text
    assert any(line.startswith(expected) for line in lines), lines
    assert all(len(line) <= 88 for line in lines)


def test_evaluate_on_the_blank_file_lists_what_is_not_filled_in(blank):
    result = run("evaluate", blank, "-p", FIXTURES / "mini")
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == f"{blank}:{line_of(blank, '  name:')}:8: deal name is not filled in yet [deal/name]"
    assert lines[1].startswith(f"{blank}:{line_of(blank, '  vendor:')}:10: deal vendor is not filled in yet")
    assert lines[2] == (f"{blank}:{line_of(blank, '  deployment:')}:3: question 'deployment' is not answered yet "
                        "(required): Where does it run? [answers/deployment]")
    assert f"{blank}:{line_of(blank, '  annual_value:')}:3: question 'annual_value' is not answered yet" in lines[3]
    assert lines[-1] == "4 problem(s) found"


def test_a_questionnaire_filled_in_with_an_editor_evaluates(blank, mini):
    edit(blank, "  name:", '  name: "Renewal 2027"')
    edit(blank, "  vendor:", "  vendor: Acme Ltd")
    edit(blank, "  deployment:\n", "  deployment: SaaS\n")
    edit(blank, "  annual_value:\n", "  annual_value: EUR 2m\n")
    edit(blank, "  regimes:\n", "  regimes: [gdpr]\n")
    evaluation = dealbook.evaluate_file(blank, FIXTURES / "mini")
    assert evaluation.answers.values == {"deployment": "saas", "annual_value": 2000000, "regimes": ["gdpr"]}
    assert evaluation.answers.deal.vendor == "Acme Ltd"
    assert "question regimes: not asked (its answer is ignored)" in [str(d).split(" — ")[0] for d in evaluation.trace]


def test_misspelt_ids_and_options_in_the_questionnaire_get_a_did_you_mean(blank, mini):
    edit(blank, "  deployment:\n", "  deployment: sass\n")
    edit(blank, "  annual_value:\n", "  anual_value: 5\n")
    edit(blank, "  personal_data:\n", "  personal_data: maybe\n")
    with pytest.raises(ValidationErrors) as raised:
        dealbook.load_answers(blank, mini, require_complete=False)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{blank}:{line_of(blank, '  deployment:')}:15: question 'deployment': 'sass' is not an option "
        "(did you mean 'saas'?) [answers/deployment]",
        f"{blank}:{line_of(blank, '  anual_value:')}:3: unknown question 'anual_value' "
        "(did you mean 'annual_value'?) [answers/anual_value]",
        f"{blank}:{line_of(blank, '  personal_data:')}:18: question 'personal_data': expected yes or no "
        "[answers/personal_data]",
    ]


TRICKY_TEXT = [
    "plain words",
    "no",
    "true",
    "123",
    "key: value # not a comment",
    'quotes " and \' and \\ backslash',
    "two\nlines",
    "line\u2028separator and next\x85line",
    "Müller & Søn — 北京 😀",
    "  leading and trailing  ",
    "{{ deal.vendor }} {% raw %}",
    "[not, a, list]",
]


@pytest.mark.parametrize("text", TRICKY_TEXT, ids=lambda text: repr(text)[:20])
@pytest.mark.parametrize("fmt", ["yaml", "json"], ids=["yaml", "json"])
def test_answers_are_written_as_data_and_read_back_unchanged(tmp_path, mini, text, fmt):
    sheet = AnswerSheet(
        {"name": text, "vendor": "Acme", "currency": "EUR", "date": "2026-03-31"},
        {"deployment": "on_prem", "annual_value": 1234.5, "personal_data": True, "regimes": ["gdpr", "hipaa"],
         "go_live": "2026-03-31", "notes": text},
    )
    path = tmp_path / f"deal.{fmt}"
    path.write_text(questionnaire_text(mini, sheet, fmt), encoding="utf-8")
    assert load_sheet(path, mini) == sheet


def test_parked_answers_have_their_own_marked_section(tmp_path, mini):
    sheet = AnswerSheet({"name": "N", "vendor": "V"}, {"deployment": "saas", "personal_data": False}, {"regimes": ["gdpr"]})
    path = tmp_path / "deal.yaml"
    path.write_text(questionnaire_text(mini, sheet), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("parked:")
    top = start
    while lines[top - 1].startswith("#"):
        top -= 1
    assert lines[top].startswith("# Parked answers: answers to questions that no longer apply") and top < start
    assert lines[top - 1] == ""
    assert "  # regimes: parked, see the end of the file" in lines[:start]
    assert lines[-1] == "  regimes: [gdpr]"
    answers = dealbook.load_answers(path, mini, require_complete=False)
    assert answers.parked == {"regimes": ["gdpr"]} and "regimes" not in answers.values
    assert "parked" not in questionnaire_text(mini, AnswerSheet())


def test_questionnaire_command_prints_or_writes_yaml_and_json(tmp_path):
    printed = run("questionnaire", "-p", FIXTURES / "mini")
    assert printed.exit_code == 0 and "  deployment:\n" in printed.output
    as_json = run("questionnaire", "-p", FIXTURES / "mini", "--format", "json")
    assert json.loads(as_json.output)["answers"]["deployment"] is None
    target = tmp_path / "deal.json"
    written = run("questionnaire", "-p", FIXTURES / "mini", "-o", target)
    assert written.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["deal"] == dict.fromkeys(
        ["name", "vendor", "customer", "product", "currency", "date", "negotiator"])


def test_rewriting_an_answers_file_keeps_its_answers_and_the_previous_file(tmp_path, mini, write_answers):
    path = write_answers({"deployment": "saas", "annual_value": "EUR 5k", "notes": "keep me"})
    before = path.read_text(encoding="utf-8")
    write_questionnaire(mini, path)
    assert (path.parent / "deal.yaml.bak").read_text(encoding="utf-8") == before
    assert load_sheet(path, mini).answers == {"deployment": "saas", "annual_value": 5000, "notes": "keep me"}
    assert "# Anything else?" in path.read_text(encoding="utf-8")


def test_a_broken_answers_file_is_not_overwritten(tmp_path, write_answers):
    path = write_answers({"deploymnt": "saas"})
    before = path.read_text(encoding="utf-8")
    result = run("questionnaire", "-p", FIXTURES / "mini", "-o", path)
    assert result.exit_code == 1
    assert "unknown question 'deploymnt' (did you mean 'deployment'?)" in result.output
    assert path.read_text(encoding="utf-8") == before and not (path.parent / "deal.yaml.bak").exists()


def test_the_questionnaire_carries_a_modeline_that_rewrites_keep(tmp_path, mini):
    from dealbook.intake.questionnaire import bundled_answers_schema

    printed = CliRunner().invoke(main, ["questionnaire", "-p", str(FIXTURES / "mini")]).stdout
    assert printed.splitlines()[0] == f"# yaml-language-server: $schema={bundled_answers_schema()}"
    assert Path(bundled_answers_schema()).is_file()
    deal = tmp_path / "deal.yaml"
    result = CliRunner().invoke(main, ["questionnaire", "-p", str(FIXTURES / "mini"), "-o", str(deal), "--schema", "schemas/answers.schema.json"])
    assert result.exit_code == 0
    assert deal.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=schemas/answers.schema.json"
    write_questionnaire(mini, deal)
    assert deal.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=schemas/answers.schema.json"

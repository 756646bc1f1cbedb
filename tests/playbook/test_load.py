from pathlib import Path

import dealbook
import pytest
from dealbook.errors import InputFileError, ValidationErrors
from dealbook.renderers.text import playbook_summary

from ..conftest import edit


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ValidationErrors) as raised:
        dealbook.load_playbook(path)
    return [str(problem) for problem in raised.value.problems]


def test_valid_playbook_builds_the_model(mini):
    assert [module.id for module in mini.modules] == ["commercial", "data"]
    assert [item.id for item in mini.items] == ["price_protection", "exec_signoff", "dpa", "hosting_review"]
    assert mini.terms_by_id["price_cap"].format(3) == "3%"
    assert mini.terms_by_id["breach_hours"].format(72) == "72 hours"
    assert [node.id for node in mini.resolution_order] == ["regimes", "big", "eu_data"]
    assert playbook_summary(mini) == "mini 0.1.0: valid — 2 modules, 4 items, 6 questions, 2 facts, 4 rules, 2 terms"


def test_playbook_is_found_by_folder_file_or_bundled_name(mini_copy):
    assert dealbook.load_playbook(mini_copy).id == "mini"
    assert dealbook.load_playbook(mini_copy / "playbook.yaml").id == "mini"
    with pytest.raises(InputFileError, match="no such playbook"):
        dealbook.load_playbook("no-such-playbook")
    with pytest.raises(InputFileError, match="no playbook.yaml in this folder"):
        dealbook.load_playbook(mini_copy / "modules")


# Each case breaks the fixture playbook in one way and names the message and
# the YAML path of the problem it must produce.
BREAKAGES = [
    ("modules/data.yaml", "priority: low", "priority: urgent", "'urgent' is not one of: critical, high, medium, low", "items/1/priority"),
    ("modules/data.yaml", "    rationale: Know where data lives.\n", "    rationale: Know where data lives.\n    colour: red\n", "unknown field 'colour'", "items/1/colour"),
    ("modules/data.yaml", "    objective: Check the SaaS hosting.\n", "", "missing required field 'objective'", "items/1"),
    ("modules/data.yaml", "id: hosting_review", "id: dpa", "duplicate item id 'dpa'", "items/1/id"),
    ("modules/data.yaml", "owner: legal", "owner: legl", "unknown department 'legl' (did you mean 'legal'?)", "items/1/owner"),
    ("modules/data.yaml", "applies_when: personal_data", "applies_when: personal_dta", "unknown question or fact 'personal_dta' (did you mean 'personal_data'?)", "items/0/applies_when"),
    ("modules/data.yaml", 'deployment == "saas"', 'deployment == "sass"', "'sass' is not an option of question 'deployment' (did you mean 'saas'?)", "rules/0/when"),
    ("modules/data.yaml", 'when: deployment == "on_prem"', "when: deployment.__class__", "attribute access not allowed", "rules/1/when"),
    ("modules/data.yaml", 'when: deployment == "on_prem"', "when: \"'a' * 10**9\"", "'*' not allowed", "rules/1/when"),
    ("modules/data.yaml", 'when: deployment == "on_prem"', "when: personal_data == 'yes'", "yes/no question; compare it with true or false", "rules/1/when"),
    ("modules/data.yaml", 'when: deployment == "on_prem"', "when: annual_value > '10'", "money question; compare it with a number", "rules/1/when"),
    ("modules/data.yaml", 'when: deployment == "on_prem"', "when: regimes == 'gdpr'", "multi-choice question (a list)", "rules/1/when"),
    ("modules/data.yaml", 'when: deployment == "on_prem"', "when: '\"saas\" in deployment'", "not a list", "rules/1/when"),
    ("modules/data.yaml", 'when: deployment == "on_prem"', "when: deployment > 'a'", "cannot be ordered", "rules/1/when"),
    ("modules/data.yaml", 'when: deployment == "on_prem"', "when: breach_hours > 3", "term 'breach_hours' cannot be used in a condition", "rules/1/when"),
    ("modules/data.yaml", 'when: deployment == "on_prem"', "when: deal.vendr == 'x'", "unknown deal field 'deal.vendr'", "rules/1/when"),
    ("modules/data.yaml", "{{ deal.vendor }} shall notify", "{{ deal.vendr }} shall notify", "unknown deal field 'deal.vendr' (did you mean 'vendor'?)", "items/0/positions/preferred/clause"),
    ("modules/data.yaml", "{{ deal.vendor }} shall notify", "{{ vendor_name }} shall notify", "unknown name 'vendor_name' in template", "items/0/positions/preferred/clause"),
    ("modules/data.yaml", "within {{ terms.breach_hours }}.\"", "within {{ terms.breach_hour }}.\"", "unknown term 'terms.breach_hour' (did you mean 'breach_hours'?)", "items/0/positions/preferred/clause"),
    ("modules/data.yaml", "within {{ terms.breach_hours }}.\"", "within {{ terms.breach_hours.maximum }}.\"", "terms.breach_hours has no field 'maximum'", "items/0/positions/preferred/clause"),
    ("modules/data.yaml", "within {{ terms.breach_hours }}.\"", "within {{ terms.breach_hours }.\"", "template syntax error", "items/0/positions/preferred/clause"),
    ("modules/data.yaml", "target: 48", "target: 100", "target <= fallback <= walk_away must hold (got 100, 72, 96)", "terms/0"),
    ("modules/data.yaml", "set_term: {term: breach_hours, target: 24}", "set_term: {term: breach_hours, target: 80}", "rule 'eu_rules' sets term 'breach_hours' so that", "rules/0/then/0"),
    ("modules/data.yaml", "set_term: {term: breach_hours, target: 24}", "set_term: {term: breach_hourz, target: 24}", "unknown term 'breach_hourz'", "rules/0/then/0/set_term/term"),
    ("modules/data.yaml", "exclude: [hosting_review]", "exclude: [hosting_reveiw]", "unknown item 'hosting_reveiw' (did you mean 'hosting_review'?)", "rules/1/then/0"),
    ("modules/data.yaml", "exclude: [hosting_review]", "open_at: {items: [hosting_review], tier: 3}", "has 1 fallback(s); it cannot open at tier 3", "rules/1/then/0"),
    ("modules/data.yaml", "approver: privacy", "approver: dpo", "unknown department 'dpo'", "rules/0/then/2/require_approver/approver"),
    ("modules/data.yaml", "      - exclude: [hosting_review]", "      - exclude: [hosting_review]\n        include: [dpa]", "one effect per list entry", "rules/1/then/0"),
    ("modules/data.yaml", "      - exclude: [hosting_review]", "      - explode: [hosting_review]", "unknown field 'explode' (did you mean 'exclude'?)", "rules/1/then/0/explode"),
    ("questions.yaml", "expr: annual_value >= 1000000", "expr: annual_value >= 1000000 and eu_data\n  - id: loop_a\n    description: a\n    expr: loop_b\n  - id: loop_b\n    description: b\n    expr: loop_a", "fact 'loop_a' depends on itself: loop_a -> loop_b -> loop_a", "facts/1"),
    ("questions.yaml", "    default: false\n", "    default: 'no'\n", "the default of a yes/no question is true or false", "questions/2/default"),
    ("questions.yaml", "    default: []\n", "    default: [gdpr, ccpa]\n", "default 'ccpa' is not an option", "questions/3/default"),
    ("questions.yaml", "    type: date\n", "    type: choice\n", "missing required field 'options'", "questions/4"),
    ("questions.yaml", "    type: text\n", "    type: text\n    options: [{value: a, label: A}, {value: b, label: B}]\n", "field 'options' is not allowed here", "questions/5"),
    ("questions.yaml", "  - id: go_live", "  - id: Go Live", "'Go Live' is not valid", "questions/4/id"),
    ("playbook.yaml", "  - modules/data.yaml", "  - modules/missing.yaml", "file not found: modules/missing.yaml", "modules/1"),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "message", "path"),
    BREAKAGES,
    ids=[f"{case[0].split('/')[-1]}:{case[3][:40]}" for case in BREAKAGES],
)
def test_each_problem_is_reported_with_message_and_location(mini_copy, file, old, new, message, path):
    edit(mini_copy / file, old, new)
    with pytest.raises(ValidationErrors) as raised:
        dealbook.load_playbook(mini_copy)
    problems = raised.value.problems
    matching = [problem for problem in problems if message in problem.message]
    assert matching, [str(problem) for problem in problems]
    problem = matching[0]
    assert problem.location.file.endswith(file)
    assert problem.location.path == path
    assert problem.location.line > 0


def test_all_problems_are_reported_together(mini_copy):
    edit(mini_copy / "modules/data.yaml", "owner: legal", "owner: legl")
    edit(mini_copy / "modules/data.yaml", "applies_when: personal_data", "applies_when: personal_dta")
    edit(mini_copy / "modules/commercial.yaml", "owner: procurement\n    priority: medium", "owner: procurment\n    priority: medium")
    problems = problems_of(mini_copy)
    assert len(problems) == 3
    assert {problem.split(":")[0].split("/")[-1] for problem in problems} == {"data.yaml", "commercial.yaml"}


def test_schema_problems_in_several_files_are_reported_together(mini_copy):
    edit(mini_copy / "modules/data.yaml", "priority: low", "priority: urgent")
    edit(mini_copy / "questions.yaml", "type: date", "type: calendar")
    assert len(problems_of(mini_copy)) == 2


def test_problem_line_and_column_point_at_the_value(mini_copy):
    edit(mini_copy / "modules/data.yaml", "owner: legal", "owner: legl")
    (problem,) = problems_of(mini_copy)
    text = (mini_copy / "modules/data.yaml").read_text().splitlines()
    _, line, column, _ = problem.split(":", 3)
    assert text[int(line) - 1][int(column) - 1:].startswith("legl")

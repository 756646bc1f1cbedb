from pathlib import Path

import pytest
from dealbook.authoring.scenarios import load_scenarios
from dealbook.errors import ValidationErrors

SCENARIOS = """\
scenarios:
  - name: Schema problem
    answers: {deployment: saas, annual_value: 1}
    expect: {itemz: [dpa]}
  - name: Three problems
    answers: {deployment: sass}
    expect: {items: [dpaa]}
  - name: Fine
    answers: {deployment: saas, annual_value: 1}
    expect: {items: [dpa]}
"""


def test_a_scenario_file_reports_every_problem_of_every_scenario_in_one_run(mini, tmp_path: Path):
    path = tmp_path / "cases.yaml"
    path.write_text(SCENARIOS, encoding="utf-8")
    with pytest.raises(ValidationErrors) as raised:
        load_scenarios(mini, [path])
    assert [str(problem).replace(f"{tmp_path}/", "") for problem in raised.value.problems] == [
        "cases.yaml:4:14: unknown field 'itemz' (did you mean 'items'?) [scenario 'Schema problem', expect/itemz]",
        "cases.yaml:6:5: question 'annual_value' is not answered yet (required): Annual value? [scenario 'Three problems', answers/annual_value]",
        "cases.yaml:6:27: question 'deployment': 'sass' is not an option (did you mean 'saas'?) [scenario 'Three problems', answers/deployment]",
        "cases.yaml:7:22: unknown item 'dpaa' (did you mean 'dpa'?) [scenario 'Three problems', expect/items/0]",
    ]

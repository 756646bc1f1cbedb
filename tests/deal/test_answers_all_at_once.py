from pathlib import Path

import dealbook
import pytest
from dealbook.errors import ValidationErrors

from ..conftest import FIXTURES

FIVE = """\
deal:
  name: Five problems
answers:
  deployment: sass
  annual_value: lots
  personal_data: maybe
  go_live: 31/03/2026
  notes: {nested: mapping}
"""


def test_an_answers_file_reports_a_missing_deal_field_and_every_answer_error_at_once(tmp_path: Path):
    path = tmp_path / "deal.yaml"
    path.write_text(FIVE, encoding="utf-8")
    with pytest.raises(ValidationErrors) as raised:
        dealbook.evaluate_file(path, FIXTURES / "mini")
    assert [str(problem).replace(f"{tmp_path}/", "") for problem in raised.value.problems] == [
        "deal.yaml:2:3: missing required field 'vendor' [deal]",
        "deal.yaml:4:15: question 'deployment': 'sass' is not an option (did you mean 'saas'?) [answers/deployment]",
        "deal.yaml:5:17: question 'annual_value': expected an amount such as 450000, 450,000, \"$450,000\" or \"EUR 1.2m\" [answers/annual_value]",
        "deal.yaml:6:18: question 'personal_data': expected yes or no [answers/personal_data]",
        "deal.yaml:7:12: question 'go_live': expected a date as YYYY-MM-DD, e.g. 2026-03-31 [answers/go_live]",
        "deal.yaml:8:10: expected text or a number or true or false or nothing, got a mapping [answers/notes]",
    ]

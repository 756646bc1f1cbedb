import dealbook
import pytest
from dealbook.deal.answers import AnswerError, coerce_answer
from dealbook.errors import ValidationErrors


def question(mini, question_id):
    return mini.questions_by_id[question_id]


@pytest.mark.parametrize(
    ("question_id", "raw", "expected"),
    [
        ("annual_value", 450000, 450000),
        ("annual_value", "450,000", 450000),
        ("annual_value", "$450,000", 450000),
        ("annual_value", "450000 USD", 450000),
        ("annual_value", "USD 1.2m", 1200000),
        ("annual_value", "250k", 250000),
        ("annual_value", "1,234,567.50", 1234567.5),
        ("annual_value", 99.5, 99.5),
        ("personal_data", "yes", True),
        ("personal_data", "No", False),
        ("personal_data", "TRUE", True),
        ("personal_data", False, False),
        ("deployment", "saas", "saas"),
        ("deployment", "SaaS", "saas"),
        ("deployment", " on_prem ", "on_prem"),
        ("regimes", ["gdpr", "hipaa", "gdpr"], ["gdpr", "hipaa"]),
        ("regimes", "gdpr", ["gdpr"]),
        ("go_live", "2026-03-31", "2026-03-31"),
        ("notes", 12, "12"),
        ("notes", "a | b *c* <script>", "a | b *c* <script>"),
    ],
    ids=lambda case: str(case),
)
def test_values_people_type_are_read(mini, question_id, raw, expected):
    assert coerce_answer(question(mini, question_id), raw, "USD") == expected


@pytest.mark.parametrize(
    ("question_id", "raw", "message"),
    [
        ("annual_value", "1,5", "expected a number"),
        ("annual_value", "450.000,00", "expected a number"),
        ("annual_value", "EUR 450,000", "amount is in EUR but the deal currency is USD"),
        ("annual_value", "about a million", "expected an amount"),
        ("annual_value", -5, "must be at least 0"),
        ("annual_value", True, "expected a number, got yes/no"),
        ("annual_value", "nan", "expected"),
        ("personal_data", "maybe", "expected yes or no"),
        ("personal_data", 1, "expected yes or no"),
        ("deployment", "sass", "did you mean 'saas'"),
        ("deployment", "cloud", "options: on_prem, saas"),
        ("regimes", ["gdpr", "ccpa"], "'ccpa' is not an option"),
        ("go_live", "31/03/2026", "YYYY-MM-DD"),
        ("go_live", "2026-02-30", "not a real calendar date"),
        ("notes", "x" * 6000, "longer than"),
    ],
    ids=lambda case: str(case)[:30],
)
def test_ambiguous_or_wrong_values_say_what_is_expected(mini, question_id, raw, message):
    with pytest.raises(AnswerError) as raised:
        coerce_answer(question(mini, question_id), raw, "USD")
    assert message in str(raised.value)


def test_answers_file_is_checked_with_every_problem_located(mini, write_answers):
    path = write_answers({"deploymnt": "saas", "annual_value": "lots", "personal_data": "maybe", "big": True})
    with pytest.raises(ValidationErrors) as raised:
        dealbook.load_answers(path, mini)
    problems = [str(problem) for problem in raised.value.problems]
    assert any("unknown question 'deploymnt' (did you mean 'deployment'?) [answers/deploymnt]" in p for p in problems)
    assert any("question 'annual_value': expected an amount" in p and p.endswith("[answers/annual_value]") for p in problems)
    assert any("question 'personal_data': expected yes or no" in p for p in problems)
    assert any("'big' is a fact computed from other answers" in p for p in problems)
    assert all(p.startswith(str(path)) and p.split(":")[1].isdigit() for p in problems)


def test_required_questions_that_apply_must_be_answered(mini, write_answers):
    path = write_answers({"deployment": "saas"})
    with pytest.raises(ValidationErrors) as raised:
        dealbook.load_answers(path, mini)
    (problem,) = raised.value.problems
    assert "question 'annual_value' is not answered yet (required)" in str(problem)
    lenient = dealbook.load_answers(path, mini, require_complete=False)
    assert lenient.unanswered == ("annual_value",)


def test_deal_metadata_and_json_answers(mini, tmp_path):
    path = tmp_path / "deal.json"
    path.write_text('{"deal": {"name": "N", "vendor": "V", "currency": "GBP"}, "answers": {"deployment": "on_prem", "annual_value": "£10k"}}')
    answers = dealbook.load_answers(path, mini)
    assert answers.deal.customer == "Customer"
    assert answers.values == {"deployment": "on_prem", "annual_value": 10000}


def test_deal_block_is_schema_checked(mini, write_answers):
    path = write_answers({"deployment": "saas", "annual_value": 1}, deal={"name": "N", "vendor": "V", "currency": "euro", "buyer": "x"})
    with pytest.raises(ValidationErrors) as raised:
        dealbook.load_answers(path, mini)
    messages = " ".join(str(problem) for problem in raised.value.problems)
    assert "unknown field 'buyer'" in messages and "'euro' is not valid" in messages

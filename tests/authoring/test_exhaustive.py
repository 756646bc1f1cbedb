"""The answer space and the exhaustive check: each finding is real, reproducible with its example deal."""

import dealbook
import pytest
from dealbook.authoring.exhaustive import check_exhaustive, report_data, report_text
from dealbook.authoring.space import AnswerSpace, answer_space
from dealbook.deal.answers import Answers, Deal

from ..conftest import FIXTURES


@pytest.fixture(scope="module")
def flawed():
    return dealbook.load_playbook(FIXTURES / "flawed")


@pytest.fixture(scope="module")
def report(flawed):
    return check_exhaustive(flawed)


def _evaluate(playbook, answers):
    return dealbook.evaluate(playbook, Answers(Deal("Example", "Vendor"), answers))


@pytest.mark.parametrize(
    ("question", "values"),
    [
        ("deployment", ("on_prem", "saas")),
        ("hosted_region", ("eu", None)),  # compared nowhere: one option stands for all; unanswered is a value
        ("annual_value", (-1, 0, 1)),
        ("personal_data", (True, False)),
    ],
    ids=["choice", "optional-choice", "money-threshold", "bool"],
)
def test_answer_space_splits_at_what_conditions_compare(flawed, question, values):
    space = answer_space(flawed)
    got = space[question].values
    if question == "annual_value":  # thresholds 0 and 1,000,000, clamped at the minimum 0
        assert got == (0, 500000, 1000000, 1000001)
    else:
        assert got == values


def test_multi_choice_space_covers_compared_options_and_one_other(mini):
    # regimes compares only "gdpr": subsets of {gdpr} plus the uncompared "hipaa"
    assert answer_space(mini)["regimes"].values == ([], ["hipaa"], ["gdpr"], ["gdpr", "hipaa"])


def test_cone_follows_facts_and_when(flawed):
    space = AnswerSpace(flawed)
    assert space.cone(["big"]) == {"annual_value"}
    assert space.cone(["hosted_region"]) == {"hosted_region", "deployment"}


def test_enumeration_respects_when_and_counts(flawed):
    space = AnswerSpace(flawed)
    deals = [(values["deployment"], values["hosted_region"]) for values in space.deals(["hosted_region"])]
    assert deals == [("on_prem", None), ("saas", "eu"), ("saas", None)]
    assert space.combinations == 3 and space.sampled(["hosted_region"]) is False


def test_large_cones_are_sampled_with_seed_and_count(itam):
    first = AnswerSpace(itam, limit=10, samples=50, seed=7)
    drawn = [dict(values) for values in first.deals(["large_deal", "critical_service"])]
    again = [dict(values) for values in AnswerSpace(itam, limit=10, samples=50, seed=7).deals(["large_deal", "critical_service"])]
    assert first.sampled(["large_deal", "critical_service"]) and len(drawn) == 50 and drawn == again
    other = [dict(values) for values in AnswerSpace(itam, limit=10, samples=50, seed=8).deals(["large_deal", "critical_service"])]
    assert other != drawn


def test_finds_each_planted_problem_once(report):
    assert sorted(finding.kind for finding in report.findings) == ["conflict", "dead-item", "missing-approval", "template-failure"]
    assert report.sampled_checks == 0 and report.combinations > 0


def test_conflict_example_reproduces_the_override(flawed, report):
    conflict = next(finding for finding in report.findings if finding.kind == "conflict")
    assert "rules 'big_deal' and 'saas_deal'" in conflict.message and "opening tier of item 'price_protection' (1 vs 0)" in conflict.message
    evaluation = _evaluate(flawed, conflict.example)
    assert {rule.id for index, rule in enumerate(flawed.rules) if index in evaluation.fired} >= {"big_deal", "saas_deal"}
    assert any("opening tier" in decision.subject for decision in evaluation.trace)


def test_dead_item_is_the_impossible_one(report):
    dead = next(finding for finding in report.findings if finding.kind == "dead-item")
    assert "item 'impossible' is never reached by any deal" == dead.message and dead.location.line == 38


def test_missing_approval_example_fires_a_critical_flag_without_approvers(flawed, report):
    missing = next(finding for finding in report.findings if finding.kind == "missing-approval")
    evaluation = _evaluate(flawed, missing.example)
    assert [flag.severity for flag in evaluation.flags] == ["critical"] and evaluation.approvals == ()


def test_template_failure_example_really_fails(flawed, report):
    failure = next(finding for finding in report.findings if finding.kind == "template-failure")
    assert "'hosted_region' is undefined" in failure.message and failure.location.path.endswith("preferred/summary")
    evaluation = _evaluate(flawed, failure.example)
    hosting = next(result for result in evaluation.items if result.id == "hosting_terms")
    with pytest.raises(dealbook.DealbookError, match="hosted_region"):
        evaluation.position(hosting.opening)


def test_report_prints_rate_and_examples(flawed, report):
    text = report_text(report, flawed)
    assert "example deal answers: {deployment: saas, annual_value: 1000000}" in text
    assert "combinations/s" in text and "every check enumerated its cone completely" in text
    assert text.splitlines()[-1] == "4 finding(s)"
    data = report_data(report, flawed)
    assert data["combinations"] == report.combinations and len(data["findings"]) == 4


def test_mini_has_no_findings(mini):
    assert check_exhaustive(mini).findings == []


def test_bundled_itam_renders_every_clause_and_reaches_every_item(itam):
    report = check_exhaustive(itam, limit=20_000, samples=2_000)
    assert [str(f) for f in report.findings if f.kind in ("dead-item", "template-failure", "missing-approval")] == []

"""Scenario tests: expectations compared with the evaluation, readable mismatches, coverage."""

import pytest
import yaml
from dealbook.authoring.scenarios import Coverage, load_scenarios, run_scenarios, run_text, scenario_files
from dealbook.cli.authoring import scenario_report
from dealbook.errors import ValidationErrors

from ..conftest import FIXTURES

SAAS_EU = {"deployment": "saas", "annual_value": "EUR 2m", "personal_data": "yes", "regimes": ["gdpr"]}


@pytest.fixture
def write_scenarios(tmp_path):
    def write(*scenarios, name="cases.yaml"):
        path = tmp_path / name
        path.write_text(yaml.safe_dump({"scenarios": list(scenarios)}, sort_keys=False), encoding="utf-8")
        return path

    return write


def _run(mini, path):
    return run_scenarios(mini, load_scenarios(mini, [path]))


def test_matching_expectations_pass(mini, write_scenarios):
    path = write_scenarios({"name": "big EU SaaS", "answers": SAAS_EU, "expect": {
        "items": ["dpa", "exec_signoff"], "priorities": {"price_protection": "critical"}, "tiers": {"price_protection": 0},
        "terms": {"price_cap": {"target": 2, "fallback": 3, "walk_away": 7}, "breach_hours": 24},
        "flags": {"eu_rules": "high"}, "not_flags": ["small_deal"], "approvers": ["exec", "privacy"], "not_approvers": ["legal"],
    }})
    run = _run(mini, path)
    assert run.failed == 0 and run.results[0].passed


@pytest.mark.parametrize(
    ("expect", "what", "expected", "actual"),
    [
        ({"items": ["hosting_review"]}, "item hosting_review must apply", "applies", "does not apply (item hosting_review: excluded by rule on_prem_no_hosting"),
        ({"not_items": ["price_protection"]}, "item price_protection must not apply", "does not apply", "applies"),
        ({"priorities": {"price_protection": "critical"}}, "priority of item price_protection", "critical", "low"),
        ({"tiers": {"price_protection": 0}}, "opening tier of item price_protection", "0", "1"),
        ({"terms": {"price_cap": {"fallback": 4}}}, "fallback of term price_cap", "4", "5"),
        ({"flags": {"eu_rules": "high"}}, "risk flag from rule eu_rules", "high", "no flag"),
        ({"approvers": ["exec"]}, "approval of exec must be required", "required", "not required"),
    ],
    ids=["item-applies", "item-not", "priority", "tier", "term", "flag", "approver"],
)
def test_mismatches_say_expected_and_actual(mini, write_scenarios, expect, what, expected, actual):
    small_on_prem = {"deployment": "on_prem", "annual_value": 1000}
    run = _run(mini, write_scenarios({"name": "small", "answers": small_on_prem, "expect": expect}))
    (mismatch,) = run.results[0].mismatches
    assert mismatch.what == what and mismatch.expected == expected and mismatch.actual.startswith(actual)
    assert mismatch.location.file.endswith("cases.yaml") and mismatch.location.line > 0


def test_text_shows_diff_lines_and_coverage(mini, write_scenarios):
    path = write_scenarios({"name": "wrong", "answers": {"deployment": "on_prem", "annual_value": 1000},
                            "expect": {"priorities": {"price_protection": "high"}}})
    text = run_text(_run(mini, path))
    assert "FAIL  wrong" in text and "      - high" in text and "      + low" in text
    assert "1 scenarios: 0 passed, 1 failed" in text and "condition outcomes:" in text
    assert "rule big_deal: never fired" in text and "item dpa: never applied" in text


def test_coverage_counts_true_and_false_outcomes(mini, write_scenarios):
    both = write_scenarios(
        {"name": "big", "answers": SAAS_EU, "expect": {"items": ["dpa"]}},
        {"name": "small", "answers": {"deployment": "on_prem", "annual_value": 1000}, "expect": {"not_items": ["dpa"]}},
    )
    coverage = _run(mini, both).coverage
    assert coverage.items == (4, 4) and coverage.rules == (4, 4)
    # 2 facts + 2 item conditions + 4 rules + 1 question 'when' = 9 conditions, 18 outcomes, all seen
    assert coverage.outcomes == (18, 18) and coverage.never == ()
    one = _run(mini, write_scenarios({"name": "small", "answers": {"deployment": "on_prem", "annual_value": 1000}, "expect": {"not_items": ["dpa"]}}, name="one.yaml")).coverage
    assert one.outcomes[0] < 18 and Coverage.percent(one.outcomes) < 100
    assert any(entry.startswith("rule eu_rules (when): never true") for entry in one.never)


def test_problems_in_scenario_files_are_located(mini, write_scenarios):
    path = write_scenarios({"name": "bad", "answers": {"deployment": "sass", "annual_value": 1}, "expect": {"items": ["dpaa"], "approvers": ["legl"]}})
    with pytest.raises(ValidationErrors) as caught:
        load_scenarios(mini, [path])
    lines = [str(problem) for problem in caught.value.problems]
    assert any("cases.yaml:" in line and "'sass' is not an option (did you mean 'saas'?)" in line for line in lines)
    path = write_scenarios({"name": "bad", "answers": {"deployment": "saas", "annual_value": 1}, "expect": {"items": ["dpaa"], "approvers": ["legl"]}})
    with pytest.raises(ValidationErrors) as caught:
        load_scenarios(mini, [path])
    messages = sorted(problem.message for problem in caught.value.problems)
    assert messages == ["unknown department 'legl' (did you mean 'legal'?)", "unknown item 'dpaa' (did you mean 'dpa'?)"]


def test_schema_violation_in_scenario_file(mini, write_scenarios):
    path = write_scenarios({"name": "x", "answers": {}, "expect": {"itemz": ["dpa"]}})
    with pytest.raises(ValidationErrors, match="unknown field 'itemz' \\(did you mean 'items'\\?\\)"):
        load_scenarios(mini, [path])


def test_report_fails_below_min_coverage_and_without_scenarios(write_scenarios):
    path = write_scenarios({"name": "small", "answers": {"deployment": "on_prem", "annual_value": 1000}, "expect": {"not_items": ["dpa"]}})
    text, failed = scenario_report(FIXTURES / "mini", [path], min_coverage=90)
    assert failed and "is below the minimum of 90%" in text
    assert scenario_report(FIXTURES / "mini", [path], min_coverage=10)[1] is False
    text, failed = scenario_report(FIXTURES / "mini")
    assert failed and text.startswith("no scenario files")


def test_bundled_itam_scenarios_ship_and_reach_90_percent(itam):
    files = scenario_files(itam)
    assert files and all(path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=") for path in files)
    run = run_scenarios(itam, load_scenarios(itam, files))
    assert [result.scenario.name for result in run.results if not result.passed] == []
    assert Coverage.percent(run.coverage.outcomes) >= 90

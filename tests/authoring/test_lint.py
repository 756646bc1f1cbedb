"""Lint: each code fires on the flawed fixture where the mistake is, and not on clean playbooks."""

import json

import dealbook
import pytest
from dealbook.authoring.lint import LINTS, findings_data, findings_text, lint_playbook
from dealbook.cli.authoring import lint_report

from ..conftest import FIXTURES, edit


@pytest.fixture(scope="module")
def flawed_findings():
    return lint_playbook(dealbook.load_playbook(FIXTURES / "flawed"))


def _codes(findings):
    return sorted(finding.code for finding in findings)


def test_every_code_is_documented_and_has_a_severity():
    docs = (FIXTURES.parent.parent / "docs" / "authoring-tools.md").read_text(encoding="utf-8")
    for code, lint in LINTS.items():
        assert lint.severity in ("error", "warning")
        assert f"`{code}`" in docs and lint.name in docs, code


def test_flawed_playbook_has_one_finding_per_planted_mistake(flawed_findings):
    assert _codes(flawed_findings) == ["C101", "C102", "D101", "F101", "M101", "P101", "P101", "T101", "U101", "U102", "U103"]


@pytest.mark.parametrize(
    ("code", "where", "words"),
    [
        ("C101", "core.yaml:41:19", "can never hold for any combination of answers: 'deployment' is one answer, so it cannot be both 'on_prem' and 'saas'"),
        ("C102", "core.yaml:53:19", "'annual_value >= 0' always holds"),
        ("U101", "questions.yaml:32:9", "question 'forgotten'"),
        ("U102", "questions.yaml:41:9", "fact 'orphan'"),
        ("U103", "core.yaml:8:10", "term 'orphan_term'"),
        ("M101", "core.yaml:34:18", "'hosted_region' is undefined — for example with answers {deployment: saas"),
        ("D101", "core.yaml:60:17", "item 'always' repeats clause text of item 'price_protection'"),
        ("T101", "core.yaml:7:10", "together set target 4, fallback 3"),
        ("F101", "core.yaml:82:9", "rule 'hosted_personal_data' raises a critical"),
    ],
    ids=["never-holds", "always-holds", "unread-question", "unused-fact", "unshown-term", "template-undefined",
         "duplicate-clause", "term-order", "critical-without-approver"],
)
def test_finding_is_located_and_explained(flawed_findings, code, where, words):
    lines = [str(finding) for finding in flawed_findings if finding.code == code]
    assert len(lines) == 1
    assert where in lines[0] and f": {code} " in lines[0] and words in lines[0]


def test_no_fallback_reports_placeholder_and_last_tier_opening(flawed_findings):
    messages = sorted(finding.message for finding in flawed_findings if finding.code == "P101")
    assert messages[0] == "item 'always' has no real walk-away position"
    assert "rule 'big_deal' opens item 'price_protection' at its last fallback" in messages[1]


def test_fixing_a_mistake_removes_its_finding(tmp_path):
    import shutil

    copy = tmp_path / "flawed"
    shutil.copytree(FIXTURES / "flawed", copy)
    edit(copy / "modules/core.yaml", "Hosted in {{ hosted_region }} only.",
         "Hosted in {% if hosted_region is defined %}{{ hosted_region }}{% else %}a named region{% endif %} only.")
    edit(copy / "modules/core.yaml", "walk_away: {summary: TBD}", "walk_away: {summary: Unlimited price rises.}")
    codes = _codes(lint_playbook(dealbook.load_playbook(copy)))
    assert "M101" not in codes and codes.count("P101") == 1


def test_mini_playbook_is_clean_apart_from_known_gaps(mini):
    # mini never reads go_live or notes, and big_deal opens price_protection at its only fallback.
    assert [(f.code, f.message.split("'")[1]) for f in lint_playbook(mini)] == [
        ("P101", "small_deal"), ("U101", "go_live"), ("U101", "notes"),
    ]


def test_ignore_skips_codes(mini):
    assert [f.code for f in lint_playbook(mini, ignore=["u101", "P101"])] == []


def test_text_and_json_output(flawed_findings):
    text = findings_text(flawed_findings)
    assert text.splitlines()[-1] == "11 finding(s): 3 error(s), 8 warning(s)"
    data = json.loads(json.dumps(findings_data(flawed_findings)))
    assert {entry["name"] for entry in data} >= {"never-holds", "template-undefined"}
    assert all(entry["line"] > 0 and entry["file"].endswith(".yaml") for entry in data)
    never = next(entry for entry in data if entry["code"] == "C101")
    assert (never["path"], never["element"]) == ("items/2/applies_when", "item 'impossible', applies_when")


def test_report_fails_on_errors_and_on_warnings_only_when_strict(mini):
    assert lint_report(FIXTURES / "flawed")[1] is True
    assert lint_report(FIXTURES / "mini")[1] is False
    assert lint_report(FIXTURES / "mini", strict=True)[1] is True


def test_bundled_itam_has_no_error_level_findings(itam):
    assert [str(f) for f in lint_playbook(itam) if f.severity == "error"] == []


@pytest.mark.parametrize(
    ("condition", "why"),
    [("annual_value < 0", "annual_value's minimum is 0"), ("annual_value <= -5", "annual_value's minimum is 0"),
     ("annual_value > 120", "annual_value's maximum is 120")],
    ids=["below-minimum", "at-most-below-minimum", "above-maximum"],
)
def test_a_condition_that_never_holds_says_why(mini_copy, condition, why):
    edit(mini_copy / "questions.yaml", "    minimum: 0\n", "    minimum: 0\n    maximum: 120\n")
    edit(mini_copy / "modules/commercial.yaml", "when: annual_value < 50000", f"when: {condition}")
    findings = [finding for finding in lint_playbook(dealbook.load_playbook(mini_copy, use_cache=False))
                if finding.code == "C101" and finding.message.startswith(f"condition {condition!r}")]
    assert [finding.message for finding in findings] == [f"condition {condition!r} can never hold for any combination of answers: {why}"]


def test_bundled_itam_patterns_have_no_pattern_findings(itam):
    # R101-R103 at any severity: every pattern matches its positives, none of its negatives, and no other item's examples
    assert [str(f) for f in lint_playbook(itam) if f.code.startswith("R1")] == []

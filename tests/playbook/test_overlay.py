"""Overlays: extends, override by id, add, remove; errors point at the layer that introduced them."""

import shutil

import dealbook
import pytest
from dealbook.authoring.show import effective_playbook
from dealbook.errors import ValidationErrors

from ..conftest import FIXTURES, REPO, edit


@pytest.fixture(scope="module")
def strict():
    return dealbook.load_playbook(FIXTURES / "mini_overlay")


@pytest.fixture
def overlay_copy(tmp_path):
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    shutil.copytree(FIXTURES / "mini_overlay", tmp_path / "mini_overlay")
    return tmp_path / "mini_overlay"


def _problems(path):
    with pytest.raises(ValidationErrors) as caught:
        dealbook.load_playbook(path)
    return [str(problem) for problem in caught.value.problems]


def test_overlay_keeps_its_own_identity_and_the_base_content(strict, mini):
    assert (strict.id, strict.version) == ("mini-strict", "0.2.0")
    assert [q.id for q in strict.questions] == [q.id for q in mini.questions]
    assert [d.id for d in strict.departments] == [*[d.id for d in mini.departments], "ciso"]


def test_overrides_change_terms_priorities_and_one_position(strict, mini):
    term = strict.terms_by_id["breach_hours"]
    assert (term.target, term.fallback, term.walk_away) == (24, 36, 48)
    dpa, base = strict.items_by_id["dpa"], mini.items_by_id["dpa"]
    assert dpa.priority == "critical"
    assert dpa.positions.preferred.summary == "Notice within {{ terms.breach_hours }}, no exceptions."
    assert dpa.positions.preferred.clause == base.positions.preferred.clause  # a summary patch keeps the base clause
    assert dpa.positions.fallbacks == base.positions.fallbacks


def test_add_and_remove_by_id(strict):
    assert [item.id for item in strict.modules_by_id["data"].items] == ["dpa", "hosting_review", "pen_test"]
    assert "on_prem_no_hosting" not in {rule.id for rule in strict.rules}
    eu_rules = next(rule for rule in strict.rules if rule.id == "eu_rules")
    assert [effect.kind for effect in eu_rules.effects] == ["require_approver"]


def test_elements_keep_the_location_of_the_file_that_introduced_them(strict):
    assert strict.items_by_id["pen_test"].location.file.endswith("mini_overlay/overrides/patch.yaml")
    assert strict.items_by_id["dpa"].location.file.endswith("mini/modules/data.yaml")


def test_a_broken_patched_summary_is_reported_in_the_patch(overlay_copy):
    edit(overlay_copy / "overrides/patch.yaml", "no exceptions.", "no {{ exceptionz }}.")
    problems = _problems(overlay_copy)
    assert len(problems) == 1 and "overrides/patch.yaml:9:18: unknown name 'exceptionz' in template" in problems[0]


def test_evaluation_uses_the_merged_playbook(strict, write_answers):
    answers = dealbook.load_answers(write_answers({"deployment": "saas", "annual_value": 1, "personal_data": "yes", "regimes": ["gdpr"]}), strict)
    evaluation = dealbook.evaluate(strict, answers)
    assert {result.id: result.priority for result in evaluation.items}["dpa"] == "critical"
    assert [approval.department.id for approval in evaluation.approvals] == ["ciso"]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("overrides/patch.yaml", "owner: ciso", "owner: cisoo", "patch.yaml:15:12: unknown department 'cisoo' (did you mean 'ciso'?)"),
        ("overrides/patch.yaml", "priority: critical", "priority: top", "patch.yaml:6:15: 'top' is not one of"),
        ("overrides/patch.yaml", "rules: [on_prem_no_hosting]", "rules: [on_prem_no_hostin]", "patch.yaml:28:11: no rule 'on_prem_no_hostin'"),
        ("overrides/patch.yaml", "  - id: pen_test\n    module: data", "  - id: pen_test\n    module: dta", "patch.yaml:11:13: unknown module 'dta' (did you mean 'data'?)"),
        ("overrides/patch.yaml", "    module: data\n", "", "patch.yaml:10:9: no item 'pen_test' in the playbook being extended; to add it, give 'module'"),
        ("playbook.yaml", "extends: ../mini", "extends: ../nowhere", "playbook.yaml:6:10: extends: no playbook at ../nowhere"),
    ],
    ids=["patched-owner", "patched-priority", "remove-unknown", "add-to-unknown-module", "new-without-module", "missing-base"],
)
def test_errors_point_at_the_overlay(overlay_copy, file, old, new, expected):
    edit(overlay_copy / file, old, new)
    problems = _problems(overlay_copy)
    assert any(expected in problem for problem in problems), problems


def test_patching_an_existing_field_reports_it_in_the_patch_not_the_base(overlay_copy):
    edit(overlay_copy / "overrides/patch.yaml", "  - id: dpa\n    priority: critical", "  - id: dpa\n    owner: nobody\n    priority: critical")
    problems = _problems(overlay_copy)
    assert len(problems) == 1 and "patch.yaml:6:12: unknown department 'nobody'" in problems[0]


def test_extends_cycle_is_an_error(tmp_path):
    for name, other in (("a", "../b"), ("b", "../a")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "playbook.yaml").write_text(
            f"id: {name}\ntitle: T\nversion: 1.0.0\ndescription: D\nextends: {other}\n", encoding="utf-8")
    assert any("makes a cycle" in problem for problem in _problems(tmp_path / "a"))


def test_plain_playbook_without_extends_still_needs_its_lists(mini_copy):
    edit(mini_copy / "playbook.yaml", "modules:\n  - modules/commercial.yaml\n  - modules/data.yaml\n", "")
    assert any("missing required field 'modules'" in problem for problem in _problems(mini_copy))


def test_effective_playbook_names_layers_and_changed_fields():
    text = effective_playbook(FIXTURES / "mini_overlay")
    assert text.startswith("# Effective playbook mini-strict 0.2.0; layers, base first: mini <- mini-strict")
    assert "; changed by mini-strict: priority, positions.preferred.summary" in text
    assert "# from mini-strict (" in text and "- id: on_prem_no_hosting" not in text and "#   rule 'on_prem_no_hosting' (at " in text
    import yaml

    merged = yaml.safe_load(text)
    assert [item["id"] for module in merged["modules"] for item in module["items"]] == [
        "price_protection", "exec_signoff", "dpa", "hosting_review", "pen_test"]


def test_example_overlay_extends_bundled_itam(itam):
    acme = dealbook.load_playbook(REPO / "examples" / "overlay")
    assert acme.terms_by_id["breach_notice_hours"].target == 24 < itam.terms_by_id["breach_notice_hours"].target
    assert acme.items_by_id["security_certifications"].priority == "critical"
    assert "penetration_testing" in acme.items_by_id and "ciso" in acme.departments_by_id
    assert acme.departments_by_id["exec"].name == "Chief Procurement Officer"


PATCH_WITH_THREE_PROBLEMS = """\
items:
  - id: dpa
    priorty: critical
  - id: dpaa
    priority: high
remove:
  rules: [on_prem_no_hostin]
"""


def test_a_patch_file_reports_schema_and_id_problems_in_one_run(overlay_copy):
    (overlay_copy / "overrides" / "patch.yaml").write_text(PATCH_WITH_THREE_PROBLEMS, encoding="utf-8")
    assert [line.replace(f"{overlay_copy}/", "") for line in _problems(overlay_copy)] == [
        "overrides/patch.yaml:3:5: unknown field 'priorty' (did you mean 'priority'?) [item 'dpa', priorty]",
        "overrides/patch.yaml:4:9: no item 'dpaa' in the playbook being extended (did you mean 'dpa'?); to add it, give 'module' [item 'dpaa', id]",
        "overrides/patch.yaml:7:11: no rule 'on_prem_no_hostin' in the playbook being extended (did you mean 'on_prem_no_hosting'?) [remove/rules/0]",
    ]


def test_removing_a_base_item_takes_it_out_of_base_rules_and_show_records_it(overlay_copy):
    (overlay_copy / "overrides" / "patch.yaml").write_text("remove:\n  items: [hosting_review, price_protection]\n", encoding="utf-8")
    loaded = dealbook.load_playbook(overlay_copy, use_cache=False)
    assert {rule.id for rule in loaded.rules} == {"big_deal", "eu_rules"}
    assert [effect.kind for effect in next(rule for rule in loaded.rules if rule.id == "big_deal").effects] == ["set_term", "require_approver"]
    shown = effective_playbook(overlay_copy, changed_only=True)
    assert "#   rule 'small_deal': all its effects named item 'price_protection', removed by mini-strict" in shown
    assert "changed by mini-strict: effect 1 dropped (it named only item 'price_protection', removed by mini-strict)" in shown
    assert "- id: eu_rules" not in shown  # unchanged base rules are left out


def test_removing_a_fact_base_rules_still_read_points_at_the_overlay(overlay_copy):
    (overlay_copy / "overrides" / "patch.yaml").write_text("remove:\n  facts: [big]\n", encoding="utf-8")
    root = overlay_copy.parent
    assert [line.replace(f"{root}/", "") for line in _problems(overlay_copy)] == [
        "mini_overlay/overrides/patch.yaml:2:11: fact 'big' is removed by your overlay at mini_overlay/overrides/patch.yaml:2"
        " but still used by base item 'exec_signoff' (applies_when) in mini/modules/commercial.yaml:37 [remove/facts/0]",
        "mini_overlay/overrides/patch.yaml:2:11: fact 'big' is removed by your overlay at mini_overlay/overrides/patch.yaml:2"
        " but still used by base rule 'big_deal' (when) in mini/modules/commercial.yaml:48 [remove/facts/0]",
    ]


def test_the_overlay_schema_file_is_derived_from_the_module_and_questions_schemas():
    from dealbook.authoring.overlay_schema import overlay_schema_text

    assert (REPO / "schemas" / "overlay.schema.json").read_text(encoding="utf-8") == overlay_schema_text()


def test_a_patch_field_is_checked_as_the_real_schema_checks_it(overlay_copy):
    (overlay_copy / "overrides" / "patch.yaml").write_text("items:\n  - id: dpa\n    priority: urgent\n    owner: 12\n", encoding="utf-8")
    assert [line.replace(f"{overlay_copy}/", "") for line in _problems(overlay_copy)] == [
        "overrides/patch.yaml:3:15: 'urgent' is not one of: critical, high, medium, low [item 'dpa', priority]",
        "overrides/patch.yaml:4:12: expected text, got a number [item 'dpa', owner]",
    ]


EDIT_EFFECTS = """\
rules:
  - id: eu_rules
    add_effects:
      - require_approver: {approver: exec, reason: EU data at scale.}
    remove_effects:
      - set_term: {term: breach_hours, target: 24}
"""


def test_a_patch_adds_and_removes_single_effects_of_a_base_rule(overlay_copy):
    (overlay_copy / "overrides" / "patch.yaml").write_text(EDIT_EFFECTS, encoding="utf-8")
    loaded = dealbook.load_playbook(overlay_copy, use_cache=False)
    rule = next(rule for rule in loaded.rules if rule.id == "eu_rules")
    assert [effect.kind for effect in rule.effects] == ["flag", "require_approver", "require_approver"]
    assert rule.effects[-1].location.file.endswith("overrides/patch.yaml") and rule.effects[-1].location.line == 4
    shown = effective_playbook(overlay_copy, changed_only=True)
    assert ("changed by mini-strict: effect removed: set_term: {term: breach_hours, target: 24}, "
            "effect added: require_approver: {approver: exec, reason: EU data at scale.}") in shown


def test_removing_an_effect_the_rule_does_not_have_lists_its_effects(overlay_copy):
    (overlay_copy / "overrides" / "patch.yaml").write_text(EDIT_EFFECTS.replace("target: 24", "target: 12"), encoding="utf-8")
    (problem,) = _problems(overlay_copy)
    assert problem.replace(f"{overlay_copy}/", "") == (
        "overrides/patch.yaml:6:9: rule 'eu_rules' has no effect set_term: {term: breach_hours, target: 12}; write it as the base file does. "
        "Its effects: set_term: {term: breach_hours, target: 24}; flag: {severity: high, message: 'EU personal data hosted by {{ deal.vendor }}.'}; "
        "require_approver: {approver: privacy, reason: EU personal data.} [rule 'eu_rules', remove_effects/0]"
    )


BASE_SCENARIOS = """\
scenarios:
  - name: SaaS with EU data
    answers: {deployment: saas, annual_value: 100000, personal_data: true, regimes: [gdpr]}
    expect:
      priorities: {dpa: high}
      approvers: [privacy]
  - name: On-premises
    answers: {deployment: on_prem, annual_value: 100000}
    expect:
      not_items: [hosting_review]
      priorities: {price_protection: low}
"""


def test_the_base_playbooks_scenarios_run_against_the_overlay_with_its_changes_marked(overlay_copy):
    from dealbook.cli.authoring import scenario_report

    (overlay_copy.parent / "mini" / "tests").mkdir()
    (overlay_copy.parent / "mini" / "tests" / "base.yaml").write_text(BASE_SCENARIOS, encoding="utf-8")
    text, failed = scenario_report(overlay_copy, base_tests=True)
    lines = [line.replace(f"{overlay_copy.parent}/", "") for line in text.splitlines()]
    assert lines[:13] == [
        "PASS  SaaS with EU data  (mini/tests/base.yaml:2:11)",
        "      mini/tests/base.yaml:5:25: priority of item dpa  (changed by the overlay: dpa)",
        "      - high",
        "      + critical",
        "      mini/tests/base.yaml:6:18: approval of privacy must be required  (changed by the overlay: privacy)",
        "      - required",
        "      + not required",
        "FAIL  On-premises  (mini/tests/base.yaml:7:11)",
        "      mini/tests/base.yaml:10:18: item hosting_review must not apply  (changed by the overlay: hosting_review)",
        "      - does not apply",
        "      + applies",
        "      mini/tests/base.yaml:11:38: priority of item price_protection",
        "      - low",
    ]
    assert failed


def test_changing_options_a_base_rule_compares_with_points_at_the_overlay(overlay_copy):
    patch = "questions:\n  - id: deployment\n    options:\n      - {value: on_prem, label: On-premises}\n      - {value: cloud, label: Cloud}\n"
    (overlay_copy / "overrides" / "patch.yaml").write_text(patch, encoding="utf-8")
    root = overlay_copy.parent
    problems = [line.replace(f"{root}/", "") for line in _problems(overlay_copy)]
    assert "mini_overlay/overrides/patch.yaml:4:7: 'saas' is not an option of question 'deployment': your overlay changed the options here," \
           " but base rule 'eu_rules' (when) in mini/modules/data.yaml:46 still compares with it [question 'deployment', options]" in problems
    assert not [line for line in problems if line.startswith("mini/")], problems

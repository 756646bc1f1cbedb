import dealbook
import pytest
from dealbook.deal.answers import Answers, Deal

from ..conftest import edit


def deal(mini, **answers):
    return dealbook.evaluate(mini, Answers(Deal("Deal", "Acme", currency="EUR"), answers))


BASE = {"deployment": "saas", "annual_value": 200000, "personal_data": False}


def test_items_apply_by_condition_and_rules(mini):
    plain = deal(mini, **BASE)
    assert {result.id for result in plain.items} == {"price_protection", "hosting_review"}
    assert {skipped.item.id for skipped in plain.skipped} == {"exec_signoff", "dpa"}
    on_prem = deal(mini, **{**BASE, "deployment": "on_prem"})
    assert "hosting_review" not in {result.id for result in on_prem.items}
    (excluded,) = [skipped for skipped in on_prem.skipped if skipped.item.id == "hosting_review"]
    assert excluded.reason.rule == "on_prem_no_hosting" and excluded.reason.outcome == "excluded by rule"


def test_different_deals_get_different_priorities_tiers_terms_flags_and_approvers(mini):
    small = deal(mini, **{**BASE, "annual_value": 20000})
    big = deal(mini, **{**BASE, "annual_value": 2_000_000, "personal_data": True, "regimes": ["gdpr"]})
    small_price = next(result for result in small.items if result.id == "price_protection")
    big_price = next(result for result in big.items if result.id == "price_protection")
    assert (small_price.priority, small_price.tier) == ("low", 1)
    assert (big_price.priority, big_price.tier) == ("critical", 0)
    assert small.position(small_price.opening).summary == "Cap at 5%."
    assert big.position(big_price.opening).summary == "Cap at 2%."
    assert [term.target for term in small.terms] == [3]
    assert {term.id: term.target for term in big.terms} == {"price_cap": 2, "breach_hours": 24}
    assert big.terms_by_id["breach_hours"].set_by == ("eu_rules",)
    assert small.flags == () and [flag.message for flag in big.flags] == ["EU personal data hosted by Acme."]
    assert small.approvals == ()
    assert [approval.department.id for approval in big.approvals] == ["privacy", "exec"]


def test_unasked_questions_are_ignored(mini):
    evaluation = deal(mini, **{**BASE, "regimes": ["gdpr"]})  # personal_data is false: regimes is not asked
    assert evaluation.values["regimes"] is None and evaluation.values["eu_data"] is False
    (decision,) = [d for d in evaluation.trace if d.subject == "question regimes"]
    assert decision.outcome == "not asked (its answer is ignored)"
    assert decision.reads == (("personal_data", False),)


def test_defaults_stand_in_for_unanswered_questions(mini):
    evaluation = deal(mini, deployment="saas", annual_value=10)
    assert evaluation.values["personal_data"] is False


def test_trace_explains_every_decision_with_condition_values_and_source(mini):
    evaluation = deal(mini, **{**BASE, "annual_value": 2_000_000})
    trace = {decision.subject: decision for decision in evaluation.trace}
    rule = trace["rule big_deal"]
    assert (rule.outcome, rule.condition, rule.reads) == ("fired", "big", (("big", True),))
    assert rule.source.file.endswith("commercial.yaml") and rule.source.line > 0 and rule.source.path == "rules/0"
    assert trace["rule small_deal"].outcome == "did not fire"
    assert trace["rule small_deal"].reads == (("annual_value", 2_000_000),)
    assert trace["fact big"].outcome == "= yes"
    assert trace["item exec_signoff"].outcome == "applies"
    price = next(result for result in evaluation.items if result.id == "price_protection")
    assert [reason.outcome for reason in evaluation.reasons(price)] == ["applies to every deal", "priority raised to critical"]
    assert "big [big=yes]" in str(evaluation.reasons(price)[1])


def test_later_rule_wins_and_the_override_is_traced(mini_copy):
    from tests.conftest import edit

    edit(mini_copy / "modules/commercial.yaml", "      - lower_priority: {items: [price_protection], to: low}",
         "      - lower_priority: {items: [price_protection], to: low}\n      - set_term: {term: price_cap, target: 1}")
    edit(mini_copy / "modules/commercial.yaml", "when: annual_value < 50000", "when: annual_value > 0")
    playbook = dealbook.load_playbook(mini_copy)
    evaluation = dealbook.evaluate(playbook, Answers(Deal("D", "V"), {**BASE, "annual_value": 2_000_000}))
    assert evaluation.terms_by_id["price_cap"].target == 1
    overrides = [d for d in evaluation.trace if d.subject == "target of term 'price_cap'"]
    assert [d.outcome for d in overrides] == ["rule small_deal overrides rule big_deal"]
    price = next(result for result in evaluation.items if result.id == "price_protection")
    assert price.priority == "critical"  # a raise beats a lower


def test_evaluation_is_deterministic_and_reuses_the_compiled_playbook(mini):
    first, second = deal(mini, **BASE), deal(mini, **BASE)
    assert [r.id for r in first.items] == [r.id for r in second.items]
    assert [str(d) for d in first.trace] == [str(d) for d in second.trace]
    from dealbook.deal.evaluate import compiled_plan

    assert compiled_plan(mini) is compiled_plan(mini)


def test_clause_text_uses_deal_and_adjusted_terms_as_data(mini):
    evaluation = dealbook.evaluate(mini, Answers(Deal("D", "{{ 7 * 7 }} Corp", currency="EUR"), {**BASE, "personal_data": True, "regimes": ["gdpr"]}))
    dpa = next(result for result in evaluation.items if result.id == "dpa")
    rendered = evaluation.position(dpa.opening)
    assert rendered.clause == "{{ 7 * 7 }} Corp shall notify Customer within 24 hours."
    assert [evaluation.position(fallback).summary for fallback in dpa.fallbacks] == ["Notice within 72 hours."]


def test_a_template_reading_an_unanswered_question_fails_with_its_location(mini_copy):
    from dealbook.errors import InputFileError

    from tests.conftest import edit

    edit(mini_copy / "modules/data.yaml", "summary: Review.", "summary: 'Review {{ notes }}.'")
    playbook = dealbook.load_playbook(mini_copy)
    evaluation = dealbook.evaluate(playbook, Answers(Deal("D", "V"), BASE))
    hosting = next(result for result in evaluation.items if result.id == "hosting_review")
    with pytest.raises(InputFileError) as raised:
        evaluation.position(hosting.opening)
    assert "'notes' is undefined" in str(raised.value)
    assert raised.value.problem.location.path == "items/1/positions/preferred"
    assert str(raised.value).endswith("[item 'hosting_review', positions/preferred]")


def test_a_name_ending_in_a_full_stop_does_not_double_it(mini):
    evaluation = dealbook.evaluate(mini, Answers(Deal("D", "Acme Corp.", currency="EUR"), {**BASE, "personal_data": True, "regimes": ["gdpr"]}))
    (flag,) = evaluation.flags
    assert flag.message == "EU personal data hosted by Acme Corp."


@pytest.mark.parametrize(
    ("summary", "answers", "expected"),
    [
        ("'Review the {{ deployment | label }} hosting ({{ deployment }}).'", {}, "Review the SaaS hosting (saas)."),
        ("'Regimes: {{ regimes | label }}.'", {"personal_data": True, "regimes": ["gdpr", "hipaa"]}, "Regimes: GDPR, HIPAA."),
        ("'{% if deployment == \"saas\" %}Hosted by {{ deal.vendor }}.{% endif %}'", {}, "Hosted by V."),
    ],
    ids=["choice", "multi-choice", "compares-as-its-value"],
)
def test_a_clause_prints_an_options_label_with_the_label_filter(mini_copy, summary, answers, expected):
    from tests.conftest import edit

    edit(mini_copy / "modules/data.yaml", "summary: Review.", f"summary: {summary}")
    playbook = dealbook.load_playbook(mini_copy, use_cache=False)
    evaluation = dealbook.evaluate(playbook, Answers(Deal("D", "V"), {**BASE, **answers}))
    hosting = next(result for result in evaluation.items if result.id == "hosting_review")
    assert evaluation.position(hosting.opening).summary == expected


def test_an_explained_override_names_each_rule_once():
    from dealbook.deal.result import Decision
    from dealbook.errors import Location

    here = Location("m.yaml", 3, 5)
    assert str(Decision("term cap.target", "rule later overrides rule earlier", here, rule="later")) == "term cap.target: rule later overrides rule earlier"
    assert str(Decision("item x", "included by rule", here, "a", rule="r")) == "item x: included by rule r — a"
    assert str(Decision("item x", "priority raised to high", here, rule="r")) == "item x: priority raised to high (rule r)"


def test_the_term_sheet_lists_only_terms_the_printed_guidance_uses(mini_copy):
    """An item worded per deal shape carries terms for every shape; a row shows only where this deal's wording uses it."""
    data = mini_copy / "modules" / "data.yaml"
    edit(data, "        summary: Notice within {{ terms.breach_hours }}.\n", "        summary: Notice{% if deployment == 'saas' %} within {{ terms.breach_hours }}{% endif %}.\n")
    edit(data, 'within {{ terms.breach_hours }}."', '{% if deployment == \'saas\' %}within {{ terms.breach_hours }}{% else %}promptly{% endif %}."')
    edit(data, "        - summary: Notice within {{ terms.breach_hours.fallback }} hours.\n          clause: \"Notice within {{ terms.breach_hours.fallback }} hours.\"",
         "        - summary: Notice{% if deployment == 'saas' %} within {{ terms.breach_hours.fallback }} hours{% endif %}.\n          clause: Notice as agreed.")
    playbook = dealbook.load_playbook(mini_copy, use_cache=False)

    def rows(deployment: str) -> tuple[list[str], list[str]]:
        evaluation = dealbook.evaluate(playbook, Answers(Deal("D", "V"), {"deployment": deployment, "annual_value": 100000, "personal_data": True}))
        dpa = next(result for result in evaluation.items if result.id == "dpa")
        return [term.id for term in evaluation.terms], [term.id for term in evaluation.item_terms(dpa)]

    assert rows("saas") == (["price_cap", "breach_hours"], ["breach_hours"])
    assert rows("on_prem") == (["price_cap"], [])

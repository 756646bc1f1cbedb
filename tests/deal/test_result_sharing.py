"""Results shared between evaluations (reused renders, untailored items, playbook terms) read exactly as fresh ones."""

import dealbook
import pytest
from dealbook.deal.answers import Answers, Deal
from dealbook.deal.shared import shared
from dealbook.errors import Location
from dealbook.playbook.clauses import branch_reads, compared_in, render_template, template_reads, truth_reads
from hypothesis import given, settings
from hypothesis import strategies as st

from ..conftest import REPO

HERE = Location("test.yaml", 1, 1)


def evaluation(playbook, **answers):
    return dealbook.evaluate(playbook, Answers(Deal("Deal", "Acme", currency="EUR"), answers))


@pytest.mark.parametrize(("source", "reads"), [
    ("Plain text.", ((), ())),
    ("Within {{ terms.breach_hours }} of {{ deal.vendor }}", (("deal",), ("breach_hours",))),
    ("{% for id, term in terms.items() %}{{ term }}{% endfor %}", None),
    ("{{ terms['price_cap'] }}", None),
    ("{% set n = annual_value %}{{ n | money }}", (("annual_value",), ())),
], ids=["plain", "term-and-deal", "loop-over-terms", "subscript", "set-binds"])
def test_template_reads_names_what_the_output_depends_on(source, reads):
    assert template_reads(source) == reads


def test_a_reused_render_equals_a_fresh_one_for_every_deal(mini):
    template = "{{ annual_value | money }} for {{ deal.vendor }}, {{ terms.price_cap }}, personal data: {{ personal_data }}"
    for value in (1, 1.0, 200000, 2_000_000):
        for personal in (True, False):
            result = evaluation(mini, deployment="saas", annual_value=value, personal_data=personal)
            fresh = render_template(template, result.template_context, HERE)
            assert result.render(template, HERE) == fresh
            assert result.render(template, HERE) == fresh  # the second time comes from the shared renders


def test_one_and_true_are_different_reads(mini):
    first = evaluation(mini, deployment="saas", annual_value=1, personal_data=False)
    second = evaluation(mini, deployment="saas", annual_value=1.0, personal_data=False)
    assert first.render("{{ annual_value }}", HERE) == "1"
    assert second.render("{{ annual_value }}", HERE) == "1.0"


def test_shared_results_match_a_deal_with_its_own(itam):
    """Items, terms and reasons are the same whether built afresh or taken from what earlier deals share."""
    answers = {"deployment": "saas", "annual_value": 300000, "personal_data": True}
    first = evaluation(itam, **answers)
    second = evaluation(itam, **answers)
    assert [(r.id, r.priority, r.tier, [str(reason) for reason in first.reasons(r)], [t.target for t in r.terms]) for r in first.items] == \
           [(r.id, r.priority, r.tier, [str(reason) for reason in second.reasons(r)], [t.target for t in r.terms]) for r in second.items]
    other = evaluation(itam, **{**answers, "deployment": "on_prem"})
    assert [r.id for r in other.items] != [r.id for r in first.items]


def test_templates_cannot_change_what_deals_share(mini):
    result = evaluation(mini, deployment="saas", annual_value=200000, personal_data=False)
    with pytest.raises(dealbook.DealbookError):
        result.render("{{ terms.update({'price_cap': 1}) }}", HERE)
    assert evaluation(mini, deployment="saas", annual_value=200000, personal_data=False).terms_by_id["price_cap"].target == 3


def test_applicable_names_the_items_that_apply_without_building_them(itam):
    for answers in ({}, {"deployment": "saas", "personal_data": True}, {"deployment": "on_prem", "annual_value": 2_000_000}):
        result = evaluation(itam, **answers)
        assert result.applicable == tuple(item.id for item in result.items)


def test_a_plain_template_is_not_given_the_deals_context(mini):
    result = evaluation(mini, deployment="saas", annual_value=200000, personal_data=False)
    assert result.render("Cap the increase.", HERE) == "Cap the increase."
    assert "context" not in result.renders.__dict__  # nothing was built for it


def test_a_render_reused_across_deals_reads_each_deals_own_values(itam):
    first = evaluation(itam, deployment="saas", annual_value=300000, personal_data=True)
    second = evaluation(itam, deployment="saas", annual_value=900000, personal_data=True)
    template = "{{ annual_value | money }} a year for {{ deal.vendor }}"
    assert first.render(template, HERE) == "EUR 300,000 a year for Acme"
    assert second.render(template, HERE) == "EUR 900,000 a year for Acme"
    assert first.render(template, HERE) == "EUR 300,000 a year for Acme"


@pytest.mark.parametrize(("source", "reads"), [
    ("{{ terms.price_cap }} for {{ annual_value | money }}", ((), ())),
    ("{% if annual_value > 100000 %}{{ terms.price_cap }}{% else %}{{ terms.breach_hours }}{% endif %}", (("annual_value",), ())),
    ("{{ terms.price_cap if personal_data else terms.breach_hours }}", (("personal_data",), ())),
    ("{% set big = annual_value > 5 %}{% if big %}{{ terms.price_cap }}{% endif %}", (("annual_value",), ())),
    ("{% for regime in regimes %}{{ regime }}{% endfor %}", (("regimes",), ())),
    ("{% if terms.price_cap.target > 2 %}tight{% endif %}", ((), ("price_cap",))),
    ("{% macro cap(x) %}{% if x %}{{ terms.price_cap }}{% endif %}{% endmacro %}{{ cap(personal_data) }}", None),
], ids=["no-branch", "if", "conditional-expression", "set-then-if", "loop", "term-in-test", "macro"])
def test_branch_reads_names_what_decides_the_branches(source, reads):
    assert branch_reads(source) == reads


def test_the_term_sheet_is_the_same_whether_or_not_the_guidance_was_printed_first(itam):
    import random

    from dealbook.authoring.space import AnswerSpace

    space = AnswerSpace(itam, samples=60, seed=3)
    rng = random.Random(3)
    names = [question.id for question in itam.questions]
    deals = [space.example(dict(values), names) for values in space.deals(rng.sample(names, 6))][:60]
    for answers in deals:
        quick = evaluation(itam, **answers)
        printed = evaluation(itam, **answers)
        assert printed.printed_texts is not None  # everything the pack prints, rendered first
        assert [term.id for term in quick.terms] == [term.id for term in printed.terms]


def test_an_evaluation_read_through_is_freed_without_the_cyclic_collector(itam):
    """A batch drops thousands of evaluations; a cycle in one would leave each to the collector."""
    import gc
    import weakref

    gc.disable()
    try:
        result = dealbook.evaluate(itam, dealbook.load_answers(REPO / "examples/deals/eu-saas-crm.yaml", itam))
        for item in result.items:
            result.render(item.opening.summary, item.opening.location)
            result.item_terms(item)
        assert result.terms and result.template_context and result.definitions is not None
        gone = weakref.ref(result)
        del result, item
        assert gone() is None
    finally:
        gc.enable()


@pytest.mark.parametrize(("source", "tested"), [
    ("{% if annual_value is defined %}priced{% endif %}", (("annual_value",), ("annual_value",))),
    ("{% if annual_value is not defined %}unpriced{% endif %}", (("annual_value",), ("annual_value",))),
    ("{% if personal_data and not big %}a DPA{% endif %}", (("big", "personal_data"), ("big", "personal_data"))),
    ("{{ 'a DPA' if personal_data or big else 'none' }}", (("big", "personal_data"), ("big", "personal_data"))),
    ("{% if annual_value is defined %}{{ annual_value | money }}{% endif %}", ((), ("annual_value",))),
    ("{% if annual_value > 100000 %}big{% endif %}", (("annual_value",), ("annual_value",))),
    ("{% if annual_value > other_value %}big{% endif %}", ((), ())),
    ("{% if 0 < annual_value < 10 %}small{% endif %}", ((), ())),
    ("{{ personal_data and big }}", ((), ())),
    ("{% if (personal_data and big) == false %}no{% endif %}", ((), ())),
    ("{% for regime in regimes if regime %}{{ regime }}{% endfor %}", ((), ())),
], ids=["defined", "not-defined", "and-not", "conditional-expression", "printed-too", "compared", "compared-with-a-name",
        "chained", "printed-and", "and-compared", "loop-variable"])
def test_truth_reads_are_the_names_read_only_for_their_truth(source, tested):
    assert truth_reads(source) == tested


@pytest.mark.parametrize(("source", "compared"), [
    ("{% if annual_value > 100000 %}big{% endif %}", (("annual_value", "gt", 100000),)),
    ("{% if annual_value is defined and annual_value >= 0.5 %}x{% elif annual_value == 7 %}y{% endif %}",
     (("annual_value", "eq", 7), ("annual_value", "gteq", 0.5))),
    ("{% if deployment != 'saas' %}ours{% endif %}", (("deployment", "ne", "saas"),)),
    ("{% if annual_value > 100000 %}{{ annual_value }}{% endif %}", (("annual_value", "gt", 100000),)),  # for its branches
    ("{% if annual_value > true %}x{% endif %}", ()),
    ("{{ 'big' if annual_value > 5 else 'small' }}", (("annual_value", "gt", 5),)),
], ids=["greater", "several", "text", "printed-too", "against-a-yes", "conditional-expression"])
def test_compared_in_names_the_comparisons_a_tested_name_is_read_in(source, compared):
    assert compared_in(source) == compared


_COMPARED = "{% if annual_value is defined and annual_value > 100000 %}Large{% else %}Small{% endif %}: {{ terms.price_cap }}"


def test_deals_that_agree_on_how_a_figure_compares_share_the_render(mini_copy):
    import yaml

    path = mini_copy / "modules" / "commercial.yaml"
    module = yaml.safe_load(path.read_text(encoding="utf-8"))
    module["items"][0]["talking_points"] = [_COMPARED]
    path.write_text(yaml.safe_dump(module, sort_keys=False), encoding="utf-8")
    playbook = dealbook.load_playbook(mini_copy, use_cache=False)
    texts = [evaluation(playbook, deployment="saas", annual_value=value, personal_data=False).render(_COMPARED, HERE)
             for value in (60_000, 70_000, 100_000, 100_001, 900_000)]
    assert texts == ["Small: 3%", "Small: 3%", "Small: 3%", "Large: 3%", "Large: 3%"]
    assert len(shared(playbook).key_plan(_COMPARED).texts) == 2  # one render each way the figure compares


_COMPARING = (
    _COMPARED,
    "{% if annual_value is defined and annual_value >= 50000 %}{{ terms.price_cap.fallback }}{% elif annual_value is defined %}low{% endif %}",
    "{% if deployment == 'saas' and annual_value is defined and annual_value != 0 %}theirs{% else %}ours{% endif %}",
    "{{ 'DPA' if personal_data and annual_value is defined and annual_value < 1000000 else 'none' }}",
)


@pytest.fixture(scope="module")
def comparing(tmp_path_factory):
    """The test playbook with talking points that compare figures with constants."""
    import shutil

    import yaml

    from ..conftest import FIXTURES

    folder = tmp_path_factory.mktemp("comparing") / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    path = folder / "modules" / "commercial.yaml"
    module = yaml.safe_load(path.read_text(encoding="utf-8"))
    module["items"][0]["talking_points"] = list(_COMPARING)
    path.write_text(yaml.safe_dump(module, sort_keys=False), encoding="utf-8")
    return dealbook.load_playbook(folder, use_cache=False)


@settings(max_examples=150, deadline=None)
@given(value=st.one_of(st.none(), st.sampled_from([0, 1, 49_999, 50_000, 100_000, 100_001, 999_999, 1_000_000]), st.integers(0, 10**7),
                       st.floats(0, 10**7, allow_nan=False)),
       personal=st.one_of(st.none(), st.booleans()), deployment=st.sampled_from(["saas", "on_prem"]))
def test_a_render_shared_by_how_figures_compare_equals_a_fresh_one(comparing, value, personal, deployment):
    answers = {"deployment": deployment, **({"annual_value": value} if value is not None else {}),
               **({"personal_data": personal} if personal is not None else {})}
    result = evaluation(comparing, **answers)
    for template in _COMPARING:
        assert result.render(template, HERE) == render_template(template, result.template_context, HERE)
    assert [term.id for term in result.terms] == [term.id for term in evaluation(comparing, **answers).terms]


def test_a_comparison_the_playbook_does_not_make_is_keyed_by_the_figure(mini):
    """A deal's truths hold the comparisons the playbook's templates make; any other template keys by value."""
    texts = [evaluation(mini, deployment="saas", annual_value=value, personal_data=False).render(_COMPARED, HERE)
             for value in (60_000, 70_000, 100_001)]
    assert texts == ["Small: 3%", "Small: 3%", "Large: 3%"]
    assert len(shared(mini).key_plan(_COMPARED).texts) == 3


def test_deals_that_agree_on_what_a_template_tests_share_its_render(mini):
    template = "{% if annual_value is defined %}Priced{% else %}Unpriced{% endif %}: cap {{ terms.price_cap }}"
    texts = {evaluation(mini, deployment="saas", annual_value=value, personal_data=False).render(template, HERE)
             for value in (60_000, 70_000, 80_000)}
    assert texts == {"Priced: cap 3%"}
    assert len(shared(mini).key_plan(template).texts) == 1  # one render for three figures


_TESTED = (
    "{% if annual_value is defined and annual_value > 100000 %}big{% elif annual_value is defined %}small{% endif %}",
    "{% if deployment == 'saas' %}theirs{% elif deployment != 'on_prem' %}?{% endif %} {{ annual_value | number }}",
    "{% if annual_value is defined %}{{ annual_value | money }}{% else %}no figure{% endif %}",
    "{% if annual_value %}priced{% else %}free or unpriced{% endif %}, {{ terms.price_cap.target }}",
    "{% if personal_data and annual_value is defined %}DPA, cap {{ terms.price_cap }}{% endif %}",
    "{{ 'with data' if personal_data else 'no data' }} / {{ deployment | label }}",
    "{% if not personal_data %}-{% elif annual_value > 100000 %}big{% else %}small{% endif %}",
)


@settings(max_examples=150, deadline=None)
@given(value=st.one_of(st.none(), st.sampled_from([0, 1, 49_999, 50_000, 100_000, 100_001, 2_000_000]), st.integers(0, 10**7)),
       personal=st.one_of(st.none(), st.booleans()), deployment=st.sampled_from(["saas", "on_prem"]))
def test_a_render_shared_by_what_a_template_tests_equals_a_fresh_one(mini, value, personal, deployment):
    answers = {"deployment": deployment, **({"annual_value": value} if value is not None else {}),
               **({"personal_data": personal} if personal is not None else {})}
    result = evaluation(mini, **answers)
    for template in _TESTED:
        try:
            fresh = render_template(template, result.template_context, HERE)
        except dealbook.DealbookError:
            with pytest.raises(dealbook.DealbookError):
                result.render(template, HERE)
            continue
        assert result.render(template, HERE) == fresh


def test_a_branch_on_the_deal_decides_the_term_sheet_per_deal(mini_copy):
    import yaml

    path = mini_copy / "modules" / "commercial.yaml"
    module = yaml.safe_load(path.read_text(encoding="utf-8"))
    item = module["items"][0]
    item["positions"] = {
        "preferred": {"summary": "{% if deal.product == 'Suite' %}Cap at {{ terms.price_cap }}.{% else %}Hold the list price.{% endif %}"},
        "fallbacks": [{"summary": "Hold for a year."}],
        "walk_away": {"summary": "Uncapped increases."},
    }
    path.write_text(yaml.safe_dump(module, sort_keys=False), encoding="utf-8")
    playbook = dealbook.load_playbook(mini_copy, use_cache=False)

    def term_sheet(product):
        answers = Answers(Deal("Deal", "Acme", product=product, currency="EUR"), {"deployment": "saas", "annual_value": 60_000})
        return [term.id for term in dealbook.evaluate(playbook, answers).terms]

    assert term_sheet("the Software") == []
    assert term_sheet("Suite") == ["price_cap"]
    assert term_sheet("the Software") == []


def test_the_templates_tables_start_over_together_when_full(mini):
    from dealbook.deal import shared as shared_module

    table = shared(mini)
    room = table.room[0]
    table.room[0] = 3
    try:
        template = "Cap {{ annual_value | money }}."
        for value in (1, 2, 3):
            evaluation(mini, deployment="saas", annual_value=value, personal_data=False).render(template, HERE)
        assert len(table.key_plan(template).texts) == 3 and table.room[0] == 0
        result = evaluation(mini, deployment="saas", annual_value=4, personal_data=False)
        assert result.render(template, HERE) == "Cap EUR 4."
        assert table.room[0] == shared_module.MAX_RENDERS - 1  # started over, with the one render kept since
        assert table.key_plan(template).texts == {}  # a new plan: the render went with the old one's table
    finally:
        table.room[0] = room

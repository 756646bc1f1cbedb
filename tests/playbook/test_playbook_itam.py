"""The bundled ITAM playbook: coverage of the seed outline, and quality gates on its content."""

import re

import dealbook
import pytest

from ..conftest import REPO

SEED_BULLETS = {1: 6, 2: 6, 3: 6, 4: 6, 5: 6, 6: 6, 7: 6, 8: 6}
DEALS = sorted((REPO / "examples" / "deals").glob("*.yaml"))
PLACEHOLDERS = re.compile(r"\b(TBD|TODO|FIXME|lorem|ipsum|placeholder|XXX)\b|\?\?\?|\[insert", re.IGNORECASE)


def all_text(item):
    positions = (*item.positions.tiers, item.positions.walk_away)
    yield from (item.title, item.objective, item.rationale, *item.red_flags, *item.talking_points)
    for position in positions:
        yield from (position.summary, position.clause or "")


def test_every_seed_bullet_is_covered(itam):
    codes = {code for item in itam.items for code in item.covers}
    expected = {f"M{module}.{bullet}" for module, count in SEED_BULLETS.items() for bullet in range(1, count + 1)}
    assert len(expected) == 48
    assert expected <= codes, sorted(expected - codes)
    assert codes <= expected, sorted(codes - expected)


def test_eight_modules_in_outline_order(itam):
    assert [module.number for module in itam.modules] == list(range(1, 9))
    assert [module.id for module in itam.modules] == [
        "scope", "licensing", "financial", "service_levels", "audit", "data_protection", "exit", "governance",
    ]


def test_at_least_25_terms_with_units_and_every_term_shown_by_an_item(itam):
    assert len(itam.terms) >= 25
    shown = {term for item in itam.items for term in item.terms}
    assert {term.id for term in itam.terms} <= shown
    required = {"breach_notice_hours", "audit_notice_days", "audit_lookback_months", "uptime_pct", "rca_hours",
                "audit_finding_cap_pct", "exit_post_termination_access_days"}
    assert required <= set(itam.terms_by_id)


#: The outline's own figures: (term, field, which way is looser, the figure). A
#: looser walk-away must be argued in the item's rationale for the deal.
OUTLINE_FIGURES = [
    ("audit_frequency_per_year", "walk_away", "above", 1),  # audits at most once a year
    ("audit_notice_days", "walk_away", "below", 60),  # on 60 days' notice
    ("audit_lookback_months", "fallback", "above", 12),  # no retroactive billing beyond 12 months
    ("breach_notice_hours", "fallback", "above", 72),  # breach notice within 72 hours
    ("rca_hours", "fallback", "above", 48),  # root-cause analysis within 48 hours
]


@pytest.mark.parametrize(("term", "field", "looser", "figure"), OUTLINE_FIGURES, ids=[row[0] for row in OUTLINE_FIGURES])
def test_terms_hold_the_outlines_figures(itam, term, field, looser, figure):
    value = getattr(itam.terms_by_id[term], field)
    assert value <= figure if looser == "above" else value >= figure


@pytest.mark.parametrize("deal", sorted(path.stem for path in (REPO / "examples" / "deals").glob("*.yaml")))
def test_a_walk_away_looser_than_the_outline_is_argued(itam, deal):
    evaluation = dealbook.evaluate(itam, dealbook.load_answers(REPO / "examples" / "deals" / f"{deal}.yaml", itam))
    argued = {"audit_lookback_months": "retroactive_billing_limit", "breach_notice_hours": "breach_notification", "rca_hours": "incident_rca"}
    results = {result.id: result for result in evaluation.items}
    shown = {result.id for result in evaluation.terms}
    for term, _, looser, figure in OUTLINE_FIGURES:
        if term not in shown:
            continue
        value = evaluation.terms_by_id[term].walk_away
        if value <= figure if looser == "above" else value >= figure:
            continue
        item = argued[term]
        assert item in results, (term, value)
        assert str(int(value)) in evaluation.rationale(results[item]), (term, value)


@pytest.mark.parametrize("field", ["objective", "rationale"])
def test_every_item_is_complete(itam, field):
    for item in itam.items:
        assert len(getattr(item, field)) > 40, item.id
        assert item.positions.fallbacks and item.positions.walk_away.summary, item.id
        assert item.positions.preferred.clause, item.id
        assert all(fallback.clause for fallback in item.positions.fallbacks), item.id
        assert len(item.red_flags) >= 2, item.id


def test_objectives_are_one_sentence(itam):
    for item in itam.items:
        assert item.objective.rstrip().count(". ") == 0, item.id


def test_no_placeholder_text(itam):
    for item in itam.items:
        for text in all_text(item):
            assert not PLACEHOLDERS.search(text), (item.id, PLACEHOLDERS.search(text).group(0))


@pytest.mark.parametrize("deal", DEALS, ids=[deal.stem for deal in DEALS])
def test_every_clause_renders_for_every_example_deal(itam, deal):
    answers = dealbook.load_answers(deal, itam)
    evaluation = dealbook.evaluate(itam, answers)
    for result in evaluation.items:
        for position in (*result.item.positions.tiers, result.walk_away):
            rendered = evaluation.position(position)
            for text in (rendered.summary, rendered.clause or ""):
                assert "{{" not in text and "{%" not in text, result.id
    clauses = [evaluation.position(result.opening).clause or "" for result in evaluation.items]
    naming = [clause for clause in clauses if answers.deal.vendor in clause and answers.deal.customer in clause]
    assert len(naming) >= 0.6 * len(clauses)  # parties are named from the deal, not as "Vendor"/"Licensor"
    assert not [clause for clause in clauses if re.search(r"\[(vendor|customer|supplier|company)|\b(Licensor|Licensee)\b", clause, re.IGNORECASE)]
    for flag in evaluation.flags:
        assert flag.message and "{{" not in flag.message


#: Items that once gave the same guidance, and phrases that now belong to one side of each pair only.
DISTINCT = [
    ("signoff_authority", "gov_standard_paper_and_frozen_terms", ["Online Terms", "click", "order of precedence", "Authorised Signatories"], ["version in force on the Effective Date", "Affiliates with", "does not amend it"]),
    ("dispute_escalation", "gov_business_reviews_and_escalation", ["proceedings", "suspend", "Dispute"], ["Business Review", "executive sponsor", "service lead"]),
    ("data_portability", "exit_data_and_configuration_export", ["self-service export", "throughout the Term"], ["audit trails", "Transition Period", "trial export", "checksums"]),
]


def _position_text(item) -> str:
    return "\n".join(text for position in (*item.positions.tiers, item.positions.walk_away) for text in (position.summary, position.clause or ""))


@pytest.mark.parametrize(("first", "second", "first_only", "second_only"), DISTINCT, ids=[pair[0] for pair in DISTINCT])
def test_former_duplicates_each_say_what_the_other_does_not(itam, first, second, first_only, second_only):
    one, other = itam.items_by_id[first], itam.items_by_id[second]
    texts = {item.id: _position_text(item) for item in (one, other)}
    for phrase in first_only:
        assert phrase in texts[first] and phrase not in texts[second], (phrase, second)
    for phrase in second_only:
        assert phrase in texts[second] and phrase not in texts[first], (phrase, first)

    def sentences(text: str) -> set[str]:
        return {sentence.strip() for sentence in re.split(r"(?<=[.;])\s+", text) if len(sentence.strip()) > 40}

    assert sentences(texts[first]) & sentences(texts[second]) == set()
    assert not (set(one.terms) & set(other.terms)) or first == "data_portability"  # both deliver an export in the same number of days

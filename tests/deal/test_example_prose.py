"""The example deals' guidance reads right for each deal's shape.

Per deal: no wording from another deal shape (banned phrases per shape), no
amount other than the deal's own figures, no sentence addressed to playbook
authors, because lines that read as business sentences (no "label: value",
no raw question or option id), and a Definitions section that defines every
capitalised defined term the pack prints and nothing else.
"""

import re

import dealbook
import pytest
from dealbook.playbook.glossary import undefined_candidates, uses
from dealbook.renderers.view import build_view

from ..conftest import REPO

DEALS = sorted(path.stem for path in (REPO / "examples" / "deals").glob("*.yaml"))

#: Phrases that must not appear in a pack for a deal of this shape.
BANNED = {
    "vendor-hosted or consumption": ["virtual-processor conversion and core factor", "Perpetual licences survive"],
    "consumption": ["True-Up Date", "order additional licences"],
    "per-core": ["User and device licences reassignable", "named user or device", "user licence can be reassigned"],
    "installed on laptops": ["sandbox", "non-production and sandbox", "Services and all Customer Data"],
    "perpetual on our own servers": ["transfer of the Services and all Customer Data"],
    "every deal": ["the item becomes", "this item", "gets one answer", "becomes critical from"],
    "no sector rules": ["in our sector", "licence to operate"],
}
AMOUNT = re.compile(r"(?:\b([A-Z]{3}) )?\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)? (?:million|billion)\b")


def _shapes(evaluation) -> list[str]:
    values = evaluation.values
    shapes = ["every deal"]
    if values["consumption_deal"] or (values["vendor_hosted"] and not values["self_hosted"]):
        shapes.append("vendor-hosted or consumption")
    if values["consumption_deal"]:
        shapes.append("consumption")
    if values["licence_metric"] == "per_core":
        shapes.append("per-core")
    if values["deployment"] == "endpoint":
        shapes.append("installed on laptops")
    if values["perpetual_licence"] and not values["vendor_hosted"]:
        shapes.append("perpetual on our own servers")
    if "sector" not in (values.get("privacy_regimes") or []):
        shapes.append("no sector rules")
    return shapes


def _texts(evaluation):
    for result in evaluation.items:
        yield result.id, evaluation.rationale(result)
        for point in evaluation.talking_points(result):
            yield result.id, point
        for position in (result.opening, *result.fallbacks, result.walk_away):
            rendered = evaluation.position(position)
            yield result.id, rendered.summary
            if rendered.clause:
                yield result.id, rendered.clause
    for flag in evaluation.flags:
        yield flag.rule.id, flag.message


@pytest.fixture(scope="module")
def evaluations(itam):
    return {name: dealbook.evaluate(itam, dealbook.load_answers(REPO / "examples" / "deals" / f"{name}.yaml", itam)) for name in DEALS}


@pytest.mark.parametrize("name", DEALS, ids=DEALS)
def test_wording_fits_the_deal_shape(evaluations, name):
    evaluation = evaluations[name]
    banned = [phrase for shape in _shapes(evaluation) for phrase in BANNED[shape]]
    found = [(where, phrase) for where, text in _texts(evaluation) for phrase in banned if phrase in text]
    assert found == []


#: Term sheet rows that must not appear for a deal of this shape (the terms' titles).
BANNED_ROWS = {"per-core": ["Waiting period before a licence can be reassigned"]}


@pytest.mark.parametrize("name", DEALS, ids=DEALS)
def test_term_sheet_rows_fit_the_deal_shape(evaluations, name):
    view = build_view(evaluations[name])
    titles = [row.title for row in view.terms] + [row.title for module in view.modules for item in module.items for row in item.terms]
    banned = [title for shape in _shapes(evaluations[name]) for title in BANNED_ROWS.get(shape, [])]
    assert titles and [title for title in titles if title in banned] == []


@pytest.mark.parametrize("name", DEALS, ids=DEALS)
def test_amounts_are_the_deals_own(evaluations, name):
    evaluation = evaluations[name]
    currency = evaluation.answers.deal.currency
    counts = {f"{value:,}" for value in evaluation.answers.values.values() if isinstance(value, int) and not isinstance(value, bool)}
    strays = []
    for where, text in _texts(evaluation):
        for match in AMOUNT.finditer(text):
            if match.group(1) == currency:
                continue
            if match.group(1) is None and match.group(0) in counts:
                continue
            strays.append((where, match.group(0)))
    # a figure derived from the deal's own (users grown over the term) reads as a count, not as money
    assert [(where, amount) for where, amount in strays if not where == "growth_price_hold"] == []


#: An assumed answer is the one place a because line may quote an answer after a colon.
ASSUMED = re.compile(r"assumed: [^;]* — not answered")


@pytest.mark.parametrize("name", DEALS, ids=DEALS)
def test_because_lines_are_business_sentences(itam, evaluations, name):
    view = build_view(evaluations[name])
    # raw ids: every question, fact and option id that is not a plain word (per_core, eu_uk, 10k_100k)
    ids = [question.id for question in itam.questions] + [fact.id for fact in itam.facts]
    ids += [option.value for question in itam.questions for option in question.options]
    raw = {token for token in ids if not token.isalpha()}
    items = [item.because for module in view.modules for item in module.items]
    lines = items + [flag.because for flag in view.flags if flag.because]
    assert items and all(line[0].isupper() for line in lines)
    for line in lines:
        assert ": yes" not in line and ": no" not in line, line
        assert not any(re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", line) for token in raw), line
        assert "not: " not in line, line
    for line in items:  # built from reasons joined by "; ": a "label: value" there reads like a database
        assert ": " not in ASSUMED.sub("", line), line
    assert sum(line == "Applies to every deal" for line in items) == 0, "every-deal items say why"


@pytest.mark.parametrize("name", DEALS, ids=DEALS)
def test_every_defined_term_the_pack_uses_is_defined_in_it(itam, evaluations, name):
    evaluation = evaluations[name]
    glossary = itam.glossary
    terms = [definition.term for definition in glossary.definitions]
    printed = build_view(evaluation).definitions
    defined = {term for term, _ in printed}
    assert defined == {definition.term for definition in evaluation.definitions}
    deal = evaluation.answers.deal
    parties = sorted({deal.vendor, deal.customer, deal.product}, key=len, reverse=True)
    used: set[tuple[str, str]] = set()
    undefined: list[tuple[str, str]] = []
    for where, text in [*_texts(evaluation), *(("definition", meaning) for _, meaning in printed)]:
        used |= {(where, term) for term in uses(text, terms, glossary.names)}
        for party in parties:  # the deal's own names are capitalised, not defined
            text = text.replace(party, "x")
        undefined += [(where, phrase) for phrase in undefined_candidates(text, {*terms, *glossary.names})]
    assert sorted((where, term) for where, term in used if term not in defined) == []
    assert undefined == []
    # and nothing is defined that the pack does not use
    assert {term for _, term in used} == defined


def test_every_question_option_and_fact_has_a_reason(itam):
    for question in itam.questions:
        if question.type == "bool":
            assert question.reason and question.reason_if_not, question.id
        elif question.type == "choice":
            assert all(option.reason for option in question.options), question.id
        else:
            assert question.reason or all(option.reason for option in question.options), question.id
    for fact in itam.facts:
        assert fact.reason, fact.id
    for item in itam.items:
        assert item.applies_when is not None or item.because, item.id


@pytest.mark.parametrize("name", DEALS, ids=DEALS)
def test_assumed_answers_say_so(evaluations, name):
    evaluation = evaluations[name]
    for assumption in evaluation.assumed:
        assert assumption.sentence.startswith("assumed: ") and assumption.sentence.endswith(" — not answered")

"""The defined-terms registry, tradeable fallbacks and required-versus-default, as validate checks them."""

import shutil
from pathlib import Path

import dealbook
import pytest
from dealbook.errors import ValidationErrors
from dealbook.playbook.glossary import mentions, undefined_candidates, uses

from ..conftest import REPO, edit

REGISTRY = """\
# yaml-language-server: $schema=../../../schemas/definitions.schema.json
definitions:
  - term: Fees
    definition: The charges in the Order Form.
    items: [price_protection]
  - term: Order Form
    definition: The ordering document signed by both parties.
    items: []
names: [Standard Contractual Clauses]
"""

CANDIDATES = [
    ("quoted-definition", 'notice (the "Transition Period") of it', ["Transition Period"]),
    ("title-case-run", "payable within 30 days of a Correct Invoice.", ["Correct Invoice"]),
    ("change-of-control", "on any Change of Control of the vendor", ["Change of Control"]),
    ("sentence-start-is-grammar", "Payment is due. Invoices go monthly.", []),
    ("paragraph-title-is-not-a-term", "Invoicing and Payment. The vendor invoices monthly.", []),
    ("known-term-and-plural", "all Security Incidents and the Order Form", []),
    ("proper-name", "under the Standard Contractual Clauses", []),
    ("template-values-break-runs", "{{ deal.vendor }} Ltd shall {% if x %}Notify{% endif %} us", []),
    ("acronyms-are-not-terms", "an ISO 27001 or SOC 2 report", []),
    ("title-on-its-own-line", "Entire Agreement and Binding Terms.\n(a) The Correct Invoice", ["Correct Invoice"]),
    ("title-after-a-tag", "{% if a %}Licence Mobility. (a) The x{% else %}Cloud Moves. (a) The y{% endif %}", []),
    ("title-needs-its-full-stop", "{% if a %}Licence Mobility applies{% endif %}", ["Licence Mobility"]),
    ("plural-in-ies", "under the Licensing Policies", []),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in CANDIDATES], ids=[case[0] for case in CANDIDATES])
def test_undefined_candidates(text, expected):
    assert undefined_candidates(text, {"Security Incident", "Order Form", "Standard Contractual Clauses", "Licensing Policy"}) == expected


@pytest.mark.parametrize(("text", "term", "expected"), [
    ("the Fees", "Fees", True), ("each Fee", "Fees", True), ("two Audit Reports", "Audit Report", True),
    ("Feeds", "Fees", False), ("Sub-processor", "Processor", False),
    ("the Licensing Policies", "Licensing Policy", True), ("one Licensing Policy", "Licensing Policies", True),
], ids=["same", "singular", "plural", "other-word", "part-of-a-word", "plural-in-ies", "singular-in-y"])
def test_mentions(text, term, expected):
    assert mentions(text, term) is expected


USES = [
    ("longest-term-first", "each Service Level Failure", {"Service Level Failure"}),
    ("both-where-both-appear", "a Service Level Failure under a Service Level", {"Service Level", "Service Level Failure"}),
    ("inside-a-name", "on Amazon Web Services", set()),
    ("name-and-term", "the Services on Amazon Web Services", {"Services"}),
    ("singular", "one Service only", {"Services"}),
    ("plural-of-a-phrase", "two Service Level Failures", {"Service Level Failure"}),
    ("glued-to-a-word", "Servicesman and Service-Level", set()),
    ("at-the-very-end", "Service Level", {"Service Level"}),
    ("each-place-read-once", "Service Level Failure Service Level", {"Service Level", "Service Level Failure"}),
]


def test_a_short_term_is_found_where_a_longer_one_starting_alike_is_not():
    """"EU" and "EU Model Clauses" start alike: where the longer one is not written out, the short one still counts."""
    assert uses("the EU Model Contract", ["EU", "EU Model Clauses"]) == {"EU"}
    assert uses("the EU Model Clauses", ["EU", "EU Model Clauses"]) == {"EU Model Clauses"}


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in USES], ids=[case[0] for case in USES])
def test_uses_reads_the_longest_term(text, expected):
    assert uses(text, ["Services", "Service Level", "Service Level Failure"], ["Amazon Web Services"]) == expected


def _registry(root: Path, text: str = REGISTRY) -> None:
    (root / "definitions.yaml").write_text(text, encoding="utf-8")
    edit(root / "playbook.yaml", "modules:\n", "definitions: definitions.yaml\nmodules:\n")


def _problems(root: Path) -> list[str]:
    with pytest.raises(ValidationErrors) as raised:
        dealbook.load_playbook(root, use_cache=False)
    return [str(problem) for problem in raised.value.problems]


def test_a_registry_that_fits_the_clauses_is_valid(mini_copy):
    without_order_form = REGISTRY.replace("  - term: Order Form\n    definition: The ordering document signed by both parties.\n    items: []\n", "")
    _registry(mini_copy, without_order_form.replace("The charges in the Order Form.", "The charges agreed."))
    playbook = dealbook.load_playbook(mini_copy, use_cache=False)
    assert [definition.term for definition in playbook.glossary.definitions] == ["Fees"]
    assert playbook.glossary.names == ("Standard Contractual Clauses",)


def test_registry_problems_are_located(mini_copy):
    duplicated = REGISTRY.replace("items: []", "items: [dpa, price_protektion]").replace(
        "names:", "  - term: Fees\n    definition: Again.\n    items: [price_protection]\nnames:")
    _registry(mini_copy, duplicated)
    edit(mini_copy / "modules" / "data.yaml", 'clause: "Notice within', 'clause: "Notice under the Order Form within a Correct Invoice window of')
    problems = _problems(mini_copy)
    assert len(problems) == 3, problems
    in_registry = [problem.split(": ", 1)[1] for problem in problems if "definitions.yaml:" in problem]
    assert sorted(in_registry) == [
        "term 'Fees' is defined more than once [definitions/2/term]",
        "unknown item 'price_protektion' (did you mean 'price_protection'?) [definitions/1/items/1]",
    ]
    (undefined,) = [problem for problem in problems if "modules/data.yaml:" in problem]
    assert "'Correct Invoice' reads as a defined term but is not in the registry" in undefined
    assert undefined.endswith("[item 'dpa', fallback 1, clause]")


def test_every_item_using_a_term_must_be_listed(mini_copy):
    _registry(mini_copy)
    edit(mini_copy / "modules" / "data.yaml", 'clause: "Notice within', 'clause: "Notice, as the Order Form says, within')
    problems = _problems(mini_copy)
    assert problems == [next(problem for problem in problems if "'Order Form' is also used by dpa; list every item that uses it" in problem)]
    assert "[definitions/1/items]" in problems[0]


def test_a_listed_item_must_use_the_term(mini_copy):
    _registry(mini_copy, REGISTRY.replace("items: []", "items: [exec_signoff]"))
    assert any("item 'exec_signoff' does not use 'Order Form' in its summaries or clauses" in problem for problem in _problems(mini_copy))


def test_a_definition_uses_only_defined_terms(mini_copy):
    _registry(mini_copy, REGISTRY.replace("The charges in the Order Form.", "The charges in the Order Form, less any Service Credits."))
    (problem,) = _problems(mini_copy)
    assert "definitions.yaml:4:17:" in problem and problem.endswith("[definitions/0/definition]")
    assert "'Service Credits' reads as a defined term but is not in the registry" in problem


def test_an_overlay_inherits_the_registry_and_checks_its_own_clauses(mini_copy, tmp_path):
    """An overlay naming no registry uses its base's: new capitalised terms are flagged, the base's item lists are not re-checked."""
    _registry(mini_copy, REGISTRY.replace("items: []", "items: [dpa]"))
    edit(mini_copy / "modules" / "data.yaml", 'clause: "Notice within', 'clause: "Notice, as the Order Form says, within')
    overlay = tmp_path / "overlay"
    shutil.copytree(REPO / "tests" / "fixtures" / "mini_overlay", overlay)
    edit(overlay / "playbook.yaml", "extends: ../mini", f"extends: {mini_copy}")
    edit(overlay / "overrides" / "patch.yaml", "{summary: Annual independent test.}", "{summary: Annual independent test., clause: The Test Report is due yearly.}")
    # the overlay's dpa no longer says Order Form: the base's list for it is the base's business
    edit(overlay / "overrides" / "patch.yaml", "        summary: Notice within {{ terms.breach_hours }}, no exceptions.",
         "        summary: Notice within {{ terms.breach_hours }}, no exceptions.\n      fallbacks: [{summary: Notice within a day.}]")
    (problem,) = _problems(overlay)
    assert "'Test Report' reads as a defined term but is not in the registry" in problem and "patch.yaml:" in problem


def test_missing_registry_file_is_located(mini_copy):
    edit(mini_copy / "playbook.yaml", "modules:\n", "definitions: nowhere.yaml\nmodules:\n")
    assert any("file not found: nowhere.yaml" in problem and "playbook.yaml" in problem for problem in _problems(mini_copy))


def test_the_evaluation_lists_the_definitions_its_clauses_use(mini_copy, write_answers):
    _registry(mini_copy, REGISTRY.replace("items: []", "items: [dpa]").replace("The charges in the Order Form.", "The charges agreed."))
    edit(mini_copy / "modules" / "data.yaml", 'clause: "Notice within', 'clause: "Notice, as the Order Form says, within')
    playbook = dealbook.load_playbook(mini_copy, use_cache=False)
    def terms(**answers):
        evaluation = dealbook.evaluate(playbook, dealbook.load_answers(write_answers({"deployment": "saas", **answers}), playbook))
        return [definition.term for definition in evaluation.definitions]

    assert terms(annual_value=100_000) == ["Fees"]
    assert terms(annual_value=100_000, personal_data=True) == ["Fees", "Order Form"]
    # a small deal opens price protection at its fallback, so the preferred clause (and its Fees) is not printed
    assert terms(annual_value=1, personal_data=True) == ["Order Form"]


def test_definitions_pull_in_the_terms_they_use(mini_copy, write_answers):
    _registry(mini_copy)
    playbook = dealbook.load_playbook(mini_copy, use_cache=False)
    evaluation = dealbook.evaluate(playbook, dealbook.load_answers(write_answers({"deployment": "saas", "annual_value": 100_000}), playbook))
    assert [definition.term for definition in evaluation.definitions] == ["Fees", "Order Form"]


def test_required_with_a_default_is_rejected_where_it_is_written(mini_copy):
    edit(mini_copy / "questions.yaml", "    type: bool\n    default: false\n", "    type: bool\n    default: false\n    required: true\n")
    (problem,) = _problems(mini_copy)
    assert "questions.yaml:24:15:" in problem and problem.endswith("[question 'personal_data', required]")
    assert "question 'personal_data' is required and has a default" in problem


FIRST_FALLBACK = "        - summary: Cap at {{ terms.price_cap.fallback }}%.\n"
TRADEABLE = [
    ("preferred", [("      preferred:\n        summary: Cap at", "      preferred:\n        tradeable: true\n        summary: Cap at")],
     "only fallbacks can be tradeable, not the preferred position"),
    ("critical-item", [(FIRST_FALLBACK, FIRST_FALLBACK + "          tradeable: true\n"), ("    priority: medium\n    covers: [M3.2]", "    priority: critical\n    covers: [M3.2]")],
     "item 'price_protection' is critical (a must-win) and cannot have tradeable fallbacks"),
    ("out-of-order", [("      walk_away:\n        summary: Uncapped", "        - summary: Cap at 9%.\n          tradeable: true\n      walk_away:\n        summary: Uncapped")],
     "fallback 2 of item 'price_protection' is tradeable but an earlier fallback is not"),
]


@pytest.mark.parametrize(("edits", "message"), [case[1:] for case in TRADEABLE], ids=[case[0] for case in TRADEABLE])
def test_tradeable_problems(mini_copy, edits, message):
    for old, new in edits:
        edit(mini_copy / "modules" / "commercial.yaml", old, new)
    (problem,) = _problems(mini_copy)
    assert message in problem and "commercial.yaml:" in problem


def test_a_tradeable_fallback_is_offered_unless_the_item_is_a_must_win(mini_copy, write_answers):
    edit(mini_copy / "modules" / "commercial.yaml", FIRST_FALLBACK, FIRST_FALLBACK + "          tradeable: true\n")
    playbook = dealbook.load_playbook(mini_copy, use_cache=False)

    def tradeable(value: int):
        evaluation = dealbook.evaluate(playbook, dealbook.load_answers(write_answers({"deployment": "saas", "annual_value": value}), playbook))
        result = next(result for result in evaluation.items if result.id == "price_protection")
        return result.priority, None if result.tradeable is None else evaluation.position(result.tradeable).summary

    assert tradeable(200_000) == ("medium", "Cap at 5%.")
    assert tradeable(2_000_000) == ("critical", None)  # a must-win for a large deal
    assert tradeable(20_000) == ("low", None)  # already opens at the tradeable fallback: nothing left to give

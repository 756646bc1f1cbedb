"""Because lines: the playbook's business sentences for the answers behind an item."""

from dataclasses import replace
from pathlib import Path

import dealbook
import pytest
from dealbook.deal.reasons import EVERY_DEAL, answer_words

from ..conftest import edit


def _with_reasons(root: Path) -> None:
    questions = root / "questions.yaml"
    edit(questions, "      - {value: saas, label: SaaS}\n", "      - {value: saas, label: SaaS, reason: the vendor hosts the service}\n")
    edit(questions, "    type: bool\n    default: false\n", "    type: bool\n    default: false\n"
         "    reason: the vendor will hold personal data\n    reason_if_not: the vendor holds no personal data\n")
    edit(questions, "    type: money\n    minimum: 0\n", "    type: money\n    minimum: 0\n    reason: the deal is worth {answer} a year\n")
    edit(questions, "    description: Big deal.\n", "    description: Big deal.\n    reason: the deal is large enough for the sponsor\n")
    commercial = root / "modules" / "commercial.yaml"
    edit(commercial, "    covers: [M3.2]\n", "    covers: [M3.2]\n    because: renewal prices compound in every deal\n")


def _evaluate(root: Path, write_answers, answers: dict):
    playbook = dealbook.load_playbook(root)
    return dealbook.evaluate(playbook, dealbook.load_answers(write_answers(answers), playbook))


def _because(evaluation, item_id: str) -> tuple[str, ...]:
    return next(evaluation.because(result) for result in evaluation.items if result.id == item_id)


CASES = [
    ("fact-and-every-deal-phrase", {"deployment": "saas", "annual_value": 2_000_000, "personal_data": True},
     "price_protection", ("renewal prices compound in every deal", "the deal is large enough for the sponsor")),
    ("number-in-the-sentence", {"deployment": "saas", "annual_value": 20_000, "personal_data": True},
     "price_protection", ("renewal prices compound in every deal", "the deal is worth EUR 20,000 a year")),
    ("bool-answer", {"deployment": "saas", "annual_value": 200_000, "personal_data": True},
     "dpa", ("the vendor will hold personal data",)),
    ("assumed-default-says-so", {"deployment": "saas", "annual_value": 200_000},
     "hosting_review", ("applies to every deal",)),
]


@pytest.mark.parametrize(("answers", "item_id", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_because_lines_are_the_playbooks_sentences(mini_copy, write_answers, answers, item_id, expected):
    _with_reasons(mini_copy)
    assert _because(_evaluate(mini_copy, write_answers, answers), item_id) == expected


def test_a_comparison_that_does_not_hold_is_not_a_reason(mini_copy, write_answers):
    _with_reasons(mini_copy)
    edit(mini_copy / "modules" / "data.yaml", "    owner: legal\n    priority: low\n",
         '    owner: legal\n    priority: low\n    applies_when: deployment == "saas" or annual_value > 5000000\n')
    evaluation = _evaluate(mini_copy, write_answers, {"deployment": "saas", "annual_value": 200_000})
    assert _because(evaluation, "hosting_review") == ("the vendor hosts the service",)


def test_an_assumed_answer_is_marked_and_listed(mini_copy, write_answers):
    _with_reasons(mini_copy)
    edit(mini_copy / "modules" / "data.yaml", "    owner: legal\n    priority: low\n",
         "    owner: legal\n    priority: low\n    applies_when: not personal_data\n")
    evaluation = _evaluate(mini_copy, write_answers, {"deployment": "saas", "annual_value": 200_000})
    assert _because(evaluation, "hosting_review") == ("assumed: the vendor holds no personal data — not answered",)
    assert [(entry.question.id, entry.value) for entry in evaluation.assumed] == [("personal_data", False)]
    answered = _evaluate(mini_copy, write_answers, {"deployment": "saas", "annual_value": 200_000, "personal_data": False})
    assert _because(answered, "hosting_review") == ("the vendor holds no personal data",)
    assert answered.assumed == ()


def test_without_sentences_the_answer_is_named(mini, write_answers):
    evaluation = dealbook.evaluate(mini, dealbook.load_answers(write_answers({"deployment": "saas", "annual_value": 2_000_000, "personal_data": True}), mini))
    assert _because(evaluation, "dpa") == ("personal data: yes",)
    assert _because(evaluation, "exec_signoff") == ("Big deal",)
    assert _because(evaluation, "hosting_review") == (EVERY_DEAL,)


ANSWER_WORDS = [
    ("bool", "personal_data", None, True, None, "yes"),
    ("list-of-labels", "regimes", None, ["gdpr", "hipaa"], None, "GDPR, HIPAA"),
    ("empty-list", "regimes", None, [], None, "none"),
    ("money", "annual_value", None, 1_200_000, "GBP", "GBP 1,200,000"),
    ("money-without-currency", "annual_value", None, 1_200_000, None, "1,200,000"),
    ("percent", "annual_value", "percent", 15, None, "15%"),
    ("choice-label", "deployment", None, "on_prem", None, "On-premises"),
]


@pytest.mark.parametrize(("question", "kind", "value", "currency", "expected"), [case[1:] for case in ANSWER_WORDS],
                         ids=[case[0] for case in ANSWER_WORDS])
def test_answer_words(mini, question, kind, value, currency, expected):
    asked = mini.questions_by_id[question]
    assert answer_words(replace(asked, type=kind) if kind else asked, value, currency) == expected

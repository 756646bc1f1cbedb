"""Pattern primitives: phrases, proximity, cross-references blanked, quantities with units."""

from __future__ import annotations

import pytest
from dealbook.errors import Location
from dealbook.playbook.patterns import Matcher, Near, ValuePattern, compile_phrase, prepare, quantities

WHERE = Location("patterns.yaml", 1, 1)


@pytest.mark.parametrize(("phrase", "text", "found"), [
    ("delet*", "Provider will delete the data", True),
    ("delet*", "Provider deletes", True),
    ("customer data", "all Customer\n  Data is kept", True),
    ("customer data", "customerdata", False),
    ("train", "training material", False),
    ("train*", "training material", True),
    ("/\\bAI\\b/", "uses AI models", True),
    ("provider's", "Provider’s obligations", True),
], ids=["wildcard", "wildcard-s", "whitespace", "no-boundary", "whole-word", "wildcard-ing", "regex", "curly-quote"])
def test_phrases(phrase: str, text: str, found: bool) -> None:
    assert bool(compile_phrase(phrase).regex.search(prepare(text).text)) is found


@pytest.mark.parametrize(("phrase", "text"), [
    ("customer data", "all CUSTOMER DATA is kept"),
    ("customer data", "all Cuſtomer Data is kept"),  # long s: re.IGNORECASE takes it for "s"
    ("kept", "it is \u212aept"),  # the Kelvin sign for "k"
    ("invoice*", "\u0130nvoices are sent"),  # dotted capital I
    ("click-through", "no click-through terms"),
    ("delet*", "the deletion is certified"),
    ("delet*", "nothing is removed"),
    ("subprocessor*", "a sub-processor is engaged"),
    ("/\\bsub-?processors?\\b/", "a sub-processor is engaged"),
], ids=["upper", "long-s", "kelvin", "dotted-i", "hyphen", "wildcard", "absent", "absent-hyphen", "regex"])
def test_quick_rejection_agrees_with_the_regular_expression(phrase: str, text: str) -> None:
    """A phrase's key only skips texts its regular expression cannot match, whatever the case or script of the letters."""
    compiled = compile_phrase(phrase)
    prepared = prepare(text)
    expected = [(match.start(), match.end()) for match in compiled.regex.finditer(prepared.text)]
    assert [(span.start, span.end) for span in compiled.spans(prepared)] == expected
    assert (compiled.search(prepared) is not None) is bool(expected)
    assert (Matcher(any=(compiled,)).find(prepared) is not None) is bool(expected)


def test_cross_references_do_not_count() -> None:
    matcher = Matcher(any=(compile_phrase("machine learning"),))
    assert matcher.find(prepare("Section 1.6 (Machine Learning) and Section 8.1 (Liability Caps) survive.")) is None
    assert matcher.find(prepare("Content may be used for machine learning.")) is not None


def test_cross_reference_blanking_keeps_offsets() -> None:
    text = "As set out in Section 5.5(b) (Deletion), Provider will delete data."
    assert len(prepare(text).text) == len(text)
    assert prepare(text).text.endswith("Provider will delete data.")


def test_near_within_words() -> None:
    near = Near((compile_phrase("delet*"),), (compile_phrase("customer content"),), 4)
    matcher = Matcher(near=(near,))
    assert matcher.find(prepare("Provider will delete Customer Content")) is not None
    assert matcher.find(prepare("Provider will delete the logs it keeps for a long while, and Customer Content")) is None


def test_all_none_heading() -> None:
    matcher = Matcher(all=(compile_phrase("renew*"),), none=(compile_phrase("not renew*"),), heading=(compile_phrase("term*"),))
    assert matcher.find(prepare("It renews each year.", "Term and Termination")) is not None
    assert matcher.find(prepare("It renews each year.", "Fees")) is None
    assert matcher.find(prepare("It does not renew.", "Term")) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("within thirty (30) days", [(30, "days")]),
    ("forty-five days", [(45, "days")]),
    ("one hundred and twenty days", [(120, "days")]),
    ("5 business days", [(5, "business_days")]),
    ("99.9% of the time", [(99.9, "percent")]),
    ("twelve (12) months", [(12, "months")]),
    ("2x the fees", [(2, "times")]),
    ("the fees paid during the 12 months before", [(12, "fee_months"), (12, "months")]),
    ("Version 2.1 of 2024", []),
], ids=["words-and-digits", "hyphenated", "hundred", "business-days", "percent", "months", "times", "fee-months", "no-unit"])
def test_quantities(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(quantity.value, quantity.unit) for quantity in quantities(text)] == expected


@pytest.mark.parametrize(("unit", "text", "value"), [
    ("days", "delete Customer Content within 60 days", 60),
    ("days", "delete Customer Content within two months", 60),
    ("hours", "notify without undue delay and within 3 days", 72),
    ("times annual fees", "liability will not exceed the fees paid in the 12 months before the claim", 1),
    ("months", "delete Customer Content within 60 days", None),
    ("days", "Customer may delete at any time; invoices are due in 30 days", None),
    ("days", "Vendor may delete records. Invoices fall due in 30 days.", None),
], ids=["days", "months-to-days", "days-to-hours", "fee-months", "wrong-family", "too-far", "other-sentence"])
def test_value_reading(unit: str, text: str, value: float | None) -> None:
    pattern = ValuePattern("term", (compile_phrase("delet*"), compile_phrase("notif*"), compile_phrase("exceed")), 6, (), WHERE)
    found = pattern.read(prepare(text), unit)
    assert (found[0] if found else None) == value

"""A deal's values and terms as key parts: what reads differently stays apart, what a test reads is its truth."""

import pytest
from dealbook.deal.keys import TermKeys, TruthKeys, ValueKeys, picker
from dealbook.deal.result import TermResult


@pytest.mark.parametrize(("first", "second"), [
    (1, 1.0), (1, True), (0, False), ("1", 1), (["a"], ("a",)),
], ids=["int-float", "int-bool", "zero-false", "text-number", "list-tuple"])
def test_values_that_read_differently_have_different_key_parts(first, second):
    assert ValueKeys({"x": first})["x"] != ValueKeys({"x": second})["x"]
    assert ValueKeys({"x": first}, ["x"])["x"] == ValueKeys({"x": first})["x"]  # made at once or when first picked


def test_a_list_becomes_hashable_and_a_missing_name_reads_as_none():
    keys = ValueKeys({"regions": ["eu", "us"], "users": None}, ["regions"])
    assert hash(keys["regions"]) == hash((list, ("eu", "us")))
    assert keys["users"] is keys["never_asked"] is None


@pytest.mark.parametrize(("value", "truth"), [
    (None, None), (0, False), (0.0, False), (250, True), (False, False), (True, True), ([], False), (["eu"], True), ("", False),
], ids=["not-given", "zero", "zero-float", "figure", "false", "true", "empty-list", "list", "empty-text"])
def test_the_truth_of_a_value_is_whether_it_is_given_and_true(value, truth):
    assert TruthKeys({"x": value})["x"] is truth
    assert TruthKeys({"x": value}, ["x"])["x"] is truth
    assert TruthKeys({})["x"] is None


def test_a_term_key_is_the_deals_term_result_and_a_term_the_playbook_lacks_reads_as_none(mini):
    result = TermResult(mini.terms_by_id["price_cap"], 3, 5, 7)
    keys = TermKeys({"price_cap": result})
    assert keys["price_cap"] is result
    assert keys["no_such_term"] is None


def test_deals_whose_rules_set_a_term_alike_share_its_result(mini):
    import dealbook
    from dealbook.deal.answers import Answers, Deal

    def price_cap(value):
        answers = Answers(Deal("Deal", "Acme"), {"deployment": "saas", "annual_value": value})
        return dealbook.evaluate(mini, answers).terms_by_id["price_cap"]

    assert price_cap(2_000_000) is price_cap(3_000_000)  # the big-deal rule set it for both
    assert price_cap(60_000) is price_cap(70_000)  # the playbook's own values
    assert price_cap(2_000_000) is not price_cap(60_000)


@pytest.mark.parametrize(("names", "picked"), [
    ((), ()), (("a",), 1), (("a", "b"), (1, 2)), (("b", "missing"), (2, None)),
], ids=["none", "one", "two", "missing"])
def test_a_picker_picks_the_parts_of_its_names(names, picked):
    assert picker(names)(TermKeys({"a": 1, "b": 2})) == picked


def test_a_name_made_at_once_and_one_picked_later_give_the_same_keys():
    values = {"users": 250, "regions": ["eu"], "dr_site": False, "share": 12.5}
    eager, lazy = ValueKeys(values, list(values)), ValueKeys(values)
    pick = picker(("dr_site", "regions", "share", "users", "never_asked"))
    assert pick(eager) == pick(lazy) == ((bool, False), (list, ("eu",)), 12.5, 250, None)


@pytest.mark.parametrize(("names", "picked"), [
    ((), ()), (("a",), (1,)), (("a", "b"), (1, 2)),
], ids=["none", "one", "two"])
def test_a_tuple_picker_always_gives_a_tuple(names, picked):
    from dealbook.deal.keys import tuple_picker

    assert tuple_picker(names)({"a": 1, "b": 2}) == picked

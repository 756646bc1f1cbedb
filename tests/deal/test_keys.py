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


def test_a_term_key_holds_its_three_values_and_a_term_the_playbook_lacks_reads_as_none(mini):
    term = mini.terms_by_id["price_cap"]
    keys = TermKeys({"price_cap": TermResult(term, 3, 5, 7).key})
    assert keys["price_cap"] == (3, 5, 7)
    assert keys["no_such_term"] is None


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

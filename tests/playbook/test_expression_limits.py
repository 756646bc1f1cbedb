"""Hostile conditions fail with an ExpressionError (a located problem at load), never a crash."""

import pytest
from dealbook.playbook.expressions import MAX_NESTING, ExpressionError, compile_condition

HOSTILE = {
    "not x200": "not " * 200 + "x",
    "not ( x100": "not (" * 100 + "x" + ")" * 100,
    "infinite constant": "user_count > 1e999",
    "minus x500": "-" * 500 + "x",
    "or chain x3000": "a or " * 3000 + "b",
    "5000-digit integer": "x > " + "9" * 5000,
    "and chain x60": " and ".join(f"q{n}" for n in range(60)),
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_conditions_are_expression_errors(source):
    with pytest.raises(ExpressionError) as raised:
        compile_condition(source)
    assert len(str(raised.value)) < 200


def test_nesting_just_inside_the_limit_still_works():
    condition = compile_condition("not " * (MAX_NESTING - 2) + "x")
    assert condition({"x": True}) is (MAX_NESTING % 2 == 0)


CUT = {
    "too deep for the compiler": ("not " * 60 + "personal_data", "invalid condition"),
    "too long for the schema": ("personal_data or " * 3000 + "x", "is too long"),
}


@pytest.mark.parametrize(("condition", "expected"), CUT.values(), ids=CUT.keys())
def test_a_long_condition_is_quoted_shortened_in_the_problem(mini_copy, condition, expected):
    import dealbook

    from tests.conftest import edit

    edit(mini_copy / "modules/data.yaml", "applies_when: personal_data", "applies_when: " + condition)
    with pytest.raises(dealbook.ValidationErrors) as raised:
        dealbook.load_playbook(mini_copy, use_cache=False)
    (line,) = [line for line in raised.value.lines() if expected in line]
    assert len(line) < 300 and "…" in line and line.startswith(str(mini_copy))


OVERFLOWS = {"round of infinity": ("x | round", float("inf")), "int of an overflowing sum": ("(x + x) | int", 1e308)}


@pytest.mark.parametrize(("source", "value"), OVERFLOWS.values(), ids=OVERFLOWS.keys())
def test_numeric_filters_never_overflow(source, value):
    assert compile_condition(source)({"x": value}) is None


@pytest.mark.parametrize("source", ["x + " + "9" * 400 + " > 1", "x - " + "9" * 400 + " < 1", "9" * 400 + " + x == 0"],
                         ids=["add", "sub", "add-left"])
def test_arithmetic_that_overflows_a_float_has_no_value(source):
    condition = compile_condition(source)
    assert condition({"x": -0.0}) is False  # found by the fuzzing harness: OverflowError before

"""Property-based: any condition text — from the grammar, or mutated — compiles or is an ExpressionError,
and a compiled condition evaluates on any values without raising."""

from __future__ import annotations

import pytest
from dealbook.playbook.expressions import FILTERS, TESTS, ExpressionError, compile_condition

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NAMES = st.sampled_from(["deployment", "annual_value", "regimes", "personal_data", "deal.vendor", "deal.currency", "x", "loop"])
CONSTANTS = st.one_of(
    st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=False).map(repr), st.sampled_from(["1e999", "-1e999", "9" * 400]),
    st.text(max_size=8).map(repr), st.sampled_from(["true", "false", "none", "None"]),
)


def _expressions(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "not in"]), children).map(" ".join),
        st.tuples(children, st.sampled_from(["and", "or", "+", "-"]), children).map(" ".join),
        children.map(lambda inner: f"not {inner}"),
        children.map(lambda inner: f"({inner})"),
        children.map(lambda inner: f"-{inner}"),
        st.lists(children, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.tuples(children, st.sampled_from(sorted(FILTERS))).map(lambda pair: f"{pair[0]} | {pair[1]}"),
        st.tuples(children, st.sampled_from(sorted(TESTS))).map(lambda pair: f"{pair[0]} is {pair[1]}"),
        st.tuples(children, children, children).map(lambda three: f"{three[0]} if {three[1]} else {three[2]}"),
    )


GRAMMAR = st.recursive(NAMES | CONSTANTS, _expressions, max_leaves=40)
NOISE = st.sampled_from(["not ", "(", ")", "[", "]", "*", "**", "/", "~", "|", ".", "__class__", "'", '"', "{", "}", ",", " ",
                         "()", "range(9)", "x.y.z", "1e999", "{{", "%}", "\\", "\x00", "é"])


@st.composite
def conditions(draw):
    text = draw(GRAMMAR)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(NOISE) + text[at + draw(st.integers(0, 3)):]
    if draw(st.integers(0, 20)) == 0:
        text = draw(st.sampled_from(["not ", "not (", "-", "(", "a or "])) * draw(st.integers(1, 400)) + text
    return text


VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5),
                   st.lists(st.text(max_size=3) | st.integers(), max_size=3), st.just(1e308), st.just(float("inf")))


@given(source=conditions(), values=st.dictionaries(NAMES, VALUES))
def test_a_condition_compiles_or_is_an_expression_error_and_never_raises_when_run(source, values):
    try:
        condition = compile_condition(source)
    except ExpressionError as error:
        assert len(str(error)) < 300
        return
    condition({name: values.get(name) for name in condition.names})

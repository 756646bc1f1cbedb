"""Property-based: any clause template — from a grammar of Jinja with hostile numbers, or mutated — is rejected when
the playbook is validated, or renders to text, or fails with a located error; never another exception, never
unbounded memory."""

from __future__ import annotations

import pytest
from dealbook.deal.answers import Deal
from dealbook.errors import Location
from dealbook.playbook.clauses import parse_template, render_template
from jinja2 import TemplateSyntaxError

from ..contract import holds

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

HERE = Location("modules/x.yaml", 7, 9, "items/0/positions/preferred/clause")
CONTEXT = {"deal": Deal("Deal", "Acme | *Corp*", currency="EUR"), "annual_value": 420000, "regimes": ["gdpr", "uk_gdpr"],
           "personal_data": True, "notes": "x" * 1000}

ATOMS = st.one_of(
    st.sampled_from(["deal.vendor", "deal.currency", "annual_value", "regimes", "notes", "personal_data", "undefined_name",
                     "loop", "range(10)", "range(100000)", "'x'", "''", "[1, 2]", "{'a': 1}", "deal.__class__", "().__class__"]),
    st.integers(-10, 10**10).map(str), st.sampled_from(["10**9", "9**9**9", "1e308", "10.0**400", "-1", "0"]),
)
FILTERS = st.sampled_from(["money", "number", "upper", "length", "join(', ')", "center(10**7)", "indent(100)", "list",
                           "replace('x', 'xx')", "format(1)", "int", "string", "wordwrap(5)", "batch(3)|list", "sum"])


def _expressions(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["*", "**", "+", "-", "~", "%", "//", "/", "and", "or", "==", "in"]), children).map(" ".join),
        st.tuples(children, FILTERS).map(lambda pair: f"({pair[0]})|{pair[1]}"),
        children.map(lambda inner: f"({inner})"),
        st.tuples(children, st.sampled_from(["upper()", "ljust(10**8)", "format(1)", "split()", "join(['a'] * 3)"])).map(lambda p: f"{p[0]}.{p[1]}"),
    )


EXPRESSIONS = st.recursive(ATOMS, _expressions, max_leaves=8)


def _blocks(children):
    return st.one_of(
        EXPRESSIONS.map(lambda expression: "{{ " + expression + " }}"),
        st.tuples(EXPRESSIONS, children).map(lambda pair: "{% for i in " + pair[0] + " %}" + pair[1] + "{% endfor %}"),
        st.tuples(EXPRESSIONS, children).map(lambda pair: "{% if " + pair[0] + " %}" + pair[1] + "{% endif %}"),
        st.tuples(EXPRESSIONS, children).map(lambda pair: "{% set v = " + pair[0] + " %}" + pair[1] + "{{ v }}"),
        children.map(lambda body: "{% macro m(n) %}" + body + "{{ m(n - 1) if n else '' }}{% endmacro %}{{ m(30) }}"),
        st.lists(children, max_size=3).map("".join),
    )


TEMPLATES = st.recursive(st.text(max_size=20) | EXPRESSIONS.map(lambda expression: "{{ " + expression + " }}"), _blocks, max_leaves=6)
NOISE = st.sampled_from(["{{", "}}", "{%", "%}", "{#", "|", "(", ")", "'", "endfor", " ", "\x00", "{% include 'x' %}",
                         "{% extends 'y' %}", "{% import 'z' as q %}", "{% raw %}", "{% break %}"])


@st.composite
def templates(draw):
    text = draw(TEMPLATES)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(NOISE) + text[at + draw(st.integers(0, 2)):]
    return text


@given(source=templates())
def test_a_clause_template_is_rejected_at_validation_or_renders_or_fails_located(source):
    try:
        parse_template(source)
    except TemplateSyntaxError as error:  # validation reports it at the clause's location
        assert isinstance(error.lineno, int)
        return
    holds(lambda: render_template(source, CONTEXT, HERE), ("modules/x.yaml:7:9: clause template failed: ",))

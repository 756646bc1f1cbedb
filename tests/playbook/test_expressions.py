import pytest
from dealbook.playbook.expressions import Comparison, ExpressionError, compile_condition


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ('deployment == "saas"', {"deployment": "saas"}, True),
        ('deployment != "saas"', {"deployment": None}, True),
        ('deployment in ["saas", "hybrid"]', {"deployment": "hybrid"}, True),
        ('deployment not in ["saas", "hybrid"]', {"deployment": "on_prem"}, True),
        ('"gdpr" in regimes', {"regimes": ["gdpr", "ccpa"]}, True),
        ('"gdpr" in regimes', {"regimes": None}, False),
        ('"gdpr" not in regimes', {"regimes": ["ccpa"]}, True),
        ("value >= 1000", {"value": 1000}, True),
        ("value >= 1000", {"value": None}, False),
        ("value < 1000", {"value": None}, False),
        ("1 < value < 3", {"value": 2}, True),
        ("1 < value < 3", {"value": 3}, False),
        ("value - 10 > 5", {"value": 20}, True),
        ("value + 1 > 5", {"value": None}, False),
        ("-value < 0", {"value": 2}, True),
        ("flag and not other", {"flag": True, "other": False}, True),
        ("flag or other", {"flag": False, "other": False}, False),
        ("value is defined", {"value": 0}, True),
        ("value is undefined", {"value": None}, True),
        ("value is none", {"value": None}, True),
        ("regimes | length > 1", {"regimes": ["a", "b"]}, True),
        ("regimes | length == 0", {"regimes": None}, True),
        ('name | lower == "acme"', {"name": "ACME"}, True),
        ('name | upper == "ACME"', {"name": "acme"}, True),
        ("value | abs == 3", {"value": -3}, True),
        ("value | round == 3", {"value": 2.6}, True),
        ("value | int == 2", {"value": 2.6}, True),
        ("value | float > 2.5", {"value": 2.6}, True),
        ('deal.vendor == "Acme"', {"deal.vendor": "Acme"}, True),
        ('"yes" if flag else "no"', {"flag": False}, "no"),
        ("(a or b) and c", {"a": False, "b": True, "c": True}, True),
        ('text >= 5', {"text": "abc"}, False),
        ("true", {}, True),
        ("none is none", {}, True),
    ],
    ids=lambda case: case if isinstance(case, str) else None,
)
def test_allowed_syntax_evaluates(source, values, expected):
    assert compile_condition(source)(values) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("().__class__.__bases__", "attribute access"),
        ("().__class__.__bases__[0].__subclasses__()", "not allowed"),
        ("'a' * 10**9", "'*'"),
        ("2 ** 64", "'**'"),
        ("lipsum.__globals__", "attribute access"),
        ("cycler.__init__.__globals__.os", "attribute access"),
        ("range(10)", "function calls"),
        ("answers['x']", "subscripts"),
        ("x[1:2]", "subscripts"),
        ("x / 2", "'/'"),
        ("x // 2", "'//'"),
        ("x % 2", "'%'"),
        ("x ~ y", "'~'"),
        ('{"a": 1}', "dict literals"),
        ("x | join(',')", "filter 'join' not allowed in conditions"),
        ("x | attr('y')", "filter 'attr' not allowed in conditions (allowed: abs, float, int, length, lower, round, upper)"),
        ("x | round(2)", "filter 'round' takes no arguments"),
        ("x | map", "filter 'map' not allowed"),
        ("x is divisibleby 3", "test 'is divisibleby' not allowed"),
        ("x is defined(3)", "test 'defined' takes no arguments"),
        ("x is callable", "test 'is callable' not allowed"),
        ("deal.vendor.__class__", "attribute access"),
        ("x and", "syntax error"),
        ("x y", "unexpected 'y'"),
        ("{{ x }}", "syntax error"),
    ],
    ids=lambda case: case if isinstance(case, str) and len(case) < 40 else None,
)
def test_everything_else_is_rejected_at_compile_time(source, message):
    with pytest.raises(ExpressionError) as raised:
        compile_condition(source)
    assert message in str(raised.value)


def test_static_knowledge_of_names_and_compared_values():
    condition = compile_condition('deployment in ["saas", "hybrid"] and "gdpr" in regimes and value >= 10 and 5 < count and deal.currency == "EUR"')
    assert condition.names == ("deployment", "regimes", "value", "count", "deal.currency")
    assert condition.comparisons == (
        Comparison("deployment", "in", ("saas", "hybrid")),
        Comparison("regimes", "contains", ("gdpr",)),
        Comparison("value", "gteq", (10,)),
        Comparison("count", "gt", (5,)),
        Comparison("deal.currency", "eq", ("EUR",)),
    )


def test_generated_code_has_no_builtins():
    condition = compile_condition("x == 1")
    assert condition.function.__globals__["__builtins"+"__"] == {}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("big && eu", "write 'and' instead of '&&' (conditions use and, or, not and ==)"),
        ("big || eu", "write 'or' instead of '||' (conditions use and, or, not and ==)"),
        ('deployment = "saas"', "write '==' instead of '=' (conditions use and, or, not and ==)"),
        ("!big", "write 'not' instead of '!' (conditions use and, or, not and ==)"),
    ],
    ids=["and", "or", "equals", "not"],
)
def test_operators_from_other_languages_get_the_fix(source, message):
    with pytest.raises(ExpressionError) as raised:
        compile_condition(source)
    assert str(raised.value) == message


@pytest.mark.parametrize("source", ['name == "a && b"', "name != 'x'", "value >= 1 and value <= 3", "name == '!'", 'name == "it\\"s = x"'],
                         ids=["and-in-quotes", "not-equal", "orderings", "bang-in-quotes", "escaped-quote"])
def test_operators_inside_quotes_or_spelled_right_are_left_alone(source):
    compile_condition(source)

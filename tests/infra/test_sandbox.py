"""The template sandbox's bounds: each hostile template fails with one clear message, quickly and in little memory."""

import resource

import pytest
from dealbook.errors import Location, TemplateRenderError
from dealbook.infra.sandbox import CLAUSE, DOCUMENT, TemplateFault, TemplateLimitError, render_bounded, sandboxed_environment
from dealbook.playbook.clauses import parse_template, render_template, template_references
from jinja2 import TemplateError, TemplateSyntaxError

HERE = Location("modules/x.yaml", 3, 5, "items/0/positions/preferred/clause")


class _Deal:
    vendor = "Acme"
    currency = "EUR"


#: Rejected when the playbook is validated: constants that fold into a huge value.
AT_LOAD = {
    "string repeat": ("{{ 'x' * 10**9 }}", "more than 1,000,000 characters"),
    "power": ("{{ 7**100000000 }}", "more than 4,300 digits"),
    "float power": ("{{ 10.0 ** 400 }}", "too large"),
    "list repeat": ("{{ [1] * 10**8 }}", "more than 1,000,000"),
    "printf width": ("{{ '%999999999s' % 1 }}", "more than 1,000,000"),
    "include": ("{% include 'other.j2' %}", "cannot include"),
    "unknown filter": ("{{ deal.vendor|nosuch }}", "No filter named 'nosuch'"),
}

#: Refused while rendering, with the bound named.
AT_RENDER = {
    "answer repeat": ("{{ deal.vendor * 50000000 }}", "more than 1,000,000 characters"),
    "nested range": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "steps"),
    "ljust": ("{{ 'x'.ljust(10**9) }}", "argument over 1,000,000"),
    "center filter": ("{{ 'x'|center(1000000000) }}", "argument over 1,000,000"),
    "format width": ("{{ '{:>999999999}'.format(1) }}", "more than 1,000,000"),
    "format filter": ("{{ '%999999999s'|format(1) }}", "more than 1,000,000"),
    "doubling macro": ("{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s|length }}{% endmacro %}{{ d('x', 40) }}", "'~'"),
    "branching macro": ("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}", "steps"),
    "endless recursion": ("{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}", "nests too deeply"),
    "set block": ("{% set x %}{% for i in range(100000) %}{{ 'y' * 100000 }}{% endfor %}{% endset %}{{ x|length }}", "produce more than"),
    "join filter": ("{{ (range(100000)|list)|join('x' * 100000) }}", "'join'"),
    "join method": ("{{ ('x' * 100000).join(range(1000)|map('string')) }}", "'join'"),
    "replace": ("{{ ('a' * 100000)|replace('a', 'b' * 100000) }}", "'replace'"),
    "indent": ("{{ ('a\n' * 100000)|indent('x' * 1000) }}", "'indent'"),
    "plus": ("{% set a = 'x' * 1000000 %}{{ a + a }}", "'+'"),
    "namespace doubling": ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "'~'"),
    "output": ("{% for i in range(30) %}{{ 'x' * 999999 }}{% endfor %}", "produce more than 1,000,000 characters"),
    "division by zero": ("{{ 1/0 }}", "division by zero"),
    "loop variable after its loop": ("{% for x in regimes %}{% endfor %}{{ x }}", "'x' is undefined"),
}


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


@pytest.mark.parametrize(("source", "message"), AT_LOAD.values(), ids=AT_LOAD.keys())
def test_validation_rejects_templates_that_would_blow_up(source, message):
    with pytest.raises(TemplateSyntaxError) as raised:
        parse_template(source)
    assert message in raised.value.message and raised.value.lineno == 1


@pytest.mark.parametrize(("source", "message"), AT_RENDER.values(), ids=AT_RENDER.keys())
def test_rendering_stops_at_a_bound_with_a_located_error(source, message):
    before = _peak_mb()
    with pytest.raises(TemplateRenderError) as raised:
        render_template(source, {"deal": _Deal(), "regimes": ["gdpr"]}, HERE)
    line = raised.value.lines()[0]
    assert line.startswith("modules/x.yaml:3:5: clause template failed: ") and message in line, line
    assert isinstance(raised.value.cause, TemplateError)
    assert _peak_mb() - before < 200


def test_a_loop_variable_read_after_its_loop_is_an_unknown_name():
    references = list(template_references(parse_template("{% for x in regimes %}{{ x }}{% endfor %}{{ x }}")))
    assert ("x", None, 1) in references and ("regimes", None, 1) in references


def test_names_bound_in_the_template_are_not_references():
    references = list(template_references(parse_template("{% set y = 2 %}{% for x in regimes %}{{ x }}{% endfor %}{{ y }}")))
    assert [name for name, _, _ in references] == ["regimes"]


def test_huge_money_is_formatted_exactly():
    text = render_template("{{ (10**40)|money }} and {{ 1234.5|money }}", {"deal": _Deal()}, HERE)
    assert text == "EUR 10,000,000,000,000,000,000,000,000,000,000,000,000,000 and EUR 1,234.50"


def test_ordinary_templates_render_as_before():
    text = render_template("{{ deal.vendor }}: {{ 'ab' * 3 }} {{ 2**10 }} {{ [1, 2] + [3] }} {{ '%05.1f' % 3.14159 }}", {"deal": _Deal()}, HERE)
    assert text == "Acme: ababab 1024 [1, 2, 3] 003.1"


def test_a_document_has_its_own_larger_limits():
    environment = sandboxed_environment()
    big = environment.from_string("{% for i in range(3) %}{{ 'x' * 999999 }}{% endfor %}")
    assert len(render_bounded(big, {}, DOCUMENT)) == 3 * 999999
    with pytest.raises(TemplateLimitError):
        render_bounded(big, {}, CLAUSE)


def test_python_errors_inside_templates_become_template_errors():
    environment = sandboxed_environment()
    with pytest.raises(TemplateFault) as raised:
        render_bounded(environment.from_string("{{ '{:d}'.format('x') }}"), {}, CLAUSE)
    assert isinstance(raised.value.original, ValueError)


def test_a_template_the_optimiser_would_fold_into_a_sandbox_violation_is_a_syntax_problem():
    with pytest.raises(TemplateSyntaxError, match="unsafe"):
        parse_template("{{ ().__class__ ~ deal.vendor }}")


PLAIN = {"windows newlines": "a\r\nb\rc\n", "spaces": "  plain text.  ", "paragraphs": "x\n\n\ny\n", "percent and hash": "100% # not a tag"}


@pytest.mark.parametrize("source", PLAIN.values(), ids=PLAIN.keys())
def test_plain_text_renders_as_jinja_would_without_compiling(source):
    from dealbook.playbook.clauses import compiled_template

    assert render_template(source, {}, HERE) == compiled_template(source).render().strip()
    assert list(template_references(parse_template(source))) == []


def test_large_amounts_as_data_are_fine_only_sizes_are_bounded():
    context = {"deal": _Deal(), "value": 5_000_000_000}
    text = render_template("{{ '{:,}'.format(value) }} {{ '%d' % value }} {{ '%s'|format(value) }} {{ value|round }} "
                           "{{ [value, 1]|sum(start=7000000) }} {{ value|money }}", context, HERE)
    assert text == "5,000,000,000 5000000000 5000000000 5000000000 5007000001 EUR 5,000,000,000"

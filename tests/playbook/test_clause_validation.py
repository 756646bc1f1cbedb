"""Clause templates that would fail or blow up are problems `validate` reports, located in the module file."""

import dealbook
import pytest

from tests.conftest import edit

CLAUSES = {
    "loop variable after its loop": ("{% for r in regimes %}{{ r }}{% endfor %}{{ r }}", "unknown name 'r'"),
    "huge constant": ("{{ 'x' * 10**9 }}", "more than 1,000,000 characters"),
    "huge power": ("{{ 7**100000000 }}", "more than 4,300 digits"),
    "include": ("{% include '/etc/passwd' %}", "cannot include"),
    "unknown filter": ("{{ deal.vendor|shout }}", "unknown filter 'shout' in template (did you mean 'sort'?); dealbook's own filters are money, number, label, and Jinja's built-in ones (upper, join, default, ...) work too"),
}


@pytest.mark.parametrize(("clause", "message"), CLAUSES.values(), ids=CLAUSES.keys())
def test_validate_reports_the_clause(mini_copy, clause, message):
    edit(mini_copy / "modules/data.yaml", 'clause: "Notice within {{ terms.breach_hours.fallback }} hours."', f"clause: {clause!r}")
    with pytest.raises(dealbook.ValidationErrors) as raised:
        dealbook.load_playbook(mini_copy, use_cache=False)
    (line,) = [line for line in raised.value.lines() if message in line]
    assert line.startswith(f"{mini_copy / 'modules/data.yaml'}:30:")

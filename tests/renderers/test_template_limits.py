"""Override templates (--templates) run in the same bounded sandbox as clauses, with document-sized limits."""

import pytest
from dealbook.errors import DealbookError
from dealbook.renderers.markdown import render_markdown
from dealbook.renderers.view import build_view

from .test_markdown import hostile_evaluation

OVERRIDES = {
    "a gigabyte of checklist": ("{% for i in range(100000) %}{{ 'x' * 999999 }}{% endfor %}", "produce more than 20,000,000 characters"),
    "nested loops": ("{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}", "steps"),
    "missing include": ("{% include 'nowhere.md.j2' %}", "template not found: nowhere.md.j2"),
    "python error": ("{{ 1 // 0 }}", "by zero"),
}


@pytest.mark.parametrize(("source", "message"), OVERRIDES.values(), ids=OVERRIDES.keys())
def test_an_override_template_is_bounded(itam, tmp_path, source, message):
    (tmp_path / "checklist.md.j2").write_text(source, encoding="utf-8")
    with pytest.raises(DealbookError) as raised:
        render_markdown(build_view(hostile_evaluation(itam)), "checklist", templates=tmp_path)
    (line,) = raised.value.lines()
    assert message in line and line.startswith(str(tmp_path)), line

"""A deal name with control characters never reaches the HTML <title> raw."""

import pytest
from dealbook.renderers.html import markdown_to_html

TITLES = {"NUL": "Deal\x00name", "newline": "Deal\nname", "tab and spaces": "Deal\t  name", "escape": "Deal\x1b[31mname"}


@pytest.mark.parametrize("title", TITLES.values(), ids=TITLES.keys())
def test_the_title_is_one_clean_line(title):
    page = markdown_to_html("# x\n", title=title)
    head = page[page.index("<title>"):page.index("</title>")]
    assert not any(ord(char) < 32 or 127 <= ord(char) < 160 for char in head)
    assert head.startswith("<title>Deal ") and head.endswith("name")

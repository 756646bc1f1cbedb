"""Navigation in every format: HTML links reach ids, Markdown passes markdownlint with the shipped configuration."""

import re
import shutil
import subprocess

import pytest

from ..conftest import REPO
from .conftest import DEAL_IDS, rendered_pack

CONFIG = REPO / "renderers" / "assets" / "markdownlint.jsonc"


def test_every_html_link_into_the_page_reaches_an_id(pack):
    for name in [name for name in (*pack.files, *pack.vendor) if name.endswith(".html")]:
        page = pack.text(name)
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), name
        targets = re.findall(r'href="#([^"]*)"', page)
        assert set(targets) <= set(ids), (name, sorted(set(targets) - set(ids))[:3])
        headings = re.findall(r"<h([1-6])( id=\"[^\"]+\")?>", page)
        assert all(has_id for _, has_id in headings), name
    page = pack.text("briefing-pack.html")
    assert len(re.findall(r'href="#', page)) >= 2 * len(pack.evaluation.items) + len(pack.view.terms)


@pytest.mark.skipif(shutil.which("markdownlint-cli2") is None, reason="markdownlint-cli2 is not installed")
def test_markdownlint_finds_nothing_in_any_example_pack(tmp_path):
    for stem in DEAL_IDS:
        rendered = rendered_pack(stem)
        for name, data in (rendered.files | rendered.vendor).items():
            if name.endswith(".md"):
                (tmp_path / f"{stem}--{name}").write_bytes(data)
    result = subprocess.run(["markdownlint-cli2", "--config", str(CONFIG), "*.md"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert "Linting: 36 file(s)" in result.stdout + result.stderr
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]


@pytest.mark.skipif(shutil.which("markdownlint-cli2") is None, reason="markdownlint-cli2 is not installed")
def test_markdownlint_would_catch_a_broken_anchor(tmp_path):
    markdown = rendered_pack("small-desktop-subscription").text("briefing-pack.md")
    (tmp_path / "broken.md").write_text(markdown.replace("](#deal-sheet)", "](#no-such-heading)", 1), encoding="utf-8")
    result = subprocess.run(["markdownlint-cli2", "--config", str(CONFIG), "broken.md"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "MD051" in result.stdout + result.stderr

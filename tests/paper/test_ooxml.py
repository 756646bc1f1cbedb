"""Every Word file the review writes passes an OOXML validator (openxml-audit, a port of the Open XML SDK's checks).

The reviewed vendor file (both audiences) and the issues list are validated for
our own fixtures always, and for the shared vendor paper when ../shared/paper is
present. The fixtures themselves must be valid going in, so any error in the
output is one the review added. Skipped when openxml-audit is not installed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import dealbook
import pytest
from dealbook.paper import render_review, review_file

audit = pytest.importorskip("openxml_audit", reason="openxml-audit (the test extra) is not installed")

REPO = Path(__file__).parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "paper"
SHARED = next((path for path in (REPO / ".." / "shared" / "paper", REPO / ".." / ".." / "shared" / "paper") if path.is_dir()),
              REPO / ".." / "shared" / "paper")
DEAL = REPO / "examples" / "deals" / "eu-saas-crm.yaml"
OURS = ["contract-typed.docx", "contract-list.docx", "contract-headings.docx", "contract.md"]
THEIRS = ["commonpaper-csa.docx", "commonpaper-csa.md", "github-corporate-terms.md"]
PAPERS = [FIXTURES / name for name in OURS] + [SHARED / name for name in THEIRS]
# every paper in the internal audience; the vendor audience writes the same kinds of markup, with other words
CASES = [(paper, "internal") for paper in PAPERS] + [(paper, "vendor") for paper in (PAPERS[2], PAPERS[3], PAPERS[4])]


def _errors(data: bytes, tmp_path: Path) -> list[str]:
    """The validator's errors for a .docx, one line each."""
    path = tmp_path / "checked.docx"
    path.write_bytes(data)
    # a new validator per file: its cross-part caches are keyed by id() of a package, which Python reuses
    result = audit.OpenXmlValidator(max_errors=50).validate(path)
    return [f"{error.part_uri} {error.path or ''}: {error.description}" for error in result.errors
            if error.severity == audit.ValidationSeverity.ERROR]


@pytest.fixture(scope="module")
def evaluation():
    return dealbook.evaluate_file(DEAL)


@pytest.mark.parametrize("name", [name for name in OURS if name.endswith(".docx")], ids=lambda name: name.removesuffix(".docx"))
def test_fixtures_are_valid_going_in(name: str, tmp_path: Path) -> None:
    assert _errors((FIXTURES / name).read_bytes(), tmp_path) == []


@pytest.mark.parametrize(("paper", "audience"), CASES, ids=[f"{paper.name}-{audience}" for paper, audience in CASES])
def test_reviewed_file_and_issues_list_are_valid(evaluation, paper: Path, audience: str, tmp_path: Path) -> None:
    if not paper.exists():
        pytest.skip("../shared/paper is not present")
    files = render_review(review_file(evaluation, paper), audience=audience, formats=("docx",))
    assert sorted(name.rsplit(".", 2)[-2] for name in files) == ["issues", "reviewed"]
    for name, data in files.items():
        assert _errors(data, tmp_path) == [], name


def test_the_validator_sees_a_broken_tracked_change(evaluation, tmp_path: Path) -> None:
    """A control: the same output with an author-less deletion is reported, so the checks above can fail."""
    files = render_review(review_file(evaluation, FIXTURES / "contract-typed.docx"), formats=("docx",))
    data = next(data for name, data in files.items() if name.endswith(".reviewed.docx"))
    source = zipfile.ZipFile(io.BytesIO(data))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "word/document.xml":
                assert b"<w:del w:id=" in content
                content = content.replace(b"<w:del w:id=", b"<w:del w:idx=", 1)
            target.writestr(entry, content)
    assert any("'id' is missing" in error for error in _errors(broken.getvalue(), tmp_path))

"""Where a missing clause goes: the paper's sections, the item's section phrases, and the tracked insertion in Word."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import dealbook
import pytest
from dealbook.paper import read_paper, render_review, review_file
from dealbook.paper.sections import find_section, sections
from dealbook.playbook.patterns import compile_phrase
from lxml import etree

REPO = Path(__file__).parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "paper"
SHARED = next((path for path in (REPO / ".." / "shared" / "paper", REPO / ".." / ".." / "shared" / "paper") if path.is_dir()),
              REPO / ".." / "shared" / "paper")
DEAL = REPO / "examples" / "deals" / "eu-saas-crm.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAPERS = ["contract-typed.docx", "contract-list.docx", "contract-headings.docx", "contract.md"]


@pytest.fixture(scope="module")
def evaluation():
    return dealbook.evaluate_file(DEAL)


@pytest.mark.parametrize("name", PAPERS, ids=[name.split(".")[0].removeprefix("contract-") for name in PAPERS])
def test_sections_are_the_top_level_headings(name: str) -> None:
    found = sections(read_paper(FIXTURES / name))
    top = [section.title for section in found if section.depth == found[0].depth]
    assert top == ["Fees", "Data"]  # the document's own title is not a section
    fees = found[0]
    assert fees.end == found[1].start  # a section runs to the next one
    assert "Subscription Terms" not in [section.title for section in found]


def test_phrases_in_order_top_level_first() -> None:
    paper = read_paper(FIXTURES / "contract.md")
    phrase = compile_phrase
    assert find_section(paper, [phrase("security"), phrase("data")]).title == "Data"
    assert find_section(paper, [phrase("payment*"), phrase("fees")]).title == "Fees"  # "A.1 Payment" is below the section level
    assert find_section(paper, [phrase("payment*")]).title == "Payment"  # ...but taken when nothing at the top fits
    assert find_section(paper, [phrase("audit*")]) is None


def _body(data: bytes) -> list[etree._Element]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return list(root.find(f"{W}body").iter(f"{W}p"))


def _text(paragraph: etree._Element) -> str:
    return "".join(node.text or "" for node in paragraph.iter(f"{W}t"))


def _inserted(paragraph: etree._Element) -> bool:
    """A paragraph of ours: all its text is a tracked insertion."""
    texts = list(paragraph.iter(f"{W}t"))
    return bool(texts) and all(any(parent.tag == f"{W}ins" for parent in text.iterancestors()) for text in texts)


def _reviewed(evaluation, paper: Path) -> tuple[bytes, dict]:
    review = review_file(evaluation, paper)
    files = render_review(review, formats=("json",))
    return next(data for name, data in files.items() if name.endswith(".reviewed.docx")), {f.item: f for f in review.findings}


def _position(paragraphs: list[etree._Element], finding) -> int:
    start = " ".join(finding.clause.split())[:40]
    return next(index for index, paragraph in enumerate(paragraphs) if _inserted(paragraph) and start in _text(paragraph))


@pytest.mark.parametrize("name", PAPERS, ids=[name.split(".")[0].removeprefix("contract-") for name in PAPERS])
def test_missing_clause_goes_at_the_end_of_its_section(evaluation, name: str) -> None:
    data, findings = _reviewed(evaluation, FIXTURES / name)
    paragraphs = _body(data)
    texts = [_text(paragraph) for paragraph in paragraphs]
    data_heading = next(index for index, text in enumerate(texts) if text.rstrip(".").endswith("Data") and len(text) < 12)
    residency = findings["data_residency"]
    assert residency.tier.kind == "not_found" and residency.section.endswith("Data")
    at = _position(paragraphs, residency)
    assert at > data_heading and not any(_inserted(paragraph) and "Additional terms" in _text(paragraph) for paragraph in paragraphs[:at])
    assert "Incidents" in texts[at - 1] or "Incidents" in " ".join(texts[data_heading:at])  # after the section's last clause
    audit = findings["audit_notice_and_scope"]  # the fixtures have no audit section
    assert audit.section == ""
    additional = next(index for index, paragraph in enumerate(paragraphs) if _inserted(paragraph) and _text(paragraph) == "Additional terms")
    assert _position(paragraphs, audit) > additional > at


@pytest.mark.parametrize(("name", "check"), [
    ("contract-typed.docx", "typed"), ("contract-list.docx", "list"), ("contract-headings.docx", "style"),
], ids=["typed-numbers", "word-list-numbering", "heading-style-numbering"])
def test_inserted_clause_is_numbered_like_its_neighbours(evaluation, name: str, check: str) -> None:
    data, findings = _reviewed(evaluation, FIXTURES / name)
    paragraphs = _body(data)
    inserted = paragraphs[_position(paragraphs, findings["data_residency"])]
    properties = inserted.find(f"{W}pPr")
    if check == "typed":
        assert _text(inserted).startswith("2.3 ")  # after 2.2, typed like the vendor's numbers
    elif check == "list":
        assert properties.find(f"{W}numPr/{W}ilvl").get(f"{W}val") == "1" and properties.find(f"{W}numPr/{W}numId").get(f"{W}val") == "3"
    else:
        assert properties.find(f"{W}pStyle").get(f"{W}val") == "Heading2"


def test_csa_missing_items_land_in_their_sections(evaluation) -> None:
    paper = SHARED / "commonpaper-csa.docx"
    if not paper.exists():
        pytest.skip("../shared/paper is not present")
    data, findings = _reviewed(evaluation, paper)
    paragraphs = _body(data)
    texts = [_text(paragraph) for paragraph in paragraphs]
    headings = {title: texts.index(title) for title in ("Privacy & Security", "Payment & Taxes", "Term & Termination", "Representations & Warranties")}
    expected = {"breach_notification": ("Privacy & Security", "Payment & Taxes"),
                "subprocessor_control": ("Privacy & Security", "Payment & Taxes"),
                "growth_price_hold": ("Payment & Taxes", "Term & Termination"),
                "exit_plan_and_transition": ("Term & Termination", "Representations & Warranties")}
    for item, (section, following) in expected.items():
        at = _position(paragraphs, findings[item])
        assert headings[section] < at < headings[following], item
        assert findings[item].section.endswith(section)
        style = paragraphs[at].find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        assert style == paragraphs[headings[section] + 1].find(f"{W}pPr/{W}pStyle").get(f"{W}val")  # a clause like 3.1
    additional = texts.index("Additional terms")
    assert _position(paragraphs, findings["audit_notice_and_scope"]) > additional > headings["Representations & Warranties"]

"""Page budgets at the bundled styles: the deal sheet fits two pages, the pack before its appendix 40 (largest
example) and 10 (smallest) — counted in LibreOffice's PDF when soffice is installed, else by a content budget
calibrated against those PDFs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from dealbook.renderers.docx import tokens_to_docx
from dealbook.renderers.pack import SECTIONS, build_documents

from .conftest import DEAL_IDS, rendered_pack

#: Pages allowed before the clause appendix, per example (largest and smallest by items; the rest between).
FRONT_PAGES = {"enterprise-agreement": 40, "small-desktop-subscription": 10}
FRONT_PAGES_OTHERS = 40
DEAL_SHEET_PAGES = 2
# Calibration (LibreOffice 7, bundled reference, 2026-12): the pack before its appendix ran at 611 words a page
# for the largest example (22,606 words, 37 pages) and 498 for the smallest (4,983 words, 10 pages, of which the
# cover and its page break are one); the deal sheets, short lines and tables, at 400-450 words a page (800-870
# words on two pages, 400 on one).
FRONT_WORDS_PER_PAGE, FRONT_FIXED_PAGES = 600, 1.5
DEAL_SHEET_WORDS_PER_PAGE = 450


def front_tokens(stem: str):
    """The combined pack's tokens up to the clause appendix."""
    (document,) = [doc for doc in build_documents(rendered_pack(stem).view) if doc.name == "briefing-pack"]
    tokens = document.tokens
    cut = next(index for index, token in enumerate(tokens)
               if token.type == "heading_open" and tokens[index + 1].content == SECTIONS["clauses"])
    while tokens[cut - 1].type == "hr":  # the page break before the appendix goes with it
        cut -= 1
    return tokens[:cut]


def words(tokens) -> int:
    return sum(len(child.content.split()) for token in tokens if token.type == "inline"
               for child in token.children or () if child.type == "text")


def budget(stem: str) -> int:
    return FRONT_PAGES.get(stem, FRONT_PAGES_OTHERS)


@pytest.fixture(scope="module")
def pdf_pages(tmp_path_factory) -> dict[str, int]:
    """Pages of each example's deal sheet and front part, converted by LibreOffice in one run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("pages")
    for stem in DEAL_IDS:
        (folder / f"{stem}--deal-sheet.docx").write_bytes(rendered_pack(stem).files["deal-sheet.docx"])
        (folder / f"{stem}--front.docx").write_bytes(tokens_to_docx(front_tokens(stem)))
    profile = (folder / "profile").as_uri()  # its own profile: another soffice running does not block this one
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    *sorted(str(path) for path in folder.glob("*.docx"))], capture_output=True, timeout=600, check=True)
    return {path.stem: len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes())) for path in folder.glob("*.pdf")}


@pytest.mark.parametrize("stem", DEAL_IDS)
def test_the_deal_sheet_fits_two_pages_in_libreoffice(pdf_pages, stem):
    assert 1 <= pdf_pages[f"{stem}--deal-sheet"] <= DEAL_SHEET_PAGES


@pytest.mark.parametrize("stem", DEAL_IDS)
def test_the_pack_before_its_appendix_keeps_its_page_budget_in_libreoffice(pdf_pages, stem):
    assert 1 < pdf_pages[f"{stem}--front"] <= budget(stem)


@pytest.mark.parametrize("stem", DEAL_IDS)
def test_the_calibrated_content_budgets_hold(stem):
    """What the page tests check, estimated from the text (runs without LibreOffice too)."""
    (document,) = [doc for doc in build_documents(rendered_pack(stem).view) if doc.name == "deal-sheet"]
    deal_sheet = words(document.tokens)  # what Word lays out (its position bars are drawn, not words)
    assert deal_sheet / DEAL_SHEET_WORDS_PER_PAGE <= DEAL_SHEET_PAGES
    assert FRONT_FIXED_PAGES + words(front_tokens(stem)) / FRONT_WORDS_PER_PAGE <= budget(stem)


def test_the_budget_test_reads_real_page_counts(tmp_path):
    """The page counter counts pages, not objects: a two-page PDF of LibreOffice's reads as two."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from dealbook.renderers.docx import markdown_to_docx

    (tmp_path / "two.docx").write_bytes(markdown_to_docx("# One\n\nText.\n\n---\n\n## Two\n\nText.\n"))
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "two.docx")], capture_output=True, timeout=300, check=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", (tmp_path / "two.pdf").read_bytes())) == 2
    assert Path(tmp_path / "two.pdf").stat().st_size > 0

"""A deal of the bundled playbook in a temporary folder, ready to be negotiated."""

import shutil
from pathlib import Path

import pytest

from ..conftest import REPO


@pytest.fixture
def deal(tmp_path: Path) -> Path:
    """A copy of the EU SaaS example deal (payment terms: 60 days preferred, 45 fallback, 30 walk-away, higher is better)."""
    target = tmp_path / "crm.yaml"
    shutil.copy(REPO / "examples" / "deals" / "eu-saas-crm.yaml", target)
    return target


@pytest.fixture
def vendor_paper(tmp_path: Path) -> Path:
    paper = tmp_path / "vendor-msa.md"
    paper.write_text("# Master agreement\n\nInvoices are payable within 30 days of receipt.\n", encoding="utf-8")
    return paper

"""The reviewed golden pack still renders byte for byte (regenerate: python tests/golden/regenerate.py)."""

import pytest

from .regenerate import DEAL, FILES, HERE, render


@pytest.fixture(scope="module")
def rendered():
    return render()


@pytest.mark.parametrize("name", FILES)
def test_pack_matches_the_reviewed_golden_file(rendered, name):
    golden = (HERE / DEAL.stem / name).read_bytes()
    assert rendered[name] == golden, f"{name} changed: review it, then run python tests/golden/regenerate.py"

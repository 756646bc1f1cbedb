"""Atomic writes fail as one located error, never an OSError traceback."""

import pytest
from dealbook.errors import InputFileError


def test_an_unwritable_target_is_a_located_error(tmp_path, monkeypatch):
    import os

    from dealbook.infra.files import write_atomic

    def refused(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(InputFileError, match="deal.yaml: cannot write: Permission denied"):
        write_atomic(tmp_path / "deal.yaml", "x")
    assert list(tmp_path.iterdir()) == []

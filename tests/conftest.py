"""Shared fixtures: the small test playbook, and helpers to write input files."""

from __future__ import annotations

import os
import shutil
import tempfile

# Tests never read or write the user's cache: each run starts with an empty one.
os.environ["DEALBOOK_CACHE"] = tempfile.mkdtemp(prefix="dealbook-test-cache-")

from collections.abc import Callable
from pathlib import Path

try:  # property-based tests: a short run by default, `HYPOTHESIS_PROFILE=long` or `--hypothesis-profile=long` for more
    from hypothesis import HealthCheck, settings

    _QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
    settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=_QUIET)
    settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=_QUIET)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
except ImportError:  # the fuzz tests skip themselves
    pass

import dealbook
import pytest
import yaml
from dealbook.playbook.model import Playbook

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def mini() -> Playbook:
    """The two-module test playbook in tests/fixtures/mini."""
    return dealbook.load_playbook(FIXTURES / "mini")


@pytest.fixture(scope="session")
def itam() -> Playbook:
    """The bundled ITAM playbook."""
    return dealbook.load_playbook("itam")


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the test playbook, for tests that break it."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture
def write_answers(tmp_path: Path) -> Callable[..., Path]:
    """Write an answers file from a deal and answers mapping; returns its path."""

    def write(answers: dict, deal: dict | None = None, name: str = "deal.yaml") -> Path:
        path = tmp_path / name
        content = {"deal": deal or {"name": "Test deal", "vendor": "Acme", "currency": "EUR"}, "answers": answers}
        path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
        return path

    return write


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a fixture copy, failing loudly if the text is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

"""Fixtures for the web workspace: a workspace folder of example deals, the app, and a client that fills forms."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the web extra is not installed")

from dealbook.web import create_app  # noqa: E402

from ..conftest import REPO  # noqa: E402

EXAMPLES = REPO / "examples" / "deals"
_INPUT = re.compile(r'<input[^>]*\bname="(?P<name>[^"]+)"[^>]*\bvalue="(?P<value>[^"]*)"')


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A workspace holding copies of the example deals."""
    target = tmp_path / "deals"
    target.mkdir()
    for path in EXAMPLES.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture
def app(folder, itam):
    return create_app(folder, itam)


class Page:
    """A client that reads the form values a page carries (CSRF token, field versions) and posts them back."""

    def __init__(self, client) -> None:
        self.client = client
        self.html = ""

    def get(self, url: str, status: int = 200):
        response = self.client.get(url)
        assert response.status_code == status, response.data[:500]
        self.html = response.get_data(as_text=True)
        return response

    def value(self, name: str) -> str:
        found = [match["value"] for match in _INPUT.finditer(self.html) if match["name"] == name]
        assert found, f"no input {name} in the page"
        return found[0]

    @property
    def csrf(self) -> str:
        return self.value("csrf")

    def save_field(self, deal_id: str, key: str, value, *, version: str | None = None):
        """Save one field as htmx does (the field's value, its version, the CSRF token)."""
        data = {"csrf": self.csrf, f"version.{key}": version if version is not None else self.value(f"version.{key}"), key: value}
        return self.client.post(f"/deals/{deal_id}/fields/{key}", data=data, headers={"HX-Request": "true"})


@pytest.fixture
def page(app) -> Page:
    return Page(app.test_client())

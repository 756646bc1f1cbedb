"""Security of the web workspace: tokens, CSRF, hosts, headers, and refusing to listen openly without a token."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from dealbook.cli import main
from dealbook.web import ServeError, create_app, serve
from dealbook.web.security import CSP, is_loopback


def test_a_post_without_the_csrf_token_changes_nothing(page, folder):
    page.get("/deals/eu-saas-crm")
    before = (folder / "eu-saas-crm.yaml").read_bytes()
    version = page.value("version.answer.deployment")
    for token in (None, "forged", page.csrf.split(".")[0] + ".00"):
        data = {"version.answer.deployment": version, "answer.deployment": "on_prem", **({"csrf": token} if token else {})}
        response = page.client.post("/deals/eu-saas-crm/fields/answer.deployment", data=data)
        assert response.status_code == 403
    assert (folder / "eu-saas-crm.yaml").read_bytes() == before


def test_a_csrf_token_from_another_browser_is_refused(app, page):
    page.get("/deals/eu-saas-crm")
    other = app.test_client()
    other.get("/")
    data = {"csrf": page.csrf, "version.answer.deployment": page.value("version.answer.deployment"), "answer.deployment": "on_prem"}
    assert other.post("/deals/eu-saas-crm/fields/answer.deployment", data=data).status_code == 403


@pytest.mark.parametrize("url", ["/", "/deals/eu-saas-crm", "/deals/eu-saas-crm/pack", "/deals/new", "/deals/eu-saas-crm/review"],
                         ids=["deals", "questionnaire", "pack", "new", "review"])
def test_every_page_forbids_inline_scripts_and_framing(page, url):
    response = page.get(url)
    assert response.headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP and "frame-ancestors 'none'" in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page.html, re.S)
    assert scripts == [""], "only the vendored htmx file, no inline script"
    assert not re.search(r"\son[a-z]+=", page.html), "no inline event handlers"
    assert "https://" not in page.html.split("<main")[0], "no external request from the page head"


def test_htmx_is_served_from_the_package_with_its_licence(page):
    response = page.client.get("/static/htmx.min.js")
    assert response.status_code == 200 and b"htmx" in response.data[:200]
    assert b"Zero-Clause BSD" in page.client.get("/static/htmx.LICENSE").data


def test_without_a_token_only_loopback_host_names_are_answered(page):
    assert page.client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765"):
        assert page.client.get("/", headers={"Host": host}).status_code == 200


@pytest.fixture
def guarded(folder, itam):
    return create_app(folder, itam, token="s3cret-token")


def test_with_a_token_every_page_asks_for_it(guarded):
    client = guarded.test_client()
    response = client.get("/deals/eu-saas-crm", headers={"Host": "deals.example.org"})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert client.post("/deals/eu-saas-crm", data={}).status_code == 401
    assert client.get("/?token=wrong").status_code == 302
    assert client.get("/").status_code == 302


def test_the_token_in_the_address_signs_the_browser_in_without_keeping_it(guarded):
    client = guarded.test_client()
    response = client.get("/deals/eu-saas-crm?token=s3cret-token")
    assert response.status_code == 302 and response.headers["Location"] == "/deals/eu-saas-crm"
    cookie = client.get_cookie("dealbook_access")
    assert cookie is not None and "s3cret-token" not in cookie.value
    assert client.get("/deals/eu-saas-crm").status_code == 200


def test_the_sign_in_form_and_a_bearer_token(guarded):
    client = guarded.test_client()
    html = client.get("/sign-in?next=/deals/eu-saas-crm").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', html)[1]
    wrong = client.post("/sign-in", data={"csrf": csrf, "token": "nope", "next": "/deals/eu-saas-crm"})
    assert wrong.status_code == 401 and "not the access token" in wrong.get_data(as_text=True)
    right = client.post("/sign-in", data={"csrf": csrf, "token": "s3cret-token", "next": "//evil.example/"})
    assert right.status_code == 302 and right.headers["Location"] == "/"
    assert guarded.test_client().get("/", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("127.8.0.1", True), ("localhost", True), ("::1", True),
                                                ("0.0.0.0", False), ("192.168.1.10", False), ("deals.example.org", False)],
                         ids=["ipv4", "ipv4-range", "name", "ipv6", "any", "private", "dns-name"])
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_serving_on_another_address_needs_a_token(folder, itam):
    with pytest.raises(ServeError, match="--token or the DEALBOOK_TOKEN"):
        serve(folder, itam, host="0.0.0.0", port=0)


def test_the_command_refuses_an_open_address_without_a_token(folder, monkeypatch):
    monkeypatch.delenv("DEALBOOK_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", "--deals", str(folder), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "makes the workspace reachable from other machines" in result.output

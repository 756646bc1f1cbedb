"""The workspace in a real browser: Playwright driving the machine's own Chromium against ``dealbook serve``.

Chromium comes from the system (Debian's ``chromium``), never from
``playwright install``; without it, or without Playwright, these tests skip.
axe-core (``npm pack axe-core`` into tests/web/node/, as .ci/run does) checks
each page; without it that one test skips. Screenshots at 1280 and 390 px go
to test-artifacts/web/.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import docx
import pytest
from dealbook.intake.questionnaire import load_sheet

from ..conftest import REPO

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (the web-test extra)")
CHROMIUM = os.environ.get("DEALBOOK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM:
    pytest.skip("no Chromium on this machine (apt-get install chromium)", allow_module_level=True)

AXE = Path(os.environ.get("DEALBOOK_AXE", Path(__file__).parent / "node" / "axe-core" / "axe.min.js"))
ARTIFACTS = REPO / "test-artifacts" / "web"
WIDTHS = (1280, 390)
expect = sync_api.expect
PERSONAL = "Will the vendor store, process or be able to access personal data?"


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    """``dealbook serve`` on a free loopback port, over a workspace of example deals."""
    folder = tmp_path_factory.mktemp("workspace") / "deals"
    folder.mkdir()
    for name in ("eu-saas-crm.yaml", "onprem-db-per-core.yaml"):
        shutil.copy(REPO / "examples" / "deals" / name, folder / name)
    process = subprocess.Popen([sys.executable, "-m", "dealbook.cli", "serve", "--deals", str(folder), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not match:
        process.kill()
        pytest.fail(f"dealbook serve did not start: {line}{process.stdout.read()}")
    # Drain the server's output: a full pipe would stop the server mid-test.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    yield match[0].rstrip("/"), folder
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15000)
    yield context
    context.close()


def new_deal(page, base: str, name: str) -> str:
    page.goto(f"{base}/deals/new")
    page.get_by_label("Deal name").fill(name)
    page.get_by_label("Vendor").fill("Fabrikam Software")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_role("button", name="Create the deal").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    return page.url.rsplit("/", 1)[1]


def choose(page, question: str, label: str) -> None:
    """Pick an option of a question by its label, and wait for the server's answer to be swapped in."""
    group = page.get_by_role("group", name=question)
    # click, not check: check() re-clicks when the swap replaces the radio before it looks, saving twice.
    with page.expect_response(re.compile(r"/fields/")):
        group.get_by_label(label, exact=True).click()


def screenshot(page, name: str) -> None:
    """The page as a person sees it, at a desktop and a phone width (the visible part: a pack is pages long)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_create_a_deal(server, context, itam):
    base, folder = server
    page = context.new_page()
    deal_id = new_deal(page, base, "Field service 2028")
    assert load_sheet(folder / f"{deal_id}.yaml", itam).deal["vendor"] == "Fabrikam Software"
    expect(page.get_by_role("status")).to_contain_text("Deal created.")
    page.goto(base + "/")
    expect(page.get_by_role("link", name="Field service 2028")).to_be_visible()
    screenshot(page, "deals")


def test_a_dependent_question_appears_and_another_disappears(server, context, itam):
    base, folder = server
    page = context.new_page()
    deal_id = new_deal(page, base, "Deployment watch")
    choose(page, PERSONAL, "No")
    virtualised = page.locator("#field-virtualised")
    location = page.locator("#field-data-location")
    choose(page, "Where will the software run?", "Vendor-hosted SaaS")
    expect(location).to_be_visible()
    expect(virtualised).to_be_hidden()
    choose(page, "Where will the software run?", "On-premises servers in our data centre")
    expect(virtualised).to_be_visible()
    expect(location).to_be_hidden()
    expect(page.get_by_role("status")).to_contain_text("Now asked:")
    assert load_sheet(folder / f"{deal_id}.yaml", itam).answers["deployment"] == "on_prem"
    screenshot(page, "questionnaire")


def test_an_invalid_amount_shows_the_message_beside_the_field(server, context):
    base, _ = server
    page = context.new_page()
    new_deal(page, base, "Invalid amount")
    amount = page.get_by_label(re.compile("What is the expected annual contract value"))
    amount.fill("450,000.5.1")
    with page.expect_response(re.compile(r"/fields/answer.annual_value")):
        amount.press("Tab")
    message = page.locator("#msg-annual-value")
    expect(message).to_have_text("Not saved: expected a number such as 1200 or 1,200.50.")
    expect(amount).to_have_attribute("aria-invalid", "true")
    assert "msg-annual-value" in amount.get_attribute("aria-describedby").split()
    expect(amount).to_have_accessible_description(re.compile("expected a number such as 1200"))
    page.locator("#field-annual-value").scroll_into_view_if_needed()
    screenshot(page, "invalid-amount")


def test_reload_finds_every_answer(server, context):
    base, _ = server
    page = context.new_page()
    new_deal(page, base, "Reload me")
    choose(page, "Where will the software run?", "Our own public-cloud tenancy")
    count = page.get_by_label(re.compile("How many business units"))
    count.fill("7")
    with page.expect_response(re.compile(r"/fields/")):
        count.press("Tab")
    choose(page, PERSONAL, "Yes")
    page.reload()
    group = page.get_by_role("group", name="Where will the software run?")
    expect(group.get_by_label("Our own public-cloud tenancy", exact=True)).to_be_checked()
    expect(page.get_by_label(re.compile("How many business units"))).to_have_value("7")
    personal = page.get_by_role("group", name=PERSONAL)
    expect(personal.get_by_label("Yes", exact=True)).to_be_checked()


def test_two_pages_saving_from_one_version_the_second_is_refused(server, context, itam):
    base, folder = server
    first = context.new_page()
    deal_id = new_deal(first, base, "Two tabs")
    second = context.new_page()
    second.goto(first.url)
    choose(first, "Where will the software run?", "Hybrid: some on-premises, some cloud")
    choose(second, "Where will the software run?", "Vendor-hosted SaaS")
    message = second.locator("#msg-deployment")
    expect(message).to_contain_text("changed elsewhere to “Hybrid: some on-premises, some cloud”")
    group = second.get_by_role("group", name="Where will the software run?")
    expect(group.get_by_label("Hybrid: some on-premises, some cloud", exact=True)).to_be_checked()
    assert load_sheet(folder / f"{deal_id}.yaml", itam).answers["deployment"] == "hybrid"
    second.locator("#field-deployment").scroll_into_view_if_needed()
    screenshot(second, "conflict")


def test_download_the_zip_and_open_the_word_file(server, context):
    base, _ = server
    page = context.new_page()
    page.goto(f"{base}/deals/eu-saas-crm/pack")
    expect(page.locator(".document")).to_contain_text("Northwind Cloud Ltd")
    with page.expect_download() as download:
        page.get_by_role("link", name="The whole pack as one zip").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    word = [name for name in archive.namelist() if name.endswith(".docx")]
    assert word and all(name.endswith(tuple(f".{suffix}" for suffix in ("md", "docx", "html"))) for name in archive.namelist())
    document = docx.Document(io.BytesIO(archive.read(word[0])))
    assert any("Northwind Cloud Ltd" in paragraph.text for paragraph in document.paragraphs) or document.tables
    screenshot(page, "pack")


def test_upload_a_vendor_docx_and_see_the_issues(server, context, tmp_path):
    pytest.importorskip("dealbook.paper", reason="the vendor-paper review is not in this installation")
    base, _ = server
    paper = tmp_path / "vendor-terms.docx"
    vendor = docx.Document()
    vendor.add_heading("Master subscription agreement", 1)
    vendor.add_paragraph("1. Audit. The Vendor may audit the Customer at any time on 5 days' notice.")
    vendor.add_paragraph("2. Fees. Fees may increase by up to 15% each year.")
    vendor.save(paper)
    page = context.new_page()
    page.goto(f"{base}/deals/eu-saas-crm/review")
    page.get_by_label("The vendor's paper").set_input_files(str(paper))
    page.get_by_role("button", name="Review it").click()
    expect(page.locator("#review-summary")).to_contain_text("items checked")
    expect(page.locator(".document")).to_contain_text("Issues list")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"reviewed\.docx$")).click()
    marked_up = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert any("Audit" in paragraph.text for paragraph in marked_up.paragraphs)
    screenshot(page, "review")


def test_every_page_works_as_a_plain_form_without_javascript(server, browser, itam):
    base, folder = server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    deal_id = new_deal(page, base, "No script")
    group = page.get_by_role("group", name="Where will the software run?")
    group.get_by_label("Vendor-hosted SaaS", exact=True).check()
    page.get_by_label(re.compile("How many business units")).fill("3")
    page.get_by_role("button", name="Save answers").first.click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    answers = load_sheet(folder / f"{deal_id}.yaml", itam).answers
    assert (answers["deployment"], answers["business_units"]) == ("saas", 3)
    context.close()


def test_the_keyboard_reaches_the_skip_link_then_the_content(server, context):
    base, _ = server
    page = context.new_page()
    page.goto(f"{base}/deals/eu-saas-crm")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused


PAGES = {
    "deals": "/",
    "new-deal": "/deals/new",
    "questionnaire": "/deals/eu-saas-crm",
    "pack": "/deals/eu-saas-crm/pack",
    "review": "/deals/eu-saas-crm/review",
    "incomplete-pack": None,
    "refused-value": None,
}


@pytest.mark.parametrize("name", PAGES, ids=PAGES)
def test_axe_finds_no_violations(server, context, name):
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE} (npm pack axe-core, as .ci/run does)")
    base, _ = server
    page = context.new_page()
    # axe comes in as an init script, which the page's CSP does not govern (an inline one would be refused).
    page.add_init_script(path=str(AXE))
    if PAGES[name]:
        page.goto(base + PAGES[name])
    else:
        new_deal(page, base, f"Axe {name}")
        if name == "incomplete-pack":
            page.get_by_role("link", name="Pack").click()
        else:
            amount = page.get_by_label(re.compile("What is the expected annual contract value"))
            amount.fill("lots")
            with page.expect_response(re.compile(r"/fields/")):
                amount.press("Tab")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [(violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3]) for violation in result["violations"]]
    assert violations == []

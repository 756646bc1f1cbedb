"""The pages through Flask's test client: every answer checked, saved, versioned, and shown back escaped."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from dealbook.deal.answers import read_answers
from dealbook.deal.evaluate import evaluate
from dealbook.infra.files import backup_path
from dealbook.intake.questionnaire import load_sheet
from dealbook.renderers import render_pack

from ..renderers.test_markdown import HOSTILE


def field_html(html: str, slug: str) -> str:
    """One field's block in a page or a fragment."""
    match = re.search(rf'<div id="field-{slug}"(.*?)<input type="hidden" name="version\.[^"]+" value="[^"]*">\s*</div>', html, re.S)
    assert match, f"no field {slug}"
    return match.group(0)


def test_the_deals_list_links_every_deal(page, folder):
    page.get("/")
    for path in folder.glob("*.yaml"):
        assert f'href="/deals/{path.stem}"' in page.html
    assert "Northwind Cloud Ltd" in page.html and "420,000" in page.html


def test_the_questionnaire_shows_sections_help_labels_and_assumed_defaults(page, itam):
    page.get("/deals/eu-saas-crm")
    for section in itam.sections:
        assert f'<h2 id="section-{section.id}">' in page.html
    deployment = field_html(page.html, "deployment")
    assert "<fieldset" in deployment and "<legend>" in deployment
    for option in itam.questions_by_id["deployment"].options:
        assert f'value="{option.value}"' in deployment
    assert 'value="saas" checked' in deployment
    # Asked, unanswered, with a default: the default is shown as assumed, nothing is pre-filled.
    assert "Assumed while unanswered: <strong>Annual in advance" in field_html(page.html, "payment-profile") or \
        "payment_profile" in load_sheet(page.client.application.extensions["dealbook"].workspace.path_for("eu-saas-crm"), itam).answers


def test_questions_not_asked_are_drawn_hidden_and_empty(page):
    page.get("/deals/eu-saas-crm")  # SaaS: the on-premises questions are not asked
    assert '<div id="field-virtualised" class="field" hidden></div>' in page.html


def test_every_field_has_a_label_and_its_messages_are_tied_to_it(page):
    page.get("/deals/eu-saas-crm")
    for match in re.finditer(r'<input id="(in-[^"]+)"[^>]*type="(?:text|date)"', page.html):
        assert f'<label for="{match[1]}">' in page.html
    for match in re.finditer(r'aria-describedby="([^"]+)"', page.html):
        for target in match[1].split():
            assert f'id="{target}"' in page.html


def test_saving_a_field_writes_the_file_and_keeps_the_previous(page, folder, itam):
    page.get("/deals/eu-saas-crm")
    before = (folder / "eu-saas-crm.yaml").read_bytes()
    response = page.save_field("eu-saas-crm", "answer.user_count", "2,400")
    assert response.status_code == 200
    assert load_sheet(folder / "eu-saas-crm.yaml", itam).answers["user_count"] == 2400
    assert backup_path(folder / "eu-saas-crm.yaml").read_bytes() == before
    assert 'value="2400"' in field_html(response.get_data(as_text=True), "user-count")


def test_a_changed_answer_brings_questions_in_and_out_of_band(page):
    page.get("/deals/eu-saas-crm")
    html = page.save_field("eu-saas-crm", "answer.deployment", "on_prem").get_data(as_text=True)
    appeared = re.search(r'<div id="field-virtualised"[^>]*>', html)[0]
    assert 'hx-swap-oob="true"' in appeared and "hidden" not in appeared
    assert "Now asked: " in html


def test_a_parked_answer_is_announced_and_listed(page, folder, itam):
    page.get("/deals/onprem-db-per-core")
    html = page.save_field("onprem-db-per-core", "answer.deployment", "saas").get_data(as_text=True)
    assert '<div id="field-virtualised" class="field" hidden hx-swap-oob="true"></div>' in html
    assert "Your answer is parked" in html
    page.get("/deals/onprem-db-per-core")
    assert "Parked answers" in page.html


def test_an_invalid_amount_shows_the_cli_message_beside_the_field(page, folder):
    page.get("/deals/eu-saas-crm")
    before = (folder / "eu-saas-crm.yaml").read_bytes()
    html = page.save_field("eu-saas-crm", "answer.annual_value", "450,000.5.1").get_data(as_text=True)
    block = field_html(html, "annual-value")
    assert 'aria-invalid="true"' in block and 'value="450,000.5.1"' in block
    assert '<p id="msg-annual-value" class="message error">Not saved: expected a number such as 1200 or 1,200.50.</p>' in block
    assert 'aria-describedby="help-annual-value msg-annual-value"' in block
    assert (folder / "eu-saas-crm.yaml").read_bytes() == before


def test_the_check_as_you_type_says_what_the_cli_says(page):
    page.get("/deals/eu-saas-crm")
    response = page.client.post("/deals/eu-saas-crm/check/annual_value", data={"csrf": page.csrf, "answer.annual_value": "lots"})
    assert "expected an amount such as 450000" in response.get_data(as_text=True)


def test_two_pages_saving_from_one_version_the_second_is_refused_with_the_current_value(app, folder, itam):
    from .conftest import Page

    first, second = Page(app.test_client()), Page(app.test_client())
    first.get("/deals/eu-saas-crm")
    second.get("/deals/eu-saas-crm")
    assert first.save_field("eu-saas-crm", "answer.deployment", "on_prem").status_code == 200
    html = second.save_field("eu-saas-crm", "answer.deployment", "hybrid").get_data(as_text=True)
    block = field_html(html, "deployment")
    assert "changed elsewhere to “On-premises" in block or "changed elsewhere to “" in block
    assert 'value="on_prem" checked' in block
    assert load_sheet(folder / "eu-saas-crm.yaml", itam).answers["deployment"] == "on_prem"


def test_the_plain_form_saves_what_changed_and_redirects(page, folder, itam):
    page.get("/deals/eu-saas-crm")
    form = {key: page.value(key) for key in ("csrf", "version.answer.user_count", "version.deal.negotiator")}
    form.update({"answer.user_count": "2000", "deal.negotiator": "Sam Lee"})
    response = page.client.post("/deals/eu-saas-crm", data=form)
    assert response.status_code == 303
    sheet = load_sheet(folder / "eu-saas-crm.yaml", itam)
    assert (sheet.answers["user_count"], sheet.deal["negotiator"]) == (2000, "Sam Lee")
    page.get(response.headers["Location"].split("#")[0])
    assert "Saved." in page.html and 'value="2000"' in page.html


def test_the_plain_form_with_a_bad_value_is_shown_again_with_the_message(page, folder):
    page.get("/deals/eu-saas-crm")
    before = (folder / "eu-saas-crm.yaml").read_bytes()
    form = {"csrf": page.csrf, "version.answer.term_years": page.value("version.answer.term_years"), "answer.term_years": "99"}
    response = page.client.post("/deals/eu-saas-crm", data=form)
    assert response.status_code == 422
    assert "Not saved: must be at most 10." in field_html(response.get_data(as_text=True), "term-years")
    assert (folder / "eu-saas-crm.yaml").read_bytes() == before


def test_a_multi_choice_answered_none_of_these_is_an_empty_list(page, folder, itam):
    page.get("/deals/eu-saas-crm")
    page.save_field("eu-saas-crm", "answer.custom_work", [":none"])
    assert load_sheet(folder / "eu-saas-crm.yaml", itam).answers["custom_work"] == []


def test_a_new_deal_is_created_and_opens_its_questionnaire(page, folder):
    page.get("/deals/new")
    response = page.client.post("/deals", data={"csrf": page.csrf, "deal.name": "Payroll 2028", "deal.vendor": "Acme", "deal.currency": "gbp"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/deals/payroll-2028")
    assert (folder / "payroll-2028.yaml").is_file()
    page.get("/deals/payroll-2028")
    assert "Deal created." in page.html


def test_a_new_deal_without_a_vendor_is_refused_beside_the_field(page, folder):
    page.get("/deals/new")
    response = page.client.post("/deals", data={"csrf": page.csrf, "deal.name": "Payroll", "deal.vendor": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p id="msg-deal-vendor" class="message error">needed for the briefing pack' in html
    assert 'value="Payroll"' in html
    assert not (folder / "payroll.yaml").exists()


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_names_are_shown_as_text_everywhere(page, folder, itam, name):
    page.get("/deals/new")
    response = page.client.post("/deals", data={"csrf": page.csrf, "deal.name": name, "deal.vendor": name})
    deal_id = response.headers["Location"].rsplit("/", 1)[1]
    shown = " ".join(name.split())
    for url in ("/", f"/deals/{deal_id}", f"/deals/{deal_id}/pack", f"/deals/{deal_id}/review"):
        html = page.client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<b>bold" not in html
        assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/htmx.min.js" defer>']
    assert load_sheet(folder / f"{deal_id}.yaml", itam).deal["vendor"] == shown


def test_an_unreadable_deal_shows_its_problems_and_takes_no_save(page, folder):
    (folder / "broken.yaml").write_text("deal: {name: X, vendor: Y}\nanswers:\n  deployment: moon\n", encoding="utf-8")
    page.get("/deals/broken", status=422)
    assert "broken.yaml:3" in page.html
    page.get("/deals/new")
    response = page.client.post("/deals/broken/fields/answer.deployment",
                                data={"csrf": page.csrf, "version.answer.deployment": "x", "answer.deployment": "saas"})
    assert response.status_code == 409
    assert "moon" in (folder / "broken.yaml").read_text(encoding="utf-8")


def test_the_pack_page_shows_the_deal_sheet_and_every_download(page, folder, itam):
    page.get("/deals/eu-saas-crm/pack")
    expected = render_pack(evaluate(itam, read_answers(folder / "eu-saas-crm.yaml", itam), require_complete=True))
    for name in expected:
        assert f'href="/deals/eu-saas-crm/pack/{name}"' in page.html
    assert '<div class="document">' in page.html and "Northwind Cloud Ltd" in page.html
    for name in ("checklist.md", "term-sheet.docx"):
        response = page.client.get(f"/deals/eu-saas-crm/pack/{name}")
        assert response.data == expected[name]
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_the_pack_zip_holds_every_file_and_its_word_files_open(page, folder, itam):
    response = page.client.get("/deals/eu-saas-crm/pack.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = [name.split("/", 1)[1] for name in archive.namelist()]
    expected = render_pack(evaluate(itam, read_answers(folder / "eu-saas-crm.yaml", itam), require_complete=True))
    assert sorted(names) == sorted(expected)
    word = next(name for name in archive.namelist() if name.endswith(".docx"))
    assert docx.Document(io.BytesIO(archive.read(word))).paragraphs


def test_the_pack_follows_the_answers(page, folder):
    first = page.client.get("/deals/eu-saas-crm/pack/term-sheet.md").data
    page.get("/deals/eu-saas-crm")
    page.save_field("eu-saas-crm", "deal.vendor", "Southwind Cloud plc")
    assert first != page.client.get("/deals/eu-saas-crm/pack/term-sheet.md").data


def test_an_incomplete_deal_lists_what_the_pack_needs(page):
    page.get("/deals/new")
    location = page.client.post("/deals", data={"csrf": page.csrf, "deal.name": "Bare", "deal.vendor": "Acme"}).headers["Location"]
    page.get(location + "/pack", status=409)
    assert "The pack cannot be written yet." in page.html
    assert 'href="/deals/bare#field-licence-metric"' in page.html
    assert page.client.get(location + "/pack.zip").status_code == 409


def test_pack_files_outside_the_pack_are_not_served(page):
    for name in ("..%2Feu-saas-crm.yaml", "checklist.exe", ".."):
        assert page.client.get(f"/deals/eu-saas-crm/pack/{name}").status_code == 404


def test_unknown_deals_are_not_found(page):
    for url in ("/deals/nope", "/deals/..%2F..%2Fetc%2Fpasswd", "/deals/nope/pack", "/deals/nope/review"):
        assert page.client.get(url).status_code == 404


def test_the_review_page_refuses_other_file_types(page, folder):
    pytest.importorskip("dealbook.paper", reason="the vendor-paper review is not in this installation")
    page.get("/deals/eu-saas-crm/review")
    response = page.client.post("/deals/eu-saas-crm/review", data={"csrf": page.csrf, "paper": (io.BytesIO(b"MZ"), "contract.exe")},
                                content_type="multipart/form-data")
    assert response.status_code == 422 and "only Word .docx and Markdown .md" in response.get_data(as_text=True)
    assert not (folder / "eu-saas-crm.review" / "contract.exe").exists()


def test_an_upload_over_the_limit_is_refused(page):
    from dealbook.web.outputs import MAX_UPLOAD

    page.get("/deals/new")
    big = io.BytesIO(b"x" * (MAX_UPLOAD + 512 * 1024))
    response = page.client.post("/deals/eu-saas-crm/review", data={"csrf": page.csrf, "paper": (big, "paper.md")},
                                content_type="multipart/form-data")
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)

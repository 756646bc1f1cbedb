"""The review end to end: findings, the marked-up Word file, the issues list, audiences, determinism."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import dealbook
import docx
import jsonschema
import pytest
from dealbook.infra.schema import load_schema
from dealbook.paper import read_paper, render_review, review_file
from lxml import etree

REPO = Path(__file__).parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "paper"
# the shared folder beside the repository checkout (one level further up from a worktree in /work/wt)
SHARED = next((path for path in (REPO / ".." / "shared" / "paper", REPO / ".." / ".." / "shared" / "paper") if path.is_dir()),
              REPO / ".." / "shared" / "paper")
DEAL = REPO / "examples" / "deals" / "eu-saas-crm.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAPERS = [FIXTURES / name for name in ("contract-typed.docx", "contract-list.docx", "contract-headings.docx", "contract.md")]
IDS = ["typed", "list", "headings", "markdown"]


@pytest.fixture(scope="module")
def evaluation():
    return dealbook.evaluate_file(DEAL)


def _reviewed(files: dict[str, bytes]) -> bytes:
    return next(data for name, data in files.items() if name.endswith(".reviewed.docx"))


def _accepted(root) -> list[str]:
    texts = []
    for paragraph in root.iter(f"{W}p"):
        if paragraph.find(f"{W}pPr/{W}rPr/{W}ins") is not None and not paragraph.findall(f".//{W}t"):
            continue
        text = "".join(node.text or "" for node in paragraph.iter(f"{W}t") if not any(a.tag == f"{W}del" for a in node.iterancestors()))
        if text:
            texts.append(text)
    return texts


def _rejected_texts(data: bytes, author: str) -> list[str]:
    """Paragraph texts once our changes are rejected: our insertions removed, our deletions restored."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    for insertion in list(root.iter(f"{W}ins")):
        if insertion.get(f"{W}author") == author and insertion.getparent().tag != f"{W}rPr":
            insertion.getparent().remove(insertion)
    for paragraph in list(root.iter(f"{W}p")):
        mark = paragraph.find(f"{W}pPr/{W}rPr/{W}ins")
        if mark is not None and mark.get(f"{W}author") == author:
            # an inserted paragraph mark goes: the paragraph runs on into the next one, as Word rejects it
            # (the last paragraph before the section properties has nothing to run into: it just goes)
            following = paragraph.getnext()
            if following is not None and following.tag == f"{W}p":
                properties = following.find(f"{W}pPr")
                for offset, child in enumerate(child for child in list(paragraph) if child.tag != f"{W}pPr"):
                    following.insert(offset + (properties is not None), child)
            paragraph.getparent().remove(paragraph)
    for deletion in list(root.iter(f"{W}del")):
        if deletion.get(f"{W}author") == author:
            for node in deletion.iter(f"{W}delText"):
                node.tag = f"{W}t"
            parent, index = deletion.getparent(), deletion.getparent().index(deletion)
            for offset, child in enumerate(list(deletion)):
                parent.insert(index + offset, child)
            parent.remove(deletion)
    return _accepted(root)


def _original_texts(path: Path) -> list[str]:
    return _accepted(etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")))


@pytest.mark.parametrize("paper", PAPERS[:3], ids=IDS[:3])
def test_findings_on_fixture(evaluation, paper: Path) -> None:
    review = review_file(evaluation, paper)
    found = {finding.item: finding for finding in review.findings}
    assert found["payment_terms"].reference == "1.1" and found["payment_terms"].tier.id == "walk-away"
    assert found["dispute_escalation"].reference == "1.2" and found["dispute_escalation"].tier.id == "beyond-walk-away"
    assert found["exit_data_deletion_certificate"].reference == "2.1"
    assert found["breach_notification"].values[0].value == 96 and found["breach_notification"].tier.id == "beyond-walk-away"
    assert found["subprocessor_control"].tier.id == "not-found"


def test_survival_and_cross_references_do_not_count(evaluation) -> None:
    review = review_file(evaluation, FIXTURES / "contract.md")
    deletion = next(finding for finding in review.findings if finding.item == "exit_data_deletion_certificate")
    assert deletion.reference == "B.1(a)" and "B.3" not in deletion.also


def test_unnumbered_sections_are_cited_by_heading(evaluation) -> None:
    found = {finding.item: finding for finding in review_file(evaluation, FIXTURES / "web-terms.md").findings if finding.found}
    assert found["support_fee_increase_cap"].reference == "Fees › 2"
    assert found["support_fee_increase_cap"].tier.id == "walk-away"  # prices changed on notice, no cap
    assert found["exit_data_deletion_certificate"].reference == "Ending your account › 2"


def test_equal_findings_prefer_the_items_own_section_and_definitions_count_only_where_allowed(evaluation) -> None:
    found = {finding.item: finding for finding in review_file(evaluation, FIXTURES / "home-and-definitions.md").findings}
    subprocessors = found["subprocessor_control"]
    assert (subprocessors.reference, subprocessors.tier.id, subprocessors.also) == ("2.1", "beyond-walk-away", ("1.1",))
    assert found["maintenance_exclusions"].reference == "3.1"  # its patterns allow definitions, and nothing else states it
    assert found["breach_notification"].tier.id == "not-found"  # a definition alone does not state the clause


@pytest.mark.parametrize("paper", PAPERS, ids=IDS)
def test_reviewed_file_opens_rejects_to_the_original_and_repeats(evaluation, paper: Path, tmp_path: Path) -> None:
    review = review_file(evaluation, paper)
    first = render_review(review)
    second = render_review(review_file(evaluation, paper))
    assert first == second  # byte-identical run to run
    data = _reviewed(first)
    reopened = docx.Document(io.BytesIO(data))
    assert len(list(reopened.comments)) >= 3
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"<w:ins " in xml and b"<w:del " in xml
    if paper.suffix == ".docx":
        assert _rejected_texts(data, evaluation.answers.deal.negotiator) == _original_texts(paper)
    else:
        rendered = _rejected_texts(data, evaluation.answers.deal.negotiator)
        assert all(any(p.text in text for text in rendered) for p in read_paper(paper).paragraphs)


def test_comments_name_item_and_pattern_location(evaluation) -> None:
    data = _reviewed(render_review(review_file(evaluation, PAPERS[0])))
    comments = [comment.text for comment in docx.Document(io.BytesIO(data)).comments]
    assert any("[dispute_escalation]" in text and "patterns/01-scope.yaml:" in text for text in comments)
    dates = {comment.timestamp.date().isoformat() for comment in docx.Document(io.BytesIO(data)).comments}
    assert dates == {evaluation.answers.deal.date}


def _leaks(evaluation, review) -> list[str]:
    secrets = []
    for finding in review.findings:
        secrets += [*finding.fallbacks, finding.walk_away, finding.rationale[:80], *(flag.says for flag in finding.flags)]
    return [secret for secret in secrets if secret and len(secret) > 12]


VENDOR_PAPERS = PAPERS + [SHARED / name for name in ("commonpaper-csa.docx", "commonpaper-csa.md", "github-corporate-terms.md")]


@pytest.mark.parametrize("paper", VENDOR_PAPERS, ids=IDS + ["csa-docx", "csa-md", "github"])
def test_vendor_audience_leaks_nothing(evaluation, paper: Path) -> None:
    if not paper.exists():
        pytest.skip("../shared/paper is not present")
    review = review_file(evaluation, paper)
    files = render_review(review, audience="vendor")
    text = []
    for name, data in files.items():
        if name.endswith(".docx"):
            archive = zipfile.ZipFile(io.BytesIO(data))
            text += [archive.read(member).decode("utf-8") for member in archive.namelist() if member.endswith(".xml")]
        else:
            text.append(data.decode("utf-8"))
    blob = " ".join(" ".join(part.split()) for part in text)
    leaked = [secret for secret in _leaks(evaluation, review) if " ".join(secret.split()) in blob]
    assert not leaked
    for word in ("walk-away", "fallback", "Pattern:", "patterns/", "Owner:", "Approval to accept", "Accepting it as written", "Red flag"):
        assert word not in blob.replace("walk-aways", "")


def test_issues_json_follows_schema_and_is_sorted(evaluation) -> None:
    files = render_review(review_file(evaluation, PAPERS[0]))
    data = json.loads(files["contract-typed.issues.json"])
    jsonschema.Draft202012Validator(load_schema("review")).validate(data)
    ranks = [("critical", "high", "medium", "low").index(finding["priority"]) for finding in data["findings"]]
    assert ranks == sorted(ranks)
    assert files["contract-typed.issues.html"].startswith(b"<!DOCTYPE html>") or b"<html" in files["contract-typed.issues.html"][:200]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_reviewed_file(evaluation, tmp_path: Path) -> None:
    path = tmp_path / "reviewed.docx"
    path.write_bytes(_reviewed(render_review(review_file(evaluation, PAPERS[2]))))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)], check=True, timeout=180)
    assert (tmp_path / "reviewed.pdf").stat().st_size > 1000


def test_cli_review(tmp_path: Path) -> None:
    result = subprocess.run(["dealbook", "review", str(DEAL), str(PAPERS[0]), "-o", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "contract-typed.reviewed.docx").is_file() and (tmp_path / "contract-typed.issues.md").is_file()
    refused = subprocess.run(["dealbook", "review", str(DEAL), str(tmp_path / "x.pdf")], capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def _approval_cases(evaluation, paper: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {finding.item: (finding.tier.id, finding.approvers) for finding in review_file(evaluation, paper).findings}


def test_approvers_are_specific_to_the_item_and_tier(evaluation) -> None:
    everyone = [approval.department.name for approval in evaluation.approvals]
    assert {"Legal", "Procurement", "Information Security"} <= set(everyone)  # the deal's generic sign-offs
    found = _approval_cases(evaluation, PAPERS[0])
    # walk-away: the owner and every approver the deal's rules require
    assert found["payment_terms"] == ("walk-away", ("Finance", *everyone))
    # missing and not critical: the owner alone, unless a rule concerns the item
    assert found["incident_rca"] == ("not-found", ("IT Operations",))
    # the escalation-days rule concerns the dispute ladder, which business reviews no longer repeat
    assert found["gov_business_reviews_and_escalation"] == ("not-found", ("Procurement",))
    # missing and critical for this deal: going without it is a walk-away matter
    assert found["data_residency"][0] == "not-found" and set(found["data_residency"][1]) == {"Privacy officer", *everyone}
    assert found["gov_contract_managers_and_renewals"][1] == ()  # found but not measured: nothing to accept yet


def test_fallback_needs_the_owner_and_only_the_rules_about_the_item(evaluation) -> None:
    paper = SHARED / "commonpaper-csa.docx"
    if not paper.exists():
        pytest.skip("../shared/paper is not present")
    found = _approval_cases(evaluation, paper)
    assert found["payment_terms"] == ("fallback-2", ("Finance", "IT Operations"))  # a rule on the suspension cure period
    assert found["maintenance_exclusions"] == ("fallback-1", ("IT Operations",))
    issues = render_review(review_file(evaluation, paper), formats=("md",))["commonpaper-csa.issues.md"].decode()
    assert "**Approval to accept as written:** IT Operations\n" in issues

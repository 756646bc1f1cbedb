"""Reading contracts into labelled paragraphs: each numbering style, tables, tracked changes, refused formats."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from dealbook.errors import InputFileError
from dealbook.paper import read_paper

FIXTURES = Path(__file__).parents[1] / "fixtures" / "paper"
LABELS = ["", "1", "1.1", "1.2", "1.2(a)", "2", "2.1", "2.2"]


@pytest.mark.parametrize("style", ["typed", "list", "headings"], ids=["typed-numbers", "word-list-numbering", "heading-style-numbering"])
def test_docx_labels(style: str) -> None:
    paper = read_paper(FIXTURES / f"contract-{style}.docx")
    assert [paragraph.label for paragraph in paper.paragraphs][:8] == LABELS
    payment = paper.paragraphs[2]
    assert payment.title == "Payment" and "Fees" in payment.heading
    assert "Late amounts bear no interest." in payment.text  # tracked insertion read as accepted
    assert "non-refundable" not in payment.text  # tracked deletion not read
    assert [paragraph.kind for paragraph in paper.paragraphs[-2:]] == ["table", "table"]


def test_markdown_labels() -> None:
    paper = read_paper(FIXTURES / "contract.md")
    labels = [(paragraph.label, paragraph.kind) for paragraph in paper.paragraphs]
    assert ("A.1", "heading") in labels and ("B.1(a)", "clause") in labels and ("B.2", "clause") in labels
    deletion = next(paragraph for paragraph in paper.paragraphs if paragraph.label == "B.1")
    assert deletion.title == "Deletion" and "<span" not in deletion.text


def test_unnumbered_sections_name_their_clauses_by_heading() -> None:
    paper = read_paper(FIXTURES / "web-terms.md")
    references = [paragraph.reference for paragraph in paper.paragraphs if paragraph.kind == "clause"]
    assert references == ["Northwind Online Terms › ¶1", "Fees › 1", "Fees › 2", "Ending your account › 1",
                          "Ending your account › 2", "Liability › ¶1", "Liability › ¶2"]
    assert [paragraph.label for paragraph in paper.paragraphs if paragraph.kind == "clause"][1:5] == ["1", "2", "1", "2"]


def test_numbered_sections_keep_plain_labels() -> None:
    paper = read_paper(FIXTURES / "contract.md")
    assert all(paragraph.reference == paragraph.label for paragraph in paper.paragraphs if paragraph.label)


@pytest.mark.parametrize("suffix", [".pdf", ".doc", ".rtf", ".txt"], ids=["pdf", "doc", "rtf", "txt"])
def test_other_formats_are_one_clear_line(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"vendor{suffix}"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputFileError) as raised:
        read_paper(path)
    message = str(raised.value.problem)
    assert "dealbook reads Word .docx and Markdown (.md)" in message and "\n" not in message


def _docx_with(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return output.getvalue()


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           '<w:p><w:r><w:t>Fees &x; apply.</w:t></w:r></w:p></w:body></w:document>').encode()
    path = tmp_path / "entity.docx"
    path.write_bytes(_docx_with(xml))
    paper = read_paper(path)
    assert "TOP-SECRET" not in " ".join(paragraph.text for paragraph in paper.paragraphs)


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'
    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx_with(body, {"word/media/zeros.bin": b"\0" * (8 * 1024 * 1024)}))
    with pytest.raises(InputFileError, match="zip bomb"):
        read_paper(path)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("plain text")
    with pytest.raises(InputFileError, match="not a Word .docx file"):
        read_paper(path)

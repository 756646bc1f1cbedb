"""Opening a vendor's file as untrusted input.

A .docx is a zip of XML parts written by someone else. Before anything is
parsed, every member is checked: its uncompressed size, the total, and the
compression ratio (a "zip bomb" of a few kilobytes can expand to gigabytes).
XML is parsed by lxml with entity resolution and network access off and
without lxml's huge-tree mode, so a document can neither read local files
through an external entity nor expand a "billion laughs".
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from ..errors import InputFileError, Location

__all__ = ["MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "MAX_RATIO", "MAX_TEXT_BYTES", "SafeZip", "parse_xml", "read_text_file", "refuse_format"]

MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_TEXT_BYTES = 16 * 1024 * 1024
MAX_MEMBERS = 2000

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False, remove_blank_text=False)

#: Formats we do not read, and how to get one we do.
_CONVERT = {
    ".pdf": "a PDF cannot be reviewed reliably (its clause structure is lost); ask the vendor for the Word file, or convert it: soffice --headless --infer_filter=writer_pdf_import --convert-to docx FILE.pdf",
    ".doc": "convert the old Word format first: soffice --headless --convert-to docx FILE.doc (or Save As .docx in Word)",
    ".rtf": "convert it first: soffice --headless --convert-to docx FILE.rtf (or Save As .docx in Word)",
    ".odt": "convert it first: soffice --headless --convert-to docx FILE.odt",
}


def refuse_format(path: Path, readable: str) -> InputFileError:
    """One clear line for a file type the reviewer does not read."""
    suffix = path.suffix.lower()
    advice = _CONVERT.get(suffix, "save it as .docx or Markdown (.md) first")
    return InputFileError(Location(str(path)), f"cannot review {suffix or 'a file without extension'} files; dealbook reads {readable} — {advice}")


def parse_xml(data: bytes, where: str) -> etree._Element:
    """Parse XML with entities, DTDs and the network off; one located error if it is not XML."""
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise InputFileError(Location(where), f"not well-formed XML: {error}") from None


class SafeZip:
    """A zip archive whose members were checked for size and compression ratio before use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise InputFileError(Location(str(path)), f"not a Word .docx file (not a valid zip archive: {error})") from None
        members = self.archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise self._refuse(f"it has {len(members)} parts (more than {MAX_MEMBERS})")
        total = 0
        for member in members:
            if member.file_size > MAX_MEMBER_BYTES:
                raise self._refuse(f"part {member.filename} expands to {member.file_size:,} bytes (limit {MAX_MEMBER_BYTES:,})")
            if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise self._refuse(f"part {member.filename} is compressed {member.file_size // max(member.compress_size, 1)}:1, a sign of a zip bomb")
            total += member.file_size
        if total > MAX_TOTAL_BYTES:
            raise self._refuse(f"its parts expand to {total:,} bytes (limit {MAX_TOTAL_BYTES:,})")
        self.names = [member.filename for member in members]

    def _refuse(self, why: str) -> InputFileError:
        return InputFileError(Location(str(self.path)), f"refusing to open this .docx: {why}")

    def read(self, name: str) -> bytes | None:
        """A member's bytes (read within the checked limits), or ``None`` when absent."""
        if name not in self.names:
            return None
        with self.archive.open(name) as stream:
            data = stream.read(MAX_MEMBER_BYTES + 1)
        if len(data) > MAX_MEMBER_BYTES:
            raise self._refuse(f"part {name} is larger than its header says")
        return data

    def xml(self, name: str) -> etree._Element | None:
        """A member parsed safely, or ``None`` when absent."""
        data = self.read(name)
        return None if data is None else parse_xml(data, f"{self.path}:{name}")


def read_text_file(path: Path) -> str:
    """A UTF-8 text file within the size limit, with one clear error otherwise."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise InputFileError(Location(str(path)), f"file is {size:,} bytes; the limit is {MAX_TEXT_BYTES:,}")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFileError(Location(str(path)), f"not UTF-8 text (byte {error.start})") from None
    except IsADirectoryError:
        raise InputFileError(Location(str(path)), "is a folder, not a file") from None
    except FileNotFoundError:
        raise InputFileError(Location(str(path)), "file not found") from None
    except OSError as error:
        raise InputFileError(Location(str(path)), f"cannot read: {error.strerror}") from None

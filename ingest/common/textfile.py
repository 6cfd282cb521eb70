"""A CSV or text export as people save it: the encoding, the separator, the header.

Spreadsheets save "CSV" in several ways: UTF-8 with or without BOM, UTF-16 with BOM (Excel's
"Unicode text", tab separated), or the Windows code page (Windows-1258 on a Vietnamese
system, whose tone marks are combining characters: the text is normalised to NFC); with
``;`` (Vietnamese list separator), ``,`` or tab between cells; header names with stray
spaces, quotes or another case. ``decode`` accepts all of that and raises ``UnreadableFile``
(the reason, fit for the quarantine) for anything else: an empty file, bytes that are no
text. ``ingest.common.tabular`` finds the separator and the header.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

DELIMITERS = (";", ",", "\t", "|")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SIGNATURES = {
    b"PK\x03\x04": "a zip archive or an Excel workbook (.xlsx), not a CSV export",
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook (.xls), not a CSV export",
    b"%PDF": "a PDF document, not a CSV export",
}


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str  # NFC, without BOM
    encoding: str  # what it was read as: utf-8, utf-8-sig, utf-16, windows-1258


def decode(data: bytes) -> Decoded:
    """The file's text, from whichever encoding a spreadsheet saved it in."""
    if not data.strip():
        raise UnreadableFile("the file is empty")
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise UnreadableFile(f"the file is {what}")
    for encoding in _candidates(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            continue
        name = "windows-1258" if encoding == "cp1258" else encoding
        return Decoded(unicodedata.normalize("NFC", text.removeprefix("\ufeff")), name)
    raise UnreadableFile("the bytes are not text in UTF-8, UTF-16 or Windows-1258")


def _candidates(data: bytes) -> list[str]:
    if data.startswith(codecs.BOM_UTF8):
        return ["utf-8-sig"]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ["utf-16"]
    head = data[:400]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:  # UTF-16 LE without BOM
        return ["utf-16-le"]
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return ["utf-16-be"]
    return ["utf-8", "cp1258"]


def normalise_name(name: str) -> str:
    """A header cell as a column name: no quotes, spaces or BOM, lower case."""
    return name.strip().strip('"').strip("'").strip().lstrip("\ufeff").lower()

"""A file version as bytes: the spreadsheet export's format, quirks and injected faults.

Format: UTF-8 with BOM, ``;`` separated, CRLF line ends, no quoting, header on line 1, one
row per line from line 2. Amounts use a decimal comma; a file is exported either plain
(``1234567,5``, ``1234567``: no thousands separator, trailing zero decimals dropped) or
grouped (``1.234.567,50``: dot thousands and always two decimals), so a value with dots
is never ambiguous in a clean file. Quirks (not faults): trailing spaces after some codes
and names, empty lines at the end.

Faults, decided per (fault seed, file, version, line):
- ``malformed_rate`` of rows get one defect: ``text_number`` (text in an amount),
  ``ambiguous_number`` (dots, no decimal comma: ``1.234.568`` or ``12.346``),
  ``bad_ky`` (no month: ``2024-13``, ``13/2024``, ``202403``, ``Quý 1/2024``) or ``wrong_columns``
  (a ``;`` inside the group name, or the last cell missing);
- ``malformed_rate`` of files are unreadable as a whole: ``bad_header`` (a column renamed)
  or ``not_text`` (NUL bytes before the text, as a copy broken by a disk error leaves);
  such a file carries no row-level faults;
- ``unknown_code_rate`` of the other rows get an unknown ``ma_nhom_thu`` (``XNK_KHAC``)
  or ``ma_dvhc`` (``900056``: 9 + the real code), unique per row, otherwise well-formed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.faults import FaultConfig
from simulator.hashing import integers, key_of, uniform
from simulator.ngansach.files import COLUMNS, FileVersion

ROW_KINDS = ("text_number", "ambiguous_number", "bad_ky", "wrong_columns")
FILE_KINDS = ("bad_header", "not_text")
AMOUNTS = ("luy_ke_thuc_hien", "du_toan_nam")
TEXTS = ("không có số liệu", "#VALUE!", "N/A", "12a4,5", "—")
EOL = "\r\n"


@dataclass(frozen=True)
class Spoil:
    line: int
    column: str  # "*" for the row as a whole
    kind: str
    sent: str
    expected: str

    def to_dict(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "kind": self.kind,
            "sent": self.sent,
            "expected": self.expected,
        }


@dataclass(frozen=True)
class Rendered:
    content: bytes
    malformed: tuple[Spoil, ...]  # rows that cannot be parsed
    unknown_codes: tuple[Spoil, ...]  # rows that parse but carry an unknown code
    file_defect: str | None


def plain(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def grouped(value: float) -> str:
    whole, frac = f"{abs(value):.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{'-' if value < 0 else ''}{groups},{frac}"


def ambiguous(value: float) -> str:
    if abs(value) >= 1000:
        return f"{round(value):,}".replace(",", ".")
    return f"{value:.3f}"


def render(fv: FileVersion, rows: list[dict], seed: int, faults: FaultConfig) -> Rendered:
    base = key_of("ngansach", fv.name, fv.version) >> 16
    keys = base + np.arange(len(rows), dtype=np.int64)
    style = grouped if uniform(seed, "ns-grouped", base) < 0.3 else plain
    spaced = uniform(seed, "ns-trailing-space", keys) < 0.05
    fs = faults.seed
    defect = None
    if faults.malformed_rate and uniform(fs, "ns-file-defect", base) < faults.malformed_rate:
        defect = FILE_KINDS[int(integers(fs, "ns-file-defect-kind", base, 2))]
    bad = np.zeros(len(rows), bool)
    unknown = np.zeros(len(rows), bool)
    if defect is None:
        bad = uniform(fs, "ns-malformed", keys) < faults.malformed_rate
        unknown = ~bad & (uniform(fs, "ns-unknown", keys) < faults.unknown_code_rate)
    kinds = integers(fs, "ns-malformed-kind", keys, len(ROW_KINDS))
    picks = integers(fs, "ns-pick", keys, 1 << 20)
    lines, malformed, unknowns = [], [], []
    for i, row in enumerate(rows):
        cells = {c: str(row[c]) for c in COLUMNS}
        for c in AMOUNTS:
            cells[c] = style(row[c])
        if spaced[i]:
            cells["ma_dvhc"] += " "
            cells["ten_nhom_thu"] += "  "
        line, pick = i + 2, int(picks[i])
        if bad[i]:
            malformed.append(_spoil(cells, ROW_KINDS[kinds[i]], pick, line, row))
        elif unknown[i]:
            unknowns.append(_unknown(cells, pick, line))
        values = [cells[c] for c in COLUMNS]
        if bad[i] and ROW_KINDS[kinds[i]] == "wrong_columns" and pick % 2:
            values = values[:-1]
        lines.append(";".join(values))
    header = list(COLUMNS)
    if defect == "bad_header":
        header[5] = "Lũy kế thực hiện"
    tail = EOL * int(integers(seed, "ns-blank-lines", base, 3))
    text = EOL.join([";".join(header), *lines]) + EOL + tail
    if defect == "not_text":
        content = b"\x00" * 16 + b"\xef\xbb\xbf" + text.encode("utf-8")
    else:
        content = b"\xef\xbb\xbf" + text.encode("utf-8")
    return Rendered(content, tuple(malformed), tuple(unknowns), defect)


def _spoil(cells: dict[str, str], kind: str, pick: int, line: int, row: dict) -> Spoil:
    if kind in ("text_number", "ambiguous_number"):
        column = AMOUNTS[pick % 2]
        expected = cells[column]
        cells[column] = (
            TEXTS[pick % len(TEXTS)] if kind == "text_number" else ambiguous(row[column])
        )
        return Spoil(line, column, kind, cells[column], expected)
    if kind == "bad_ky":
        year, month = row["ky"].split("-")
        quarter = (int(month) + 2) // 3
        forms = (f"13/{year}", f"{year}{month}", f"Quý {quarter}/{year}", f"{year}-13")
        cells["ky"] = forms[pick % len(forms)]
        return Spoil(line, "ky", kind, cells["ky"], row["ky"])
    if pick % 2:
        return Spoil(line, "*", kind, "7 cột", "8 cột")
    cells["ten_nhom_thu"] = cells["ten_nhom_thu"].replace(" ", "; ", 1)
    return Spoil(line, "*", kind, "9 cột", "8 cột")


def _unknown(cells: dict[str, str], pick: int, line: int) -> Spoil:
    """An unknown code that keeps the row's key unique (it is derived from the real one)."""
    if pick % 2:
        expected = cells["ma_nhom_thu"]
        cells["ma_nhom_thu"] = f"{expected}_KHAC"
        return Spoil(line, "ma_nhom_thu", "unknown_nhom_thu", cells["ma_nhom_thu"], expected)
    expected = cells["ma_dvhc"].strip()
    cells["ma_dvhc"] = f"9{expected:0>5}"
    return Spoil(line, "ma_dvhc", "unknown_dvhc", cells["ma_dvhc"], expected)

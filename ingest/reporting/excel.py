"""Reading one Excel report (sources.md §1, "Excel path") with python-calamine: .xlsx,
.xlsm, .xls (Excel 97-2003) and .ods alike.

Formulas come as their cached values, merged cells as the value of their top-left cell.
The file name says unit, set and period; the header cells must agree (else the file is
refused whole). The period label is read as people type it (``Tháng 03/2024``, ``Quý
II/2024``, ``6 tháng cuối năm``: ``ingest.common.when``). Data rows run from under the
table header to the first row whose ``STT`` and ``Mã chỉ tiêu`` are both empty; section
rows (``I.``: an STT but no code) are skipped. A cell that is not a number where a number
belongs sends its row to quarantine.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ingest.common import parse, when
from ingest.reporting.settings import FILE_PATTERN

SHEET = "BaoCao"
WIDTH = 9  # STT .. Ghi chú
NUMBER_COLUMNS = {4: "ke_hoach_nam", 5: "thuc_hien", 6: "luy_ke", 7: "so_cung_ky_pct"}
TEXT_COLUMNS = {2: "ten_chi_tieu", 3: "don_vi_tinh", 8: "ghi_chu"}
LABELS = {"don_vi": "đơn vị báo cáo", "ky": "kỳ báo cáo", "dia_ban": "địa bàn"}


class FileError(ValueError):
    """The file cannot be read as a report at all: it goes to quarantine whole."""


@dataclass
class ParsedFile:
    rows: list[dict[str, Any]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    rejected: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)


def col(index: int) -> str:
    return chr(ord("A") + index)


def cell_text(value: object) -> str:
    """A cell as text: numbers that are whole lose their ``.0`` (codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def period_of(label: str, year: int | None = None) -> tuple[str, int, int]:
    """(kind, year, number) of a ``Kỳ báo cáo`` label; ``year`` fills in one that has none."""
    try:
        period = when.parse_period(cell_text(label), year)
    except ValueError as exc:
        try:  # "3/2024" typed into a cell Excel turned into the date 2024-03-01
            day = when.parse_local_date(cell_text(label))
        except ValueError:
            day = None
        if day is None or day.day != 1:
            raise FileError(f"Kỳ báo cáo {label!r} không đọc được: {exc}") from None
        return "THANG", day.year, day.month
    return period.kind, period.year, period.number


def read_rows(path: Path) -> list[list[Any]]:
    """The ``BaoCao`` sheet's cells. The workbook's kind is told by its content, not its name
    (an .xlsx renamed .xls is read); an HTML page saved as .xls is refused with what to do."""
    with path.open("rb") as f:
        if f.read(512).lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
            raise FileError("tệp là trang HTML, không phải bảng tính: mở bằng Excel, lưu lại .xlsx")
        f.seek(0)
        try:
            book = CalamineWorkbook.from_filelike(f)
        except Exception as exc:  # calamine raises its own error types for broken files
            raise FileError(f"không đọc được tệp Excel: {exc}") from None
    if SHEET not in book.sheet_names:
        raise FileError(f"không có trang {SHEET} (các trang: {', '.join(book.sheet_names)})")
    rows = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    return [list(r) + [""] * (WIDTH - len(r)) for r in rows]


def header_cells(rows: list[list[Any]], upto: int) -> dict[str, str]:
    """The value right of each label (``Đơn vị báo cáo:`` …) in the rows above the table."""
    found: dict[str, str] = {}
    for r in rows[:upto]:
        for i, value in enumerate(r):
            label = cell_text(value).lower().rstrip(":").strip()
            for key, wanted in LABELS.items():
                if label == wanted and key not in found:
                    found[key] = next((cell_text(v) for v in r[i + 1 :] if cell_text(v)), "")
    return found


def table_header(rows: list[list[Any]]) -> int:
    for i, r in enumerate(rows[:30]):
        if cell_text(r[0]).lower() == "stt" and cell_text(r[1]).lower().startswith("mã chỉ tiêu"):
            return i
    raise FileError("không tìm thấy dòng tiêu đề bảng (STT | Mã chỉ tiêu)")


def parse_file(path: Path, name: str | None = None) -> ParsedFile:
    """Rows of ``so_lieu_excel`` from one file; ``FileError`` if it is unreadable."""
    name = name or path.name
    m = FILE_PATTERN.fullmatch(name)
    if not m:
        raise FileError(
            f"tên tệp {name!r} không theo mẫu "
            "<đơn vị>__<bộ chỉ tiêu>__<năm>-<loại kỳ>-<số kỳ>.xlsx "
            "(ví dụ SO_TC__BCT_KTXH__2024-THANG-3.xlsx)"
        )
    rows = read_rows(path)
    top = table_header(rows)
    head = header_cells(rows, top)
    unit, kind, year, number = m["unit"], m["kind"], int(m["year"]), int(m["number"])
    if head.get("don_vi", "") != unit:
        raise FileError(f"Đơn vị báo cáo {head.get('don_vi')!r} khác tên tệp ({unit})")
    if period_of(head.get("ky", ""), year) != (kind, year, number):
        raise FileError(f"Kỳ báo cáo {head.get('ky')!r} khác tên tệp ({kind} {number}/{year})")
    if not head.get("dia_ban"):
        raise FileError("thiếu Địa bàn")
    common = {
        "ten_tep": name,
        "ma_don_vi": unit,
        "ma_bo_chi_tieu": m["set"],
        "ky_loai": kind,
        "ky_nam": year,
        "ky_so": number,
        "ma_dvhc": head["dia_ban"],
    }
    out = ParsedFile()
    for i in range(top + 1, len(rows)):
        r, excel_row = rows[i], i + 1
        stt, code = cell_text(r[0]), cell_text(r[1])
        if not stt and not code:
            break  # end of the table (signatures may follow)
        if not code:
            continue  # a section row: I., II.
        row, errors = {**common, "stt": stt or None, "ma_chi_tieu": code}, []
        for c, key in TEXT_COLUMNS.items():
            row[key] = cell_text(r[c]) or None
        for c, key in NUMBER_COLUMNS.items():
            value = r[c] if r[c] != "" else None
            if key == "so_cung_ky_pct" and isinstance(value, str):
                value = value.strip().removesuffix("%")  # "101,5%" typed as text
            try:
                row[key] = parse.parse_number(value)
            except ValueError as exc:
                errors.append(f"{name}!{SHEET}!{col(c)}{excel_row}: {exc}")
        where = f"{name}!{SHEET}!A{excel_row}"
        if errors:
            record = {"row": excel_row, "cells": [cell_text(v) for v in r[:WIDTH]]}
            out.rejected.append((record, where, "; ".join(errors)))
        else:
            out.rows.append(row)
            out.refs.append(where)
    return out

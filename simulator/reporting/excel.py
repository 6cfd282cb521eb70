"""The Excel reports of units that do not use the API: content, then xlsx bytes.

Layout (sources.md §1): sheet ``BaoCao``; a merged title on row 1; header cells on rows 2–6
(``Đơn vị báo cáo:``, ``Kỳ báo cáo:``, ``Địa bàn:``, ``Bộ chỉ tiêu:``, ``Ngày lập:``); the
table header on row 8; from row 9 section rows (``I.``, ``II.``: no code) and data rows; a
blank row, then signatures. Real-file quirks, drawn per file/row from the data seed: numbers
typed as text with Vietnamese separators, ``Lũy kế`` as a formula with its cached value,
trailing spaces after codes, an instructions sheet ``HuongDan`` before ``BaoCao``.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field
from datetime import datetime

import xlsxwriter

from simulator.admin_units import province_names
from simulator.clock import from_local_seconds
from simulator.faults import FaultConfig
from simulator.hashing import integers, uniform
from simulator.reporting.catalog import Indicator, indicators
from simulator.reporting.corrupt import NUMBER_TEXTS
from simulator.reporting.rows import vn_number
from simulator.reporting.values import value, year_on_year, year_to_date
from simulator.reporting.world import Report

HEADER = [
    "STT",
    "Mã chỉ tiêu",
    "Tên chỉ tiêu",
    "Đơn vị tính",
    "Kế hoạch năm",
    "Thực hiện kỳ báo cáo",
    "Lũy kế từ đầu năm",
    "So cùng kỳ (%)",
    "Ghi chú",
]
NUMBER_COLUMNS = {"ke_hoach_nam": "E", "thuc_hien": "F", "luy_ke": "G", "so_cung_ky_pct": "H"}
SECTIONS = ("Chỉ tiêu chủ yếu", "Chỉ tiêu khác")
ROMAN = ("I.", "II.")
AGENCY_NAMES = {
    "BAN_DT": "Ban Dân tộc",
    "SO_DTTG": "Sở Dân tộc và Tôn giáo",
    "SO_TTTT": "Sở Thông tin và Truyền thông",
    "SO_KHCN": "Sở Khoa học và Công nghệ",
}
PROVINCE_NAMES = {"56": "tỉnh Khánh Hòa", "58": "tỉnh Ninh Thuận"}
AGENCY_PREFIX = re.compile(r"^(?:NT|T\d{2})_")  # DemoUnits.agency_prefix
FIRST_DATA_ROW = 9


@dataclass
class Line:
    """A data row of the table, as the unit typed it (values before any spoiling)."""

    row: int  # Excel row number (1-based)
    stt: int
    ma_chi_tieu: str
    ten_chi_tieu: str
    don_vi_tinh: str
    ke_hoach_nam: float | None
    thuc_hien: float
    luy_ke: float | None
    so_cung_ky_pct: float | None
    ghi_chu: str
    cells: dict[str, object] = field(default_factory=dict)  # spoiled cells: column -> text


@dataclass
class ExcelReport:
    name: str  # file name
    report: Report
    version: int
    lines: list[Line]
    defects: list[dict]  # {row, cell, field, kind, sent, expected}
    extra_sheet: bool

    @property
    def unit(self) -> str:
        return self.report.unit


def file_name(r: Report) -> str:
    p = r.period
    return f"{r.unit}__{r.indicator_set.code}__{p.year}-{p.kind}-{p.number}.xlsx"


def content(r: Report, version: int, seed: int, cfg: FaultConfig) -> ExcelReport:
    """What the file of ``r`` holds once ``version`` has been sent."""
    by_code = {i.code: i for i in indicators()}
    rng = random.Random(f"{seed}|excel|{r.key}|{version}")
    lines, row = [], FIRST_DATA_ROW
    figures = r.figures[version - 1]
    half = -(-len(figures) // 2)
    for n, f in enumerate(figures):
        if n in (0, half):
            row += 1  # a section row
        ind = by_code[f.code]
        lines.append(
            Line(
                row=row,
                stt=n + 1,
                ma_chi_tieu=f.code + (" " * rng.randint(1, 2) if rng.random() < 0.15 else ""),
                ten_chi_tieu=ind.name,
                don_vi_tinh=ind.unit,
                ke_hoach_nam=f.plan,
                thuc_hien=f.value,
                luy_ke=_ytd(ind, r, f.value, seed),
                so_cung_ky_pct=year_on_year(ind, r.period, r.area, seed, f.value),
                ghi_chu=f.note,
            )
        )
        row += 1
    defects = _defects(lines, r, version, cfg)
    return ExcelReport(file_name(r), r, version, lines, defects, rng.random() < 0.3)


def _ytd(ind: Indicator, r: Report, own: float, seed: int) -> float | None:
    """Lũy kế with the period's own figure as this version states it."""
    ytd = year_to_date(ind, r.period, r.area, seed)
    if ytd is None:
        return None
    return round(ytd - value(ind, r.period, r.area, seed) + own, 4)


def _defects(lines: list[Line], r: Report, version: int, cfg: FaultConfig) -> list[dict]:
    if not (cfg.malformed_rate or cfg.unknown_code_rate):
        return []
    keys = [(r.key * 4 + version) * 1000 + i for i in range(len(lines))]
    bad = uniform(cfg.seed, "reporting-excel-bad", keys) < cfg.malformed_rate
    unknown = uniform(cfg.seed, "reporting-excel-unknown", keys) < cfg.unknown_code_rate
    which = integers(cfg.seed, "reporting-excel-which", keys, 6)
    out = []
    for i, line in enumerate(lines):
        if bad[i]:
            filled = [k for k in NUMBER_COLUMNS if getattr(line, k) is not None]
            name = filled[int(which[i]) % len(filled)]
            cell = f"{NUMBER_COLUMNS[name]}{line.row}"
            text = NUMBER_TEXTS[int(which[i])]
            line.cells[NUMBER_COLUMNS[name]] = text
            out.append(
                {
                    "row": line.row,
                    "cell": cell,
                    "field": name,
                    "kind": "text_number",
                    "sent": text,
                    "expected": getattr(line, name),
                }
            )
        if unknown[i]:
            code = f"XX_{int(which[i]) * 100 + i:03d}"
            out.append(
                {
                    "row": line.row,
                    "cell": f"B{line.row}",
                    "field": "ma_chi_tieu",
                    "kind": "unknown_indicator",
                    "sent": code,
                    "expected": line.ma_chi_tieu.strip(),
                }
            )
            line.ma_chi_tieu = code
    return out


def xlsx_bytes(x: ExcelReport, seed: int) -> bytes:
    r = x.report
    rng = random.Random(f"{seed}|excel-style|{r.key}|{x.version}")
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    sent = from_local_seconds(r.sent_at(x.version)).replace(tzinfo=None)
    wb.set_properties({"created": datetime(2020, 1, 1), "author": r.unit})
    bold = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True})
    if x.extra_sheet:
        guide = wb.add_worksheet("HuongDan")
        guide.write("A1", "Hướng dẫn: nhập số liệu từ dòng 9, không sửa mã chỉ tiêu.")
        guide.write("A2", "Số thập phân dùng dấu phẩy (,), phân cách hàng nghìn dấu chấm (.).")
    ws = wb.add_worksheet("BaoCao")
    ws.merge_range("A1:I1", f"BÁO CÁO {r.indicator_set.name.upper()}", bold)
    base = AGENCY_PREFIX.sub("", r.unit)
    province = PROVINCE_NAMES.get(r.area.code) or province_names().get(r.area.code, "")
    unit_name = f"{AGENCY_NAMES.get(base, base)} {province}".strip()
    ws.write("A2", "Đơn vị báo cáo:")
    ws.write("B2", r.unit + (" " if rng.random() < 0.3 else ""))
    ws.merge_range("C2:F2", unit_name)
    ws.write("A3", "Kỳ báo cáo:")
    ws.write("B3", r.period.label)
    ws.write("A4", "Địa bàn:")
    ws.write_string("B4", r.area.code)
    ws.write("A5", "Bộ chỉ tiêu:")
    ws.write("B5", r.indicator_set.code)
    ws.write("A6", "Ngày lập:")
    ws.write("B6", f"{sent:%d/%m/%Y}")
    for c, title in enumerate(HEADER):
        ws.write(7, c, title, bold)
    first = x.lines[0].row if x.lines else FIRST_DATA_ROW
    half = -(-len(x.lines) // 2)
    for n, line in enumerate(x.lines):
        if n in (0, half):
            sec = line.row - 1
            ws.write(sec - 1, 0, ROMAN[0 if n == 0 else 1])
            ws.merge_range(sec - 1, 2, sec - 1, 8, SECTIONS[0 if n == 0 else 1], bold)
        _write_line(ws, line, rng)
    end = (x.lines[-1].row if x.lines else first) + 2
    ws.write(end - 1, 2, "NGƯỜI LẬP BIỂU", bold)
    ws.merge_range(end - 1, 6, end - 1, 8, "THỦ TRƯỞNG ĐƠN VỊ", bold)
    ws.write(end, 2, "(Ký, ghi rõ họ tên)")
    ws.merge_range(end, 6, end, 8, "(Ký tên, đóng dấu)")
    ws.write(end + 4, 2, "Nguyễn Thị Lan")
    ws.merge_range(end + 4, 6, end + 4, 8, "Trần Văn Hùng")
    wb.close()
    return buf.getvalue()


def _write_line(ws, line: Line, rng: random.Random) -> None:
    r0 = line.row - 1
    ws.write_number(r0, 0, line.stt)
    ws.write_string(r0, 1, line.ma_chi_tieu)
    ws.write_string(r0, 2, line.ten_chi_tieu)
    ws.write_string(r0, 3, line.don_vi_tinh)
    for name, col in NUMBER_COLUMNS.items():
        c = ord(col) - ord("A")
        v = getattr(line, name)
        if col in line.cells:
            ws.write_string(r0, c, str(line.cells[col]))
        elif v is None:
            continue
        elif name == "luy_ke":
            own = f"F{line.row}"
            rest = round(v - line.thuc_hien, 4)
            formula = f"={own}+{rest}" if rest else f"={own}"
            ws.write_formula(r0, c, formula, None, v)
        elif rng.random() < 0.12:
            ws.write_string(r0, c, vn_number(v))  # a number typed as text, "1.234.567"
        else:
            ws.write_number(r0, c, v)
    if line.ghi_chu:
        ws.write_string(r0, 8, line.ghi_chu)

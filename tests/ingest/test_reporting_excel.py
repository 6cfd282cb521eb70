"""The Excel parser on messy hand-made files (built here, independently of the simulator)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds
import pytest
import xlsxwriter

from ingest.common.drops import DropFile
from ingest.common.ledger import Ledger
from ingest.reporting import load_excel
from ingest.reporting.excel import FileError, parse_file

NAME = "SO_KHCN__BCT_DTI_NAM__2024-NAM-1.xlsx"
MONTH = "NT_BAN_DT__BCT_DTTS_THANG__2024-THANG-3.xlsx"


def messy(path: Path, period: str = "Năm 2024", unit: str = "SO_KHCN ", bad: bool = False) -> Path:
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet("HuongDan").write("A1", "Hướng dẫn nhập liệu")
    ws = wb.add_worksheet("BaoCao")
    ws.merge_range("A1:I1", "BÁO CÁO CHỈ TIÊU CHUYỂN ĐỔI SỐ")
    ws.write("A2", "Đơn vị báo cáo:")
    ws.write("B2", unit)
    ws.merge_range("C2:F2", "Sở Khoa học và Công nghệ")
    ws.write("A3", "Kỳ báo cáo:")
    ws.write("B3", period)
    ws.write("A4", "Địa bàn:")
    ws.write_number("B4", 56)  # a code typed as a number
    header = ["STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kế hoạch năm"]
    header += ["Thực hiện kỳ báo cáo", "Lũy kế từ đầu năm", "So cùng kỳ (%)", "Ghi chú"]
    ws.write_row("A8", header)
    ws.write("A9", "I.")
    ws.merge_range("C9:I9", "Chỉ tiêu chủ yếu")
    ws.write_row("A10", [1, "DTI_DIEM  ", "Điểm DTI", "điểm", "", 0.5432])
    ws.write_formula("G10", "=F10", None, 0.5432)
    ws.write_row("A11", [2, "GN_SO_HO_THOAT_NGHEO", "Số hộ thoát nghèo", "hộ", "1.234.567"])
    ws.write_string("F11", "12,5")
    ws.write_formula("G11", "=F11+1000", None, 1012.5)
    ws.write_string("H11", "chưa có số liệu" if bad else "101,5")
    ws.write("A12", "II.")
    ws.merge_range("C12:I12", "Chỉ tiêu khác")
    ws.write_row("A13", [3, " DTI_XEP_HANG", "Thứ hạng DTI", "hạng", None, 20, None, 95.2, "ước"])
    ws.write("C16", "NGƯỜI LẬP BIỂU")
    ws.merge_range("G16:I16", "THỦ TRƯỞNG ĐƠN VỊ")
    ws.write("C20", "Nguyễn Thị Lan")
    wb.close()
    return path


def test_a_messy_file_is_read_as_typed(tmp_path) -> None:
    parsed = parse_file(messy(tmp_path / NAME))
    assert not parsed.rejected
    rows = {r["ma_chi_tieu"]: r for r in parsed.rows}
    assert list(rows) == ["DTI_DIEM", "GN_SO_HO_THOAT_NGHEO", "DTI_XEP_HANG"]
    assert rows["DTI_DIEM"]["luy_ke"] == 0.5432  # the formula's cached value
    assert rows["DTI_DIEM"]["ke_hoach_nam"] is None
    g = rows["GN_SO_HO_THOAT_NGHEO"]
    assert (g["ke_hoach_nam"], g["thuc_hien"], g["luy_ke"], g["so_cung_ky_pct"]) == (
        1234567.0,
        12.5,
        1012.5,
        101.5,
    )
    x = rows["DTI_XEP_HANG"]
    assert (x["stt"], x["thuc_hien"], x["ghi_chu"], x["ma_dvhc"]) == ("3", 20.0, "ước", "56")
    assert (x["ma_don_vi"], x["ky_loai"], x["ky_nam"], x["ky_so"]) == ("SO_KHCN", "NAM", 2024, 1)
    assert parsed.refs == [f"{NAME}!BaoCao!A10", f"{NAME}!BaoCao!A11", f"{NAME}!BaoCao!A13"]


def test_a_bad_cell_sends_its_row_to_quarantine_by_address(tmp_path) -> None:
    parsed = parse_file(messy(tmp_path / NAME, bad=True))
    assert [r["ma_chi_tieu"] for r in parsed.rows] == ["DTI_DIEM", "DTI_XEP_HANG"]
    [(record, where, reason)] = parsed.rejected
    assert where == f"{NAME}!BaoCao!A11" and f"{NAME}!BaoCao!H11" in reason
    assert "chưa có số liệu" in reason and record["row"] == 11


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        (MONTH, {"period": "Tháng 4/2024", "unit": "NT_BAN_DT"}, "Kỳ báo cáo"),
        (MONTH, {"period": "Tháng 3/2024", "unit": "BAN_DT"}, "Đơn vị báo cáo"),
        (NAME, {"period": "Quý 1/2024"}, "Kỳ báo cáo"),
    ],
)
def test_a_header_that_contradicts_the_file_name_is_refused(tmp_path, name, kwargs, message):
    with pytest.raises(FileError, match=message):
        parse_file(messy(tmp_path / name, **kwargs))


def test_the_month_label_of_a_monthly_file_is_understood(tmp_path) -> None:
    parsed = parse_file(messy(tmp_path / MONTH, period="Tháng 3/2024", unit="NT_BAN_DT"))
    assert {(r["ky_loai"], r["ky_nam"], r["ky_so"]) for r in parsed.rows} == {("THANG", 2024, 3)}


def test_unreadable_files_go_to_quarantine_whole_and_the_run_goes_on(tmp_path) -> None:
    from ingest.common.settings import WarehousePaths

    paths = WarehousePaths(tmp_path / "wh")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "SO_KHCN__BCT_DTI_NAM__2023-NAM-1.xlsx").write_bytes(b"not a workbook")
    wb = xlsxwriter.Workbook(drop / "SO_KHCN__BCT_DTI_NAM__2022-NAM-1.xlsx")
    wb.add_worksheet("Sheet1").write("A1", "x")
    wb.close()
    messy(drop / NAME)
    results = [load_excel(DropFile.read(p), paths) for p in sorted(drop.iterdir())]
    assert [(r.rows_loaded, r.rows_quarantined) for r in results] == [(0, 1), (0, 1), (3, 0)]
    folder = paths.meta / "quarantine" / "reporting__so_lieu_excel"
    reasons = sorted(ds.dataset(folder, format="parquet").to_table()["reason"].to_pylist())
    assert "không có trang BaoCao" in reasons[0] and "không đọc được tệp xlsx" in reasons[1]
    ledger = Ledger(paths.meta).entries("reporting", "so_lieu_excel").to_pylist()
    assert all(e["message"].startswith("sha256=") for e in ledger)
    assert (paths.lake / "reporting" / "_raw").is_dir()  # archived as received

"""The Excel parser on messy hand-made files (built here, independently of the simulator)."""

from __future__ import annotations

import unicodedata
import zipfile
from datetime import datetime
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


def messy(
    path: Path, period: str | datetime = "Năm 2024", unit: str = "SO_KHCN ", bad: bool = False
) -> Path:
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet("HuongDan").write("A1", "Hướng dẫn nhập liệu")
    ws = wb.add_worksheet("BaoCao")
    ws.merge_range("A1:I1", "BÁO CÁO CHỈ TIÊU CHUYỂN ĐỔI SỐ")
    ws.write("A2", "Đơn vị báo cáo:")
    ws.write("B2", unit)
    ws.merge_range("C2:F2", "Sở Khoa học và Công nghệ")
    ws.write("A3", "Kỳ báo cáo:")
    if isinstance(period, datetime):  # what Excel makes of "3/2024" typed into a cell
        ws.write_datetime("B3", period, wb.add_format({"num_format": "mmm-yy"}))
    else:
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
    ws.write_string("H11", "chưa có số liệu" if bad else "101,5% ")
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
    assert "không có trang BaoCao" in reasons[0] and "không đọc được tệp Excel" in reasons[1]
    ledger = Ledger(paths.meta).entries("reporting", "so_lieu_excel").to_pylist()
    assert all(e["message"].startswith("sha256=") for e in ledger)
    assert (paths.lake / "reporting" / "_raw").is_dir()  # archived as received


QUARTER = "SO_TC__BCT_KTXH_QUY__2024-QUY-2.xlsx"


@pytest.mark.parametrize(
    ("name", "label", "period"),
    [
        (QUARTER, "Quý II/2024", ("QUY", 2024, 2)),
        (QUARTER, "Quý 2 năm 2024", ("QUY", 2024, 2)),
        (QUARTER, "QII/2024", ("QUY", 2024, 2)),
        (QUARTER, "  quý 02 / 2024 ", ("QUY", 2024, 2)),
        (QUARTER, unicodedata.normalize("NFD", "QUÝ II NĂM 2024"), ("QUY", 2024, 2)),
        (QUARTER, "Quý II", ("QUY", 2024, 2)),  # the year from the file name
        (MONTH, "tháng 03 năm 2024", ("THANG", 2024, 3)),
        (MONTH, "T3/2024", ("THANG", 2024, 3)),
        (MONTH, "Tháng III/2024", ("THANG", 2024, 3)),
        (MONTH, datetime(2024, 3, 1), ("THANG", 2024, 3)),  # "3/2024" that Excel made a date
        ("SO_TC__BCT_KTXH_6T__2024-6THANG-2.xlsx", "6 tháng cuối năm", ("6THANG", 2024, 2)),
        ("SO_TC__BCT_KTXH_6T__2024-6THANG-1.xlsx", "6 tháng đầu năm 2024", ("6THANG", 2024, 1)),
        ("SO_TC__BCT_KTXH_9T__2024-9THANG-1.xlsx", "9 tháng 2024", ("9THANG", 2024, 1)),
        ("SO_TC__BCT_KTXH_9T__2024-9THANG-1.xls", "9 tháng đầu năm 2024", ("9THANG", 2024, 1)),
        (NAME, "2024", ("NAM", 2024, 1)),
        (NAME, "Năm 2024", ("NAM", 2024, 1)),
    ],
)
def test_period_labels_as_people_type_them(tmp_path, name, label, period) -> None:
    unit = name.split("__")[0]
    path = messy(tmp_path / "book.xlsx", period=label, unit=unit).rename(tmp_path / name)
    parsed = parse_file(path)  # an .xlsx renamed .xls is read by its content
    assert {(r["ky_loai"], r["ky_nam"], r["ky_so"]) for r in parsed.rows} == {period}


def test_a_label_of_another_period_is_refused_with_both(tmp_path) -> None:
    with pytest.raises(FileError, match=r"'Quý III/2024' khác tên tệp \(QUY 2/2024\)"):
        parse_file(messy(tmp_path / QUARTER, period="Quý III/2024", unit="SO_TC"))
    with pytest.raises(FileError, match="'Quý' không đọc được"):
        parse_file(messy(tmp_path / QUARTER, period="Quý", unit="SO_TC"))


def test_misnamed_and_unreadable_files_are_quarantined_and_failed_in_the_ledger(tmp_path):
    from ingest.common.settings import WarehousePaths
    from ingest.reporting import list_drops

    paths = WarehousePaths(tmp_path / "wh")
    drop = tmp_path / "drop"
    drop.mkdir()
    messy(drop / "bao cao so KHCN nam 2024.xlsx")  # a good sheet under a name that does not fit
    messy(drop / "SO_KHCN__BCT_DTI_NAM__2024-NAM-1 (1).xlsx")  # a browser's second download
    (drop / "SO_KHCN__BCT_DTI_NAM__2023-NAM-1.xlsx").write_bytes(b"")  # empty
    (drop / "SO_KHCN__BCT_DTI_NAM__2022-NAM-1.xls").write_text(
        "<html><body><table><tr><td>STT</td></tr></table></body></html>"  # a web system's "xls"
    )
    (drop / "~$SO_KHCN__BCT_DTI_NAM__2024-NAM-1.xlsx").write_bytes(b"lock")  # Excel's lock
    messy(drop / "SO_KHCN__BCT_DTI_NAM__2024-NAM-01.XLSX")  # upper case, a leading zero: fine
    results = {f.path.name: load_excel(f, paths) for f in list_drops(drop)}
    assert len(results) == 5 and not any(n.startswith("~$") for n in results)
    loaded = results["SO_KHCN__BCT_DTI_NAM__2024-NAM-01.XLSX"]
    assert (loaded.rows_loaded, loaded.rows_quarantined) == (3, 0)
    folder = paths.meta / "quarantine" / "reporting__so_lieu_excel"
    reasons = ds.dataset(folder, format="parquet").to_table()["reason"].to_pylist()
    for name in (
        "bao cao so KHCN nam 2024.xlsx",
        "SO_KHCN__BCT_DTI_NAM__2024-NAM-1 (1).xlsx",
        "SO_KHCN__BCT_DTI_NAM__2023-NAM-1.xlsx",
        "SO_KHCN__BCT_DTI_NAM__2022-NAM-1.xls",
    ):
        [reason] = [r for r in reasons if r.startswith(f"{name}: ")]
        assert ("không theo mẫu" in reason) == (" " in name)
    assert any("trang HTML" in r and "lưu lại .xlsx" in r for r in reasons)
    ledger = Ledger(paths.meta).entries("reporting", "so_lieu_excel").to_pylist()
    assert sorted(e["status"] for e in ledger) == ["failed"] * 4 + ["landed"]  # validation promotes


def test_a_misnamed_file_is_quarantined_once_and_named_on_later_runs(tmp_path, caplog):
    from ingest.common.settings import WarehousePaths
    from ingest.reporting import run

    paths = WarehousePaths(tmp_path / "wh")
    drop = tmp_path / "drop"
    drop.mkdir()
    misnamed = messy(drop / "bao cao so KHCN nam 2024.xlsx")
    until = datetime(2025, 1, 1)
    [first] = run(None, drop, paths, until)
    assert first.rows_quarantined == 1
    with caplog.at_level("WARNING", logger="ingest.common.drops"):
        assert run(None, drop, paths, until) == []  # not quarantined again
    [said] = [r.getMessage() for r in caplog.records if str(misnamed) in r.getMessage()]
    assert "quarantined on" in said and "rename it" in said
    ledger = Ledger(paths.meta).entries("reporting", "so_lieu_excel").to_pylist()
    assert [(e["load_id"], e["status"]) for e in ledger] == [(first.load_id, "failed")]
    misnamed.rename(drop / "SO_KHCN__BCT_DTI_NAM__2024-NAM-1.xlsx")  # renamed: it loads
    [renamed] = run(None, drop, paths, until)
    assert (renamed.rows_loaded, renamed.rows_quarantined) == (3, 0)


def ods(path: Path, rows: list[list[object]]) -> Path:
    """An OpenDocument spreadsheet written by hand (what LibreOffice saves): sheet BaoCao."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
            "</table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="BaoCao">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def test_a_libreoffice_spreadsheet_is_read_like_a_workbook(tmp_path) -> None:
    name = "SO_TC__BCT_KTXH_QUY__2024-QUY-02.ods"
    header = ["STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kế hoạch năm"]
    header += ["Thực hiện kỳ báo cáo", "Lũy kế từ đầu năm", "So cùng kỳ (%)", "Ghi chú"]
    path = ods(
        tmp_path / name,
        [
            ["BÁO CÁO KINH TẾ - XÃ HỘI QUÝ"],
            ["Đơn vị báo cáo:", "SO_TC"],
            ["Kỳ báo cáo:", "Quý II/2024"],
            ["Địa bàn:", "56"],
            [],
            [],
            [],
            header,
            [1, "KT_THU_NSNN", "Thu ngân sách", "tỷ đồng", "12.000", 2750.5, "5.100,25", None],
            [None, None, None, None],
            [None, None, "NGƯỜI LẬP BIỂU"],
        ],
    )
    parsed = parse_file(path)
    assert not parsed.rejected
    [row] = parsed.rows
    assert (row["ky_loai"], row["ky_nam"], row["ky_so"], row["ma_dvhc"]) == ("QUY", 2024, 2, "56")
    assert (row["ke_hoach_nam"], row["thuc_hien"], row["luy_ke"]) == (12000.0, 2750.5, 5100.25)
    assert parsed.refs == [f"{name}!BaoCao!A9"]

"""Budget CSV exports as people save them, written here by hand (not by the simulator): the
same three rows in every encoding, separator, decimal mark, month and date style a
spreadsheet produces land identically; files that cannot be read, or whose name does not
say their month, are quarantined whole with the reason and recorded in the ledger."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from ingest import ngansach
from ingest.common.ledger import QUARANTINE_SCHEMA, Ledger
from ingest.common.settings import WarehousePaths
from tests.ingest.conftest import promoted

UNTIL = datetime(2026, 11, 1)
NAME = "thu_ngan_sach_202403.csv"
PREPARED = datetime(2024, 4, 8, 9, 30)
# What every variant below says, worked out by hand.
EXPECTED = [
    ("2024-03", "56", "TINH", "NOI_DIA", "Thu nội địa", 1234567.5, 15000000.0),
    ("2024-03", "56", "TINH", "XNK", "Thu xuất khẩu, nhập khẩu", 2400.0, 30000.25),
    ("2024-02", "56", "HUYEN", "NOI_DIA_DAT", "Thu tiền sử dụng đất", -12.5, 0.0),
]
HEADER = "ky;ma_dvhc;cap_ngan_sach;ma_nhom_thu;ten_nhom_thu;luy_ke_thuc_hien;du_toan_nam;ngay_lap"

T = "2024-04-08T09:30:00+07:00"
VARIANTS = {
    # the spec's own format: UTF-8 with BOM, ';', grouped decimal comma, ISO time with offset
    "spec": "\ufeff"
    + HEADER
    + "\r\n"
    + f"2024-03;56;TINH;NOI_DIA;Thu nội địa;1.234.567,50;15.000.000,00;{T}\r\n"
    + f"2024-03;56;TINH;XNK;Thu xuất khẩu, nhập khẩu;2.400,00;30.000,25;{T}\r\n"
    + f"2024-02;56;HUYEN;NOI_DIA_DAT;Thu tiền sử dụng đất;-12,50;0,00;{T}\r\n",
    # no BOM, LF, plain decimal comma, the time in UTC ('Z') and without seconds
    "utf8_no_bom_utc": HEADER
    + "\n"
    + "2024-03;56;TINH;NOI_DIA;Thu nội địa;1234567,5;15000000;2024-04-08T02:30:00Z\n"
    + "2024-03;56;TINH;XNK;Thu xuất khẩu, nhập khẩu;2400;30000,25;2024-04-08 09:30\n"
    + "2024-02;56;HUYEN;NOI_DIA_DAT;Thu tiền sử dụng đất;-12,5;0;08/04/2024 09:30\n\n\n",
    # an English-locale export: ',' separated, quoted text, decimal point, thousands commas
    "comma_decimal_point": HEADER.replace(";", ",")
    + "\r\n"
    + '2024-03,56,TINH,NOI_DIA,Thu nội địa,"1,234,567.50","15,000,000.00",2024-04-08 09:30:00\r\n'
    + '2024-03,56,TINH,XNK,"Thu xuất khẩu, nhập khẩu",2400,30000.25,2024-04-08 09:30:00\r\n'
    + "2024-02,56,HUYEN,NOI_DIA_DAT,Thu tiền sử dụng đất,-12.5,0,2024-04-08 09:30:00\r\n",
    # ';' separated but a decimal point (a machine export): the values say which mark
    "semicolon_decimal_point": HEADER
    + "\n"
    + f"2024-03;56;TINH;NOI_DIA;Thu nội địa;1234567.5;15000000;{T}\n"
    + f"2024-03;56;TINH;XNK;Thu xuất khẩu, nhập khẩu;2400;30000.25;{T}\n"
    + f"2024-02;56;HUYEN;NOI_DIA_DAT;Thu tiền sử dụng đất;-12.5;0.0;{T}\n",
    # columns in another order, header in capitals with spaces, two empty trailing columns,
    # months as people type them, spaces as thousands, a day-first date and an Excel serial
    "reordered_labels": " KY ; MA_DVHC ;Ngay_Lap;cap_ngan_sach;ma_nhom_thu;ten_nhom_thu;"
    "du_toan_nam;luy_ke_thuc_hien;;\r\n"
    + "Tháng 3/2024;56 ;08/04/2024 9:30;TINH;NOI_DIA;Thu nội địa  ;15 000 000;1 234 567,5;;\r\n"
    + "T03/2024;56;45390.3958333333;TINH;XNK;Thu xuất khẩu, nhập khẩu;30000,25;2400;;\r\n"
    + "02/2024;56;2024-04-08T09:30;HUYEN;NOI_DIA_DAT;Thu tiền sử dụng đất;0;-12,5;;\r\n",
    # a title and a blank row above the header, a cell with line breaks typed in it (Alt+Enter:
    # quoted, LF inside CRLF rows), an empty spreadsheet row, months as the first day of the
    # month (a typed month that the spreadsheet turned into a date)
    "title_and_line_breaks": "BÁO CÁO THU NGÂN SÁCH THÁNG 3/2024;;;;;;;\r\n;;;;;;;\r\n"
    + HEADER
    + "\r\n"
    + f"01/03/2024;56;TINH;NOI_DIA;Thu nội địa;1.234.567,50;15.000.000,00;{T}\r\n"
    + f'2024-03-01;56;TINH;XNK;"Thu xuất khẩu,\nnhập khẩu";2.400,00;30.000,25;{T}\r\n'
    + ";;;;;;;\r\n"
    + f'2024-02;56;HUYEN;NOI_DIA_DAT;"Thu tiền\n  sử dụng đất";-12,50;0,00;{T}\r\n',
}


def encoded(name: str) -> bytes:
    return VARIANTS[name].encode("utf-8")


def utf16_tab() -> bytes:
    """Excel's "Unicode text": UTF-16 LE with BOM, tab separated."""
    return "\ufeff".encode("utf-16-le") + VARIANTS["spec"].removeprefix("\ufeff").replace(
        ";", "\t"
    ).encode("utf-16-le")


TONES = "\u0300\u0301\u0303\u0309\u0323"  # the combining marks code page 1258 has


def windows_1258() -> bytes:
    """A Vietnamese Windows "CSV (Comma delimited)": code page 1258, where a letter with a
    tone is the base letter (â, ơ, ư… are single bytes) followed by a combining tone mark."""
    out = []
    for ch in VARIANTS["spec"].removeprefix("\ufeff"):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)))
        out.append(tones)
    return "".join(out).encode("cp1258")


FILES = {name: (lambda n=name: encoded(n)) for name in VARIANTS} | {
    "utf16_tab": utf16_tab,
    "windows_1258": windows_1258,
}


def lake_rows(paths: WarehousePaths) -> list[tuple]:
    table = ds.dataset(
        paths.lake / "ngansach" / "thu_ngan_sach", format="parquet", partitioning="hive"
    ).to_table()
    columns = ["ky", "ma_dvhc", "cap_ngan_sach", "ma_nhom_thu", "ten_nhom_thu"]
    columns += ["luy_ke_thuc_hien", "du_toan_nam", "ngay_lap"]
    return sorted(tuple(r[c] for c in columns) for r in table.to_pylist())


def quarantine(paths: WarehousePaths) -> list[dict]:
    folder = paths.meta / "quarantine" / "ngansach__thu_ngan_sach"
    if not folder.exists():
        return []
    return pq.read_table(folder, schema=QUARANTINE_SCHEMA).to_pylist()


@pytest.mark.parametrize("variant", sorted(FILES))
def test_every_export_variant_lands_the_same_rows(tmp_path, variant) -> None:
    drop, paths = tmp_path / "drop", WarehousePaths(tmp_path / "wh")
    drop.mkdir()
    (drop / NAME).write_bytes(FILES[variant]())
    [result] = promoted(paths, ngansach.run(drop, paths, UNTIL))
    assert (result.rows_loaded, result.rows_quarantined) == (3, 0), quarantine(paths)
    # The Excel serial 45390.3958333333 is 2024-04-08 09:30 to the second.
    want = sorted((*row, PREPARED) for row in EXPECTED)
    assert lake_rows(paths) == want
    for row in lake_rows(paths):
        assert unicodedata.is_normalized("NFC", row[4])


def test_a_row_is_numbered_by_the_line_it_starts_on(tmp_path) -> None:
    """Rows after a cell with line breaks keep their own line numbers (lake and quarantine);
    a quote never closed makes one row of the lines it swallows, rejected with why, and
    the rows before it still land."""
    drop, paths = tmp_path / "drop", WarehousePaths(tmp_path / "wh")
    drop.mkdir()
    (drop / NAME).write_bytes(encoded("title_and_line_breaks"))
    [result] = promoted(paths, ngansach.run(drop, paths, UNTIL))
    assert (result.rows_loaded, result.rows_quarantined) == (3, 0)
    refs = ds.dataset(paths.lake / "ngansach" / "thu_ngan_sach", partitioning="hive").to_table()
    # lines: 1 title, 2 blank row, 3 header, 4, 5-6 (a break in a cell), 7 empty, 8-9
    assert sorted(refs["_source_ref"].to_pylist()) == [f"{NAME}#line={n}" for n in (4, 5, 8)]
    body = HEADER + "\n" + "2024-03;56;TINH;NOI_DIA;Thu nội địa;1,5;2;2024-04-08\n"
    body += '2024-03;56;TINH;XNK;"Thu xuất khẩu;2,5;3;2024-04-08\n'
    body += "2024-03;56;TINH;DAU_THO;Thu từ dầu thô;7,5;1;2024-04-08\n"
    name = "thu_ngan_sach_202405.csv"
    (drop / name).write_text(body, encoding="utf-8")
    [result] = ngansach.run(drop, paths, UNTIL)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    [bad] = [q for q in quarantine(paths) if q["load_id"] == result.load_id]
    assert bad["reason"] == (
        f"{name} line 3, column *: expected 8 columns, found 5 "
        "(a quote opened on line 3 runs to line 4)"
    )
    assert bad["raw_location"] == f"{name}#line=3" and "Thu từ dầu thô" in bad["record"]


def test_the_workbook_itself_lands_the_same_rows(tmp_path) -> None:
    """The spreadsheet dropped as it was saved (.xlsx), not exported: a notes sheet first, a
    title above the header, number cells (the decimal point is the workbook's, ``1.5`` is
    not one thousand five hundred), a month typed as a date and as text, the time a date
    cell; a bad cell named by sheet and row."""
    drop, paths = tmp_path / "drop", WarehousePaths(tmp_path / "wh")
    drop.mkdir()
    path = drop / "Thu_Ngan_Sach_2024_03.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Ghi chú").write(0, 0, "Số liệu do Sở Tài chính lập")
    sheet = book.add_worksheet("Thu NS")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write(0, 0, "BÁO CÁO THU NGÂN SÁCH THÁNG 3/2024")
    sheet.write_row(2, 0, [c.upper() for c in HEADER.split(";")])
    rows = [
        (datetime(2024, 3, 1), "56", "TINH", "NOI_DIA", "Thu nội địa", 1234567.5, 15000000),
        ("Tháng 3/2024", 56, "TINH", "XNK", "Thu xuất khẩu, nhập khẩu", 2400, 30000.25),
        ("02/2024", "56", "HUYEN", "NOI_DIA_DAT", "Thu tiền sử dụng đất", -12.5, 0),
        ("2024-03", "56", "TINH", "VIEN_TRO", "Thu viện trợ", 1.5, 3),
        ("2024-03", "56", "TINH", "DAU_THO", "Thu từ dầu thô", "không rõ", 3),
    ]
    for i, row in enumerate(rows, start=3):
        for j, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(i, j, value, day)
            else:
                sheet.write(i, j, value)
        sheet.write_datetime(i, 7, PREPARED, day)
    book.close()
    [result] = promoted(paths, ngansach.run(drop, paths, UNTIL))
    assert (result.rows_loaded, result.rows_quarantined) == (4, 1)
    extra = ("2024-03", "56", "TINH", "VIEN_TRO", "Thu viện trợ", 1.5, 3.0, PREPARED)
    assert lake_rows(paths) == sorted([(*row, PREPARED) for row in EXPECTED] + [extra])
    [bad] = quarantine(paths)
    assert bad["reason"] == (
        f"{path.name} sheet 'Thu NS', row 8, column luy_ke_thuc_hien: 'không rõ' is not a "
        "number with a decimal point (1234.5 or 1,234.50)"
    )
    assert bad["raw_location"] == f"{path.name}!Thu NS!A8"
    table = ds.dataset(paths.lake / "ngansach" / "thu_ngan_sach", partitioning="hive").to_table()
    assert f"{path.name}!Thu NS!A4" in table["_source_ref"].to_pylist()


def test_when_no_value_tells_the_mark_a_point_file_keeps_its_point(tmp_path) -> None:
    """Every other amount whole: a ','-separated file's quoted 1,234 is a thousands group or a
    decimal comma (refused, never read as 1.234); a workbook's number cell 1.234 is 1.234."""
    drop, paths = tmp_path / "drop", WarehousePaths(tmp_path / "wh")
    drop.mkdir()
    body = HEADER.replace(";", ",") + "\n"
    body += '2024-03,56,TINH,NOI_DIA,Thu nội địa,"1,234",2400,2024-04-08\n'
    body += "2024-03,56,TINH,XNK,Thu xuất nhập khẩu,12,30,2024-04-08\n"
    (drop / NAME).write_text(body, encoding="utf-8")
    path = drop / "thu_ngan_sach_202404.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Thu")
    sheet.write_row(0, 0, HEADER.split(";"))
    sheet.write_row(1, 0, ["2024-04", "56", "TINH", "XNK", "Thu xuất nhập khẩu", 1.234, 30])
    sheet.write_row(1, 7, ["2024-05-08"])
    sheet.write_row(2, 0, ["2024-04", "56", "TINH", "NOI_DIA", "Thu nội địa", 12, 30])
    sheet.write_row(2, 7, ["2024-05-08"])
    book.close()
    csv_load, book_load = ngansach.run(drop, paths, UNTIL)
    [bad] = [q for q in quarantine(paths) if q["load_id"] == csv_load.load_id]
    assert bad["reason"] == (
        f"{NAME} line 2, column luy_ke_thuc_hien: '1,234' is not a number with a decimal point "
        "(1234.5 or 1,234.50)"
    )
    assert (book_load.rows_loaded, book_load.rows_quarantined) == (2, 0)
    promoted(paths, book_load)
    landed = {r[3]: r[5] for r in lake_rows(paths) if r[0] == "2024-04"}
    assert landed == {"XNK": 1.234, "NOI_DIA": 12.0}


def test_a_date_written_as_a_date_is_read_as_midnight(tmp_path) -> None:
    """The province's exports wrote ngay_lap as 2024-05-20: every row used to be quarantined."""
    drop, paths = tmp_path / "drop", WarehousePaths(tmp_path / "wh")
    drop.mkdir()
    body = "\ufeff" + HEADER + "\r\n"
    body += "2024-04;56;TINH;NOI_DIA;Thu nội địa;1.500,00;15.000,00;2024-05-20\r\n"
    body += "2024-04;56;TINH;XNK;Thu xuất nhập khẩu;200,00;2.400,00;2024-05-20\r\n"
    (drop / "thu_ngan_sach_202404.csv").write_text(body, encoding="utf-8")
    [result] = promoted(paths, ngansach.run(drop, paths, UNTIL))
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert {row[-1] for row in lake_rows(paths)} == {datetime(2024, 5, 20)}
    [entry] = Ledger(paths.meta).entries("ngansach", "thu_ngan_sach").to_pylist()
    assert (entry["status"], entry["rows_loaded"]) == ("success", 2)


def test_a_files_data_reach_the_newest_month_of_its_rows(tmp_path) -> None:
    """The ledger says how far a file's data reach from its rows, not its name: the spec's
    file of March (rows of March and February) reaches 1 April; a file named for May that
    restates only April reaches 1 May."""
    drop, paths = tmp_path / "drop", WarehousePaths(tmp_path / "wh")
    drop.mkdir()
    (drop / NAME).write_bytes(FILES["spec"]())
    body = "\ufeff" + HEADER + "\r\n"
    body += "2024-04;56;TINH;NOI_DIA;Thu nội địa;1.600,00;15.000,00;2024-06-03\r\n"
    (drop / "thu_ngan_sach_202405.csv").write_text(body, encoding="utf-8")
    results = promoted(paths, ngansach.run(drop, paths, UNTIL))
    entries = Ledger(paths.meta).entries("ngansach", "thu_ngan_sach").to_pylist()
    reach = {e["load_id"]: e["data_until"] for e in entries}
    assert [reach[r.load_id] for r in results] == [datetime(2024, 4, 1), datetime(2024, 5, 1)]


def test_bad_cells_are_named_with_what_was_expected(tmp_path) -> None:
    drop, paths = tmp_path / "drop", WarehousePaths(tmp_path / "wh")
    drop.mkdir()
    body = HEADER + "\n"
    body += "2024-03;56;TINH;NOI_DIA;Thu nội địa;1.234,5;1.000,0;hôm qua\n"
    body += "Quý 1/2024;56;TINH;XNK;Thu xuất nhập khẩu;2,5;1,0;2024-04-08\n"
    body += "2024-03;56;TINH;VIEN_TRO;Thu viện trợ;1.234;1,0;2024-04-08\n"
    body += "2024-03;56;TINH;DAU_THO;Thu từ dầu thô;7,5;1,0;05/20/2024\n"
    (drop / NAME).write_text(body, encoding="utf-8")
    [result] = ngansach.run(drop, paths, UNTIL)
    assert (result.rows_loaded, result.rows_quarantined) == (0, 4)
    reasons = sorted(r["reason"] for r in quarantine(paths))
    assert reasons == [
        f"{NAME} line 2, column ngay_lap: 'hôm qua' is not a date or time "
        "(2024-05-20, 20/05/2024, 2024-05-20T08:30:00+07:00)",
        f"{NAME} line 3, column ky: 'Quý 1/2024' is not a month (2024-03, 03/2024, Tháng 3/2024)",
        f"{NAME} line 4, column luy_ke_thuc_hien: '1.234' is not a number with a decimal comma "
        "(1234,5 or 1.234,50)",
        f"{NAME} line 5, column ngay_lap: '05/20/2024' is not a date or time "
        "(2024-05-20, 20/05/2024, 2024-05-20T08:30:00+07:00)",
    ]


UNREADABLE = {
    # name: (bytes, what the reason says)
    "thu_ngan_sach_202401.csv": (b"", "the file is empty"),
    "thu_ngan_sach_202402.csv": (("\ufeff" + HEADER + "\r\n\r\n").encode(), "no data rows"),
    "thu_ngan_sach_202403.csv": (
        b"PK\x03\x04\x14\x00\x06\x00rest of a workbook",
        "the workbook cannot be read",
    ),
    "thu_ngan_sach_202404.csv": (
        (
            HEADER.replace("du_toan_nam", "Dự toán") + "\n2024-04;56;TINH;XNK;x;1;2;2024-05-01\n"
        ).encode(),
        "lacks the columns du_toan_nam",
    ),
    "thu_ngan_sach_202407.csv": (
        ('"Báo cáo thu tháng 7\n' + HEADER + "\n2024-07;56;TINH;XNK;x;1;2;2024-08-01\n").encode(),
        "a quote opened above the header is not closed before it",
    ),
    "thu ngan sach thang 5.csv": (
        (HEADER + "\n2024-05;56;TINH;XNK;x;1;2;2024-06-01\n").encode(),
        "the name does not fit thu_ngan_sach_<YYYYMM>.csv",
    ),
    "ghi chú.txt": ("Gửi kèm số liệu tháng 5".encode(), "the name does not fit"),
}


def test_every_file_in_the_folder_is_loaded_or_quarantined_with_its_reason(
    tmp_path, caplog
) -> None:
    drop, paths = tmp_path / "drop", WarehousePaths(tmp_path / "wh")
    drop.mkdir()
    for name, (data, _) in UNREADABLE.items():
        (drop / name).write_bytes(data)
    (drop / "thu_ngan_sach_2024_06.CSV").write_bytes(encoded("spec"))  # a liberal name
    (drop / "~$thu_ngan_sach_202406.csv").write_bytes(b"Excel's lock file")  # never a drop
    results = promoted(paths, ngansach.run(drop, paths, UNTIL))
    by_file = {r.load_id.split("__")[0]: r for r in results}
    assert sorted(by_file) == sorted([Path(n).stem for n in UNREADABLE] + ["thu_ngan_sach_2024_06"])
    assert by_file["thu_ngan_sach_2024_06"].rows_loaded == 3
    quarantined = quarantine(paths)
    ledger = {e["load_id"]: e for e in Ledger(paths.meta).entries("ngansach", "thu_ngan_sach")
              .to_pylist()}  # fmt: skip
    for name, (_, why) in UNREADABLE.items():
        result = by_file[Path(name).stem]
        assert result.rows_loaded == 0 and result.rows_quarantined >= 1
        mine = [q for q in quarantined if q["load_id"] == result.load_id]
        assert mine and all(q["reason"].startswith(name) and why in q["reason"] for q in mine)
        entry = ledger[result.load_id]
        assert entry["status"] == "failed" and why in entry["message"]
        assert entry["message"].startswith(name)
    # Still there on the next run: an unreadable file is tried again (its quarantine
    # replaced, not added to); a misnamed one is not quarantined again, but named in the log.
    with caplog.at_level(logging.WARNING, logger="ingest.common.drops"):
        again = ngansach.run(drop, paths, UNTIL)
    misnamed = [n for n in UNREADABLE if "does not fit" in UNREADABLE[n][1]]
    assert sorted(r.load_id for r in again) == sorted(
        by_file[Path(n).stem].load_id for n in UNREADABLE if n not in misnamed
    )
    assert len(quarantine(paths)) == len(quarantined)
    for name in misnamed:
        [said] = [r.getMessage() for r in caplog.records if f"/{name} (ngansach)" in r.getMessage()]
        assert "quarantined on" in said and "rename it" in said
    entries = Ledger(paths.meta).entries("ngansach", "thu_ngan_sach").to_pylist()
    attempts = [e for e in entries if e["load_id"] == by_file["thu ngan sach thang 5"].load_id]
    assert len(attempts) == 1  # one attempt, on the first run
    # New content under the same wrong name is a new file: quarantined, once.
    (drop / "ghi chú.txt").write_text("Gửi lại số liệu tháng 5", encoding="utf-8")
    [new] = [r for r in ngansach.run(drop, paths, UNTIL) if r.load_id.startswith("ghi chú__")]
    assert new.load_id != by_file["ghi chú"].load_id and new.rows_quarantined == 1


def test_the_command_line_connector_loads_the_drop_folder(tmp_path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    # the validation the command runs refuses a negative year-to-date revenue: two rows only
    two_rows = encoded("spec").decode("utf-8").splitlines(keepends=True)[:3]
    (drop / NAME).write_text("".join(two_rows), encoding="utf-8")
    env = {
        **os.environ,
        "IOC_WAREHOUSE": str(tmp_path / "wh"),
        "AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR": str(drop),
    }
    out = subprocess.run(
        [sys.executable, "-m", "ingest.ngansach", "--until", "2024-05-01"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert f"{Path(NAME).stem}__" in out and ": success, 2 rows, 0 quarantined" in out
    want = sorted((*r, PREPARED) for r in EXPECTED[:2])
    assert lake_rows(WarehousePaths(tmp_path / "wh")) == want

"""The stewards' ``revalidate`` on loads made for the purpose (no pipeline run needed)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations import steward
from ingest.common.lake import with_load_columns
from ingest.common.ledger import Ledger, LedgerEntry
from ingest.dulich.contracts import THONG_KE_THANG

LOAD_ID = "thong_ke_thang_202609"


def _load_folder(warehouse: Path) -> Path:
    folder = warehouse / "lake" / "dulich" / "thong_ke_thang" / f"load_id={LOAD_ID}"
    folder.mkdir(parents=True)
    return folder


def _record_success(warehouse: Path, load_id: str, month: int) -> None:
    """The ledger's entry of a load of the month (2026), a success; the suite checks the
    load against its window."""
    window = datetime(2026, month, 1), datetime(2026, month + 1, 1)
    done = datetime(2026, month + 1, 6)
    Ledger(warehouse / "lake" / "_meta").record(
        LedgerEntry(load_id, "dulich", "thong_ke_thang", *window, done, done, "success", 1, 1)
    )


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "warehouse"
    monkeypatch.setenv("IOC_WAREHOUSE", str(root))
    monkeypatch.delenv("IOC_LAKE", raising=False)
    return root


def test_table_without_rows_shows_its_headers() -> None:
    assert steward.table(["Tiêu chí", "Kết quả"], []).splitlines() == [
        "Tiêu chí  Kết quả",
        "--------  -------",
    ]


def test_revalidate_a_load_without_rows_says_nothing_was_checked(warehouse, capsys) -> None:
    folder = _load_folder(warehouse)  # files without rows: GE has no batch to run on
    schema = with_load_columns(THONG_KE_THANG.schema)
    pq.write_table(schema.empty_table(), folder / "part-0.parquet")
    _record_success(warehouse, LOAD_ID, 9)
    assert steward.main(["revalidate", LOAD_ID]) == 0
    out = capsys.readouterr().out
    assert "không có dòng nào" in out and "ĐẠT" not in out
    assert not (warehouse / "lake" / "_meta" / "dq_results").exists()  # earlier results kept


def _one_row(folder: Path) -> None:
    row = {
        "ky": "2026-09",
        "ma_dvhc": "56",
        "loai_so_lieu": "CHINH_THUC",
        "tong_luot_khach": 30,
        "khach_quoc_te": 10,
        "khach_noi_dia": 20,
        "ngay_cong_bo": datetime(2026, 10, 5),
        "_load_id": LOAD_ID,
        "_extracted_at": datetime(2026, 10, 6),
        "_source_ref": "thong-ke/2026-09/56",
    }
    schema = with_load_columns(THONG_KE_THANG.schema)
    pq.write_table(pa.Table.from_pylist([row], schema), folder / "part-1.parquet")


def test_revalidate_a_load_missing_from_the_ledger_names_it(warehouse, capsys) -> None:
    """A load folder in the lake that the ledger does not know (put there by hand, or its
    ledger lost): its window is unknown, so it is not checked, and the steward is told."""
    folder = _load_folder(warehouse)
    _one_row(folder)
    _record_success(warehouse, "thong_ke_thang_202608", 8)  # another load is in it
    assert steward.main(["revalidate", LOAD_ID]) == 2
    out = capsys.readouterr().out
    assert f"Lần nạp {LOAD_ID} của dulich.thong_ke_thang" in out
    assert "không có trong sổ nạp" in out and str(folder) in out
    assert not (warehouse / "lake" / "_meta" / "dq_results").exists()


def test_revalidate_rebuilds_the_data_docs(warehouse, capsys) -> None:
    folder = _load_folder(warehouse)
    schema = with_load_columns(THONG_KE_THANG.schema)
    pq.write_table(schema.empty_table(), folder / "part-0.parquet")  # an empty file, too
    _one_row(folder)
    _record_success(warehouse, LOAD_ID, 9)
    steward.main(["revalidate", LOAD_ID])
    out = capsys.readouterr().out
    site = warehouse / "dq" / "data_docs"
    assert "Data Docs" in out and (site / "index.html").is_file()
    pages = sorted((site / "validations" / "dulich" / "thong_ke_thang").rglob("*.html"))
    assert len(pages) == 1 and "Succeeded" in pages[0].read_text(encoding="utf-8")
    assert "dulich/thong_ke_thang" in (site / "index.html").read_text(encoding="utf-8")


def test_revalidate_a_load_whose_ledger_entry_has_no_window_names_it(warehouse, capsys) -> None:
    """A success entry without its window (written by hand, or by an older connector): the
    suite checks the publication date against the window, so the load is not checked, and
    the steward is told which load and what is missing, instead of GE's parameter error."""
    folder = _load_folder(warehouse)
    _one_row(folder)
    done = datetime(2026, 10, 6)
    Ledger(warehouse / "lake" / "_meta").record(
        LedgerEntry(LOAD_ID, "dulich", "thong_ke_thang", None, None, done, done, "success", 1, 1)
    )
    assert steward.main(["revalidate", LOAD_ID]) == 2
    out = capsys.readouterr().out
    assert f"Lần nạp {LOAD_ID} của dulich.thong_ke_thang ({folder})" in out
    assert "không ghi kỳ dữ liệu (thiếu window_start)" in out
    assert not (warehouse / "lake" / "_meta" / "dq_results").exists()

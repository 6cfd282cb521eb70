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
    assert steward.main(["revalidate", LOAD_ID]) == 0
    out = capsys.readouterr().out
    assert "không có dòng nào" in out and "ĐẠT" not in out
    assert not (warehouse / "lake" / "_meta" / "dq_results").exists()  # earlier results kept


def test_revalidate_rebuilds_the_data_docs(warehouse, capsys) -> None:
    folder = _load_folder(warehouse)
    schema = with_load_columns(THONG_KE_THANG.schema)
    pq.write_table(schema.empty_table(), folder / "part-0.parquet")  # an empty file, too
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
    pq.write_table(pa.Table.from_pylist([row], schema), folder / "part-1.parquet")
    window = datetime(2026, 9, 1), datetime(2026, 10, 1)  # the suite checks against it
    Ledger(warehouse / "lake" / "_meta").record(
        LedgerEntry(
            LOAD_ID,
            "dulich",
            "thong_ke_thang",
            *window,
            datetime(2026, 10, 6),
            datetime(2026, 10, 6),
            "success",
            1,
            1,
        )
    )
    steward.main(["revalidate", LOAD_ID])
    out = capsys.readouterr().out
    site = warehouse / "dq" / "data_docs"
    assert "Data Docs" in out and (site / "index.html").is_file()
    pages = sorted((site / "validations" / "dulich" / "thong_ke_thang").rglob("*.html"))
    assert len(pages) == 1 and "Succeeded" in pages[0].read_text(encoding="utf-8")
    assert "dulich/thong_ke_thang" in (site / "index.html").read_text(encoding="utf-8")

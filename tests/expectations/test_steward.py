"""The stewards' ``revalidate`` on loads made for the purpose (no pipeline run needed), in a
one-province lake and in a many-province one (ingest/common/lake.py, live_dir)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations import steward
from ingest.common.lake import live_dir, with_load_columns
from ingest.common.ledger import Ledger, LedgerEntry
from ingest.common.settings import WarehousePaths
from ingest.dulich.contracts import THONG_KE_THANG

LOAD_ID = "thong_ke_thang_202609"


def _load_folder(warehouse: Path) -> Path:
    folder = warehouse / "lake" / "dulich" / "thong_ke_thang" / f"load_id={LOAD_ID}"
    folder.mkdir(parents=True)
    return folder


def _record_success(warehouse: Path, load_id: str, month: int, meta: Path | None = None) -> None:
    """The ledger's entry of a load of the month (2026), a success; the suite checks the
    load against its window. In ``meta`` (a province's), else the one province's lake's."""
    window = datetime(2026, month, 1), datetime(2026, month + 1, 1)
    done = datetime(2026, month + 1, 6)
    Ledger(meta or warehouse / "lake" / "_meta").record(
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


def _one_row(folder: Path, unit: str = "56") -> None:
    row = {
        "ky": "2026-09",
        "ma_dvhc": unit,
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


def _province_load(warehouse: Path, province: str) -> WarehousePaths:
    """A load of September 2026 in ``province``'s part of a many-province lake (its one row
    from the province's own unit), its success in the province's ledger."""
    paths = WarehousePaths(warehouse).for_province(province)
    folder = live_dir(paths.lake, "dulich", "thong_ke_thang", LOAD_ID)
    folder.mkdir(parents=True)
    _one_row(folder, unit=province)
    _record_success(warehouse, LOAD_ID, 9, meta=paths.meta)
    return paths


def _results(meta: Path) -> list[Path]:
    return sorted((meta / "dq_results").rglob("*.parquet"))


def test_revalidate_a_province_load_reads_its_province_ledger(warehouse, capsys) -> None:
    """Hà Nội's load (…/thong_ke_thang/province=01/load_id=…) is found, its window read from
    Hà Nội's ledger, checked with Hà Nội's suite (its unit 01 is one of the province's) and
    its results kept in Hà Nội's _meta."""
    hanoi = _province_load(warehouse, "01")
    assert steward.main(["revalidate", LOAD_ID]) == 0
    out = capsys.readouterr().out
    assert f"lần nạp province=01/{LOAD_ID}" in out and "ĐẠT" in out
    (written,) = _results(hanoi.meta)
    assert written.name == f"{LOAD_ID}.parquet"
    statuses = pq.read_table(written, columns=["check_name", "status"]).to_pylist()
    assert {r["status"] for r in statuses} == {"pass"}, statuses  # 01 is no unit of Khánh Hòa
    assert not (warehouse / "lake" / "_meta").exists()


def test_revalidate_a_load_id_of_two_provinces_names_them(warehouse, capsys) -> None:
    """Two provinces loaded the same month under the same load id: the bare id is
    ambiguous (exit 2, both named, nothing checked); ``province=<code>/<id>`` picks one."""
    khanh_hoa, hanoi = _province_load(warehouse, "56"), _province_load(warehouse, "01")
    assert steward.main(["revalidate", LOAD_ID]) == 2
    out = capsys.readouterr().out
    assert f"Có 2 lần nạp mang mã {LOAD_ID}" in out
    assert f"province=01/{LOAD_ID}" in out and f"province=56/{LOAD_ID}" in out
    assert not _results(khanh_hoa.meta) and not _results(hanoi.meta)
    assert steward.main(["revalidate", f"province=56/{LOAD_ID}"]) == 0
    assert len(_results(khanh_hoa.meta)) == 1 and not _results(hanoi.meta)


def test_revalidate_a_province_load_is_not_checked_against_another_ledger(
    warehouse, capsys
) -> None:
    """Hà Nội's load whose success only the one province's ledger records (another lake's
    load of that id): Hà Nội's ledger does not know it, so it is not checked."""
    hanoi = WarehousePaths(warehouse).for_province("01")
    folder = live_dir(hanoi.lake, "dulich", "thong_ke_thang", LOAD_ID)
    folder.mkdir(parents=True)
    _one_row(folder, unit="01")
    _record_success(warehouse, LOAD_ID, 9)
    assert steward.main(["revalidate", LOAD_ID]) == 2
    out = capsys.readouterr().out
    assert "không có trong sổ nạp" in out and str(hanoi.meta / "load_ledger") in out


def test_revalidate_names_the_one_provinces_load_beside_a_provinces(warehouse, capsys) -> None:
    """A lake being converted: the one province's load and Khánh Hòa's share the id. The
    bare id is refused naming both choices; the one province's load is named by its folder
    below the lake (its bare id names both), Khánh Hòa's by ``province=56/<id>``."""
    top = _load_folder(warehouse)
    _one_row(top)
    _record_success(warehouse, LOAD_ID, 9)
    khanh_hoa = _province_load(warehouse, "56")
    assert steward.main(["revalidate", LOAD_ID]) == 2
    out = capsys.readouterr().out
    folder_name = f"dulich/thong_ke_thang/load_id={LOAD_ID}"
    assert f"    {folder_name}  (dulich.thong_ke_thang: {top})" in out
    assert f"    province=56/{LOAD_ID}  (dulich.thong_ke_thang: " in out
    top_meta = warehouse / "lake" / "_meta"
    assert not _results(top_meta) and not _results(khanh_hoa.meta)
    assert steward.main(["revalidate", folder_name]) == 0
    assert f"lần nạp {LOAD_ID}\n" in capsys.readouterr().out
    assert len(_results(top_meta)) == 1 and not _results(khanh_hoa.meta)
    assert steward.main(["revalidate", f"dulich/thong_ke_thang/province=56/load_id={LOAD_ID}"]) == 0
    assert len(_results(khanh_hoa.meta)) == 1
    assert steward.main(["revalidate", f"dulich/../_meta/load_id={LOAD_ID}"]) == 2
    assert "Không tìm thấy lần nạp" in capsys.readouterr().out


def _blocked(entry_of: dict[Path, LedgerEntry], warehouse: Path) -> str:
    for meta, entry in entry_of.items():
        Ledger(meta).record(entry)
    shown = io.StringIO()
    steward.blocked(WarehousePaths(warehouse), shown)
    return shown.getvalue()


def test_status_lists_a_provinces_blocked_load(warehouse) -> None:
    """``steward status`` lists the loads kept out of the live lake from every ledger: Hà
    Nội's failed load (its own ledger, province=01/_meta) is named as dq.dq_check_result
    names it, beside the one province's rejected one; Khánh Hòa's success is not listed."""
    started = datetime(2026, 10, 6, 1)
    window = datetime(2026, 9, 1), datetime(2026, 10, 1)

    def entry(status: str, message: str) -> LedgerEntry:
        return LedgerEntry(
            LOAD_ID, "dulich", "thong_ke_thang", *window, started, started, status, 3, 0, 3,
            message=message,
        )  # fmt: skip

    lake = warehouse / "lake"
    shown = _blocked(
        {
            lake / "province=01" / "_meta": entry("failed", "3 of 3 records quarantined"),
            lake / "province=56" / "_meta": entry("success", ""),
            lake / "_meta": entry("rejected", "ngay_cong_bo out of the window"),
        },
        warehouse,
    )
    assert f"province=01/{LOAD_ID}  Lỗi" in shown and "3 of 3 records quarantined" in shown
    assert f"  {LOAD_ID}  Bị loại" in shown and "ngay_cong_bo out of the window" in shown
    assert "province=56" not in shown

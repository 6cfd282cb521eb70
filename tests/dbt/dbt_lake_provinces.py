"""A small many-province lake: the hand-made lakes of tests/dbt moved into the Hive layout
of many provinces (<source>/<dataset>/province=56/load_id=<id>/, ingest/common/lake.py), and
a second province, Hà Nội (01), whose portal sent its own dossiers: the demo's June and
July dossier records again under Hà Nội's codes (its departments T01_…, the city's own code
as the unit), one of them never sent. write_provinces_meta adds what the runs record beside
the data (_meta: load ledger, quarantine, failed runs, period closes), in each province's
part of the lake and in the one province's."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pyarrow.parquet as pq

from ingest.common.ledger import Ledger, LedgerEntry, Quarantine
from ingest.common.settings import WarehousePaths
from ioc.calendar import Period
from ioc.run_records import record_close, record_failure
from tests.dbt.dbt_lake import JULY, JUNE, LOAD_JULY, LOAD_JUNE, t, write_load

SOURCES = ("reporting", "dichvucong", "ngansach", "dulich", "giaoduc")


def as_province(lake: Path, province: str) -> None:
    """Move every load folder of a one-province lake under province=<code>."""
    for source in SOURCES:
        for load in sorted((lake / source).glob("*/load_id=*")):
            target = load.parent / f"province={province}" / load.name
            target.parent.mkdir(exist_ok=True)
            load.rename(target)


def hanoi(record: dict) -> dict:
    return {
        **record,
        "MaHoSo": "H01" + record["MaHoSo"][3:],
        "MaCoQuan": "T01_" + record["MaCoQuan"].removeprefix("NT_"),
        "CapThucHien": "TINH",
        "MaDVHC": "01",
    }


def write_provinces_lake(lake: Path) -> None:
    """The lake as written so far becomes Khánh Hòa's (56); Hà Nội's dossiers are added."""
    as_province(lake, "56")
    hanoi_lake = lake / ".hanoi"  # written as one province's lake, then moved into the tables
    for load_id, records, extracted in (
        (LOAD_JUNE, JUNE[:6], "2025-07-01T01:00"),  # without D7, a dossier never sent
        (LOAD_JULY, JULY, "2025-08-01T01:00"),
    ):
        path = write_load(hanoi_lake, "ho_so", load_id, [hanoi(r) for r in records], t(extracted))
        table = lake / "dichvucong" / "ho_so" / "province=01" / path.parent.name
        table.parent.mkdir(parents=True, exist_ok=True)
        path.parent.rename(table)
    shutil.rmtree(hanoi_lake)


def _dossier_load(month: int, status: str, started: datetime, rows: int, bad: int) -> LedgerEntry:
    window = datetime(2025, month, 1), datetime(2025, month + 1, 1)
    return LedgerEntry(
        f"ho_so_2025-{month:02d}",
        "dichvucong",
        "ho_so",
        *window,
        started,
        started,
        status,
        rows + bad,
        rows if status == "success" else 0,
        bad,
        message=f"tháng {month}",
    )


def _record_before_data_until(ledger: Ledger, entry: LedgerEntry) -> None:
    """The attempt's file as ledgers wrote it before they had ``data_until``: every reader
    still reads it (dbt on both engines: the column is null)."""
    ledger.record(entry)
    path = ledger.path(entry.source, entry.load_id, entry.started_at)
    pq.write_table(pq.read_table(path).drop_columns(["data_until"]), path)


def write_provinces_meta(root: Path) -> None:
    """The _meta of a warehouse at ``root``: Khánh Hòa's June dossiers failed (too many rows
    quarantined), then loaded with 2 quarantined; Hà Nội's June and July loaded; the one
    province's lake (a lake being converted) holds a budget load without a window (its ledger
    file written before the ledger had ``data_until``), a failed task and a month's close."""
    khanh_hoa, hanoi = (Ledger(root / "lake" / f"province={p}" / "_meta") for p in ("56", "01"))
    khanh_hoa.record(_dossier_load(6, "failed", datetime(2025, 7, 1, 1), 0, 9))
    khanh_hoa.record(_dossier_load(6, "success", datetime(2025, 7, 1, 2), 6, 2))
    hanoi.record(_dossier_load(6, "success", datetime(2025, 7, 1, 1), 6, 0))
    hanoi.record(_dossier_load(7, "success", datetime(2025, 8, 1, 1), 5, 0))
    started = datetime(2025, 7, 2, 3)
    _record_before_data_until(
        Ledger(root / "lake" / "_meta"),
        LedgerEntry("tnns.csv", "ngansach", "thu_ngan_sach", None, None, started, status="landed"),
    )
    rejected = [
        {
            "load_id": "ho_so_2025-06",
            "dataset": "ho_so",
            "reason": f"trang {page}: NgayTiepNhan: không phải ngày",
            "raw_location": f"trang {page}",
            "record": "{}",
            "quarantined_at": datetime(2025, 7, 1, 2, 4),
        }
        for page in (1, 2)
    ]
    Quarantine(khanh_hoa.meta).write("dichvucong", "ho_so", "ho_so_2025-06", rejected)
    paths = WarehousePaths(root)
    record_failure(paths, "ingest_ngansach", "r1", "extract", -1, 3, None, started, "lỗi mạng")
    june = Period("month", date(2025, 6, 1), date(2025, 6, 30), date(2025, 7, 10))
    record_close(paths, june, datetime(2025, 7, 10, 1), "close_month", "r2", started, "manual")

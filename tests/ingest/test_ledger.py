"""The ledger decides where the next pull starts; a rejected load leaves the live lake."""

from __future__ import annotations

from datetime import datetime, timedelta

from expectations.checkpoint import reject
from ingest.common.ledger import Ledger, LedgerEntry
from ingest.common.settings import WarehousePaths

JAN, FEB, MAR, APR = (datetime(2024, m, 1) for m in (1, 2, 3, 4))


def attempt(ledger: Ledger, start: datetime, end: datetime, status: str, minute: int) -> None:
    at = datetime(2024, 5, 1) + timedelta(minutes=minute)
    ledger.record(
        LedgerEntry(f"ho_so_{start:%Y%m}", "dichvucong", "ho_so", start, end, at, at, status)
    )


def test_watermark_follows_the_latest_attempt_of_each_load(tmp_path) -> None:
    ledger = Ledger(tmp_path)
    assert ledger.watermark("dichvucong", "ho_so") is None
    for i, (start, end) in enumerate([(JAN, FEB), (FEB, MAR), (MAR, APR)]):
        attempt(ledger, start, end, "success", i)
    assert ledger.watermark("dichvucong", "ho_so") == APR
    attempt(ledger, FEB, MAR, "rejected", 10)  # February failed a blocking check later
    assert ledger.watermark("dichvucong", "ho_so") == FEB
    attempt(ledger, FEB, MAR, "success", 20)  # pulled again, and good this time
    assert ledger.watermark("dichvucong", "ho_so") == APR
    attempt(ledger, MAR, APR, "failed", 30)  # a failed re-pull does not undo a good load
    assert ledger.watermark("dichvucong", "ho_so") == APR


def test_a_rejected_load_leaves_the_live_lake_and_is_pulled_again(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    live = paths.lake / "dichvucong" / "ho_so" / "load_id=ho_so_202402"
    live.mkdir(parents=True)
    (live / "part-00000.parquet").write_bytes(b"rows")
    attempt(Ledger(paths.meta), FEB, MAR, "success", 0)
    load = {
        "source": "dichvucong",
        "dataset": "ho_so",
        "load_id": "ho_so_202402",
        "window": [FEB.isoformat(), MAR.isoformat()],
        "rows": 7,
        "quarantined": 1,
    }
    reject(paths, load, "dichvucong.ho_so load ho_so_202402 failed 1 blocking check(s)")
    assert not live.exists()
    kept = paths.meta / "rejected" / "dichvucong__ho_so" / "load_id=ho_so_202402"
    assert (kept / "part-00000.parquet").read_bytes() == b"rows"
    entries = Ledger(paths.meta).entries("dichvucong", "ho_so").to_pylist()
    assert [e["status"] for e in entries] == ["success", "rejected"]
    assert "blocking" in entries[1]["message"] and entries[1]["rows_quarantined"] == 7
    assert Ledger(paths.meta).watermark("dichvucong", "ho_so") == FEB

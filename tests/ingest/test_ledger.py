"""The ledger decides where the next pull starts; a rejected load never enters the live lake."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest.common import lifecycle
from ingest.common.lake import LoadWriter
from ingest.common.landing import landing
from ingest.common.ledger import Ledger, LedgerEntry
from ingest.common.settings import WarehousePaths
from ingest.common.windows import Window

JAN, FEB, MAR, APR = (datetime(2024, m, 1) for m in (1, 2, 3, 4))
SCHEMA = pa.schema([("MaHoSo", pa.string())])


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
    attempt(ledger, MAR, APR, "landed", 40)  # waiting for its checks: changes nothing yet
    assert ledger.watermark("dichvucong", "ho_so") == APR


def test_a_window_that_never_went_live_is_pulled_again(tmp_path) -> None:
    """A backfill whose February quarantined too much: March went live, February did not."""
    ledger = Ledger(tmp_path)
    attempt(ledger, JAN, FEB, "success", 0)
    attempt(ledger, FEB, MAR, "failed", 1)
    attempt(ledger, MAR, APR, "success", 2)
    assert ledger.watermark("dichvucong", "ho_so") == FEB


def land(paths: WarehousePaths, codes: list[str], started: datetime) -> dict:
    w = LoadWriter(paths.lake, "dichvucong", "ho_so", "ho_so_202402", SCHEMA, started)
    with landing(paths.meta, w, Window(FEB, MAR)) as load:
        w.write(pa.table({"MaHoSo": codes}, SCHEMA), pa.array([f"#record={c}" for c in codes]))
        load.rows_in = len(codes)
    return load.result().to_dict()


def test_a_rejected_load_stays_out_of_the_live_lake_and_is_pulled_again(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    live = lifecycle.promote(paths, land(paths, ["H1"], datetime(2024, 3, 2)))
    again = land(paths, ["H1", "H2"], datetime(2024, 4, 2))  # a re-run of February
    reason = "dichvucong.ho_so load ho_so_202402 failed 1 blocking check(s)"
    kept = lifecycle.reject(paths, again, reason, [])
    assert pq.read_table(live)["MaHoSo"].to_pylist() == ["H1"]  # the live copy untouched
    assert kept == paths.meta / "rejected" / "dichvucong__ho_so" / "load_id=ho_so_202402"
    assert pq.read_table(kept)["MaHoSo"].to_pylist() == ["H1", "H2"]
    assert not list((paths.lake / "_staging").rglob("*.parquet"))
    entries = Ledger(paths.meta).entries("dichvucong", "ho_so").to_pylist()
    assert [e["status"] for e in entries] == ["success", "rejected"]
    assert "blocking" in entries[1]["message"] and entries[1]["rows_loaded"] == 0
    checks = pq.read_table(paths.meta / "quarantine" / "dichvucong__ho_so").to_pylist()
    assert len(checks) == 1 and "cả 2 dòng" in checks[0]["reason"]
    assert Ledger(paths.meta).watermark("dichvucong", "ho_so") == FEB
    with pytest.raises(lifecycle.IllegalMove, match="from rejected to success"):
        lifecycle.promote(paths, again)

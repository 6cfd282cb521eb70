"""``landing``: a load that ends well is staged, quarantined and recorded as landed, and
enters the live lake when promoted; one that breaks off leaves no trace in the lake, only a
failed attempt in the ledger."""

from __future__ import annotations

import re
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest.common import lifecycle
from ingest.common.lake import LoadWriter
from ingest.common.landing import Landing, landing
from ingest.common.ledger import Ledger
from ingest.common.settings import REPO_ROOT, WarehousePaths
from ingest.common.windows import Window

SCHEMA = pa.schema([("ma", pa.string())])
MARCH = Window(datetime(2024, 3, 1), datetime(2024, 4, 1))
STARTED = datetime(2024, 4, 2, 8, 30)
LEDGER_TIMES = ("started_at", "finished_at")


def writer(paths: WarehousePaths, started: datetime = STARTED) -> LoadWriter:
    return LoadWriter(paths.lake, "nguon", "bang", "bang_202403", SCHEMA, started)


def quarantine_row(reason: str) -> dict:
    return {
        "load_id": "bang_202403",
        "dataset": "bang",
        "reason": reason,
        "raw_location": "page=1#record=2",
        "record": "{}",
        "quarantined_at": STARTED,
    }


def entries(paths: WarehousePaths) -> list[dict]:
    return Ledger(paths.meta).entries("nguon", "bang").to_pylist()


def write(w: LoadWriter, codes: list[str]) -> None:
    w.write(pa.table({"ma": codes}, SCHEMA), pa.array([f"page=1#{c}" for c in codes]))


def test_a_load_that_ends_well_is_staged_quarantined_recorded_then_promoted(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    w = writer(paths)
    with landing(paths.meta, w, MARCH) as load:
        write(w, ["a", "b"])
        load.rows_in, load.duplicates, load.message = 4, 1, "1 repeated records skipped"
        load.rejected.append(quarantine_row("field ma: required value is missing"))
    staged = paths.lake / "_staging" / "nguon" / "bang" / "load_id=bang_202403"
    folder = paths.lake / "nguon" / "bang" / "load_id=bang_202403"
    assert pq.read_table(staged)["ma"].to_pylist() == ["a", "b"]
    assert not folder.exists()  # not live before its checks
    assert not w.staging_dir.exists()
    quarantined = pq.read_table(paths.meta / "quarantine" / "nguon__bang" / "bang_202403.parquet")
    assert quarantined["reason"].to_pylist() == ["field ma: required value is missing"]
    [entry] = entries(paths)
    assert entry["started_at"] == STARTED <= entry["finished_at"]
    assert {k: v for k, v in entry.items() if k not in LEDGER_TIMES} == {
        "load_id": "bang_202403",
        "source": "nguon",
        "dataset": "bang",
        "window_start": MARCH.start,
        "window_end": MARCH.end,
        "status": "landed",
        "rows_in": 4,
        "rows_loaded": 2,
        "rows_quarantined": 1,
        "raw_location": str(staged),
        "message": "1 repeated records skipped",
        "data_until": MARCH.end,  # a window of changes: its data reach its end
    }
    result = load.result()
    assert result.duplicates == 1
    assert result.to_dict() == {
        "source": "nguon",
        "dataset": "bang",
        "load_id": "bang_202403",
        "path": str(staged),
        "rows": 2,
        "quarantined": 1,
        "window": ["2024-03-01T00:00:00", "2024-04-01T00:00:00"],
        "started_at": "2024-04-02T08:30:00",
    }
    assert Ledger(paths.meta).watermark("nguon", "bang") is None  # landed is not loaded
    assert lifecycle.promote(paths, result.to_dict()) == folder
    assert pq.read_table(folder)["ma"].to_pylist() == ["a", "b"]
    assert not staged.exists()
    [entry] = entries(paths)  # the same attempt, moved on
    assert (entry["status"], entry["raw_location"]) == ("success", str(folder))
    assert Ledger(paths.meta).watermark("nguon", "bang") == MARCH.end


def test_a_load_that_breaks_off_keeps_the_earlier_copy_and_records_the_attempt(
    tmp_path,
) -> None:
    paths = WarehousePaths(tmp_path)
    first = writer(paths)
    with landing(paths.meta, first, MARCH) as load:
        write(first, ["a"])
    lifecycle.promote(paths, load.result().to_dict())
    again = writer(paths, datetime(2024, 5, 2, 8, 30))  # a later run of the same load
    with (
        pytest.raises(RuntimeError, match="source went away"),
        landing(paths.meta, again, MARCH) as load,
    ):
        write(again, ["a", "b", "c"])
        load.rows_in = 3
        load.rejected.append(quarantine_row("never written"))
        raise RuntimeError("source went away")
    assert pq.read_table(first.final_dir)["ma"].to_pylist() == ["a"]  # untouched
    assert not again.staging_dir.exists() and not again.staged_dir.exists()
    assert not (paths.meta / "quarantine").exists()
    failed = [e for e in entries(paths) if e["status"] == "failed"]
    assert [{k: e[k] for k in ("rows_in", "rows_loaded", "rows_quarantined")} for e in failed] == [
        {"rows_in": 3, "rows_loaded": 0, "rows_quarantined": 0}
    ]
    assert failed[0]["raw_location"] == "" and failed[0]["message"] == "source went away"
    assert Ledger(paths.meta).watermark("nguon", "bang") == MARCH.end  # a failure changes nothing


def test_a_load_with_nothing_to_land_is_settled_without_a_writer(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    raw = tmp_path / "bang_202403.csv"
    load = Landing("nguon", "bang", "bang_202403", STARTED, location=raw, rows_in=1)
    load.rejected = [quarantine_row("file cannot be read")]
    load.message = "bang_202403.csv cannot be read"
    load.settle(paths.meta, "failed")
    [entry] = entries(paths)
    assert (entry["status"], entry["raw_location"], entry["rows_quarantined"]) == (
        "failed",
        str(raw),
        1,
    )
    assert (entry["window_start"], entry["window_end"], entry["data_until"]) == (None,) * 3
    assert load.result().to_dict()["window"] is None
    assert not (paths.lake / "nguon").exists()


def test_dbt_reads_the_live_lake_never_staging(tmp_path) -> None:
    """Every lake pattern of dbt's sources, on a lake holding one live and one staged load."""
    paths = WarehousePaths(tmp_path)
    staged = {}
    for load_id in ("ho_so_202402", "ho_so_202403"):
        w = LoadWriter(paths.lake, "dichvucong", "ho_so", load_id, SCHEMA, STARTED)
        with landing(paths.meta, w, MARCH) as load:
            write(w, ["a"])
        staged[load_id] = load.result().to_dict()
    live = lifecycle.promote(paths, staged["ho_so_202402"])
    sources = REPO_ROOT / "dbt_project" / "models" / "staging" / "dichvucong"
    patterns = re.findall(
        r"\}\}/(dichvucong/[^']+)'", "".join(f.read_text() for f in sources.glob("_*__sources.yml"))
    )
    assert patterns
    for pattern in patterns:
        read = sorted(paths.lake.glob(pattern.replace("{name}", "ho_so")))
        assert read == sorted(live.glob("*.parquet")), pattern


def test_rows_written_in_small_writes_make_whole_row_groups(tmp_path) -> None:
    # writes of 7 rows into row groups of 10: every row group whole but the last, the rows in
    # the order written
    paths = WarehousePaths(tmp_path)
    w = writer(paths)
    w.row_group_rows = 10
    codes = [f"{i:03d}" for i in range(47)]
    for start in range(0, len(codes), 7):
        write(w, codes[start : start + 7])
    parquet = pq.ParquetFile(next(w.commit().glob("*.parquet")))
    sizes = [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)]
    assert sizes == [10, 10, 10, 10, 7]
    assert parquet.read()["ma"].to_pylist() == codes

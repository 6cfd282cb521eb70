"""The `dq` schema the real refresh publishes, the stewards' command, and the gate.

Reads what the session's ``pipeline`` published; anything that writes works on a copy of
that warehouse (never on the shared one).
"""

from __future__ import annotations

import hashlib
import importlib
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from ingest.common.contract import Contract
from ingest.common.settings import REPO_ROOT, WarehousePaths
from ioc.sources import SOURCES
from tests.conftest import PERIOD, Pipeline

DIMENSIONS = {"dung", "du", "sach", "song"}


def serving(pipeline: Pipeline, sql: str) -> list[tuple]:
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def lake_rows(folder: Path) -> pa.Table | None:
    if not folder.exists() or not any(folder.rglob("*.parquet")):
        return None
    return ds.dataset(folder, format="parquet").to_table()


@pytest.fixture
def warehouse_copy(pipeline: Pipeline, tmp_path: Path, monkeypatch) -> WarehousePaths:
    """A private copy of the published warehouse, with IOC_WAREHOUSE pointed at it."""
    root = tmp_path / "warehouse"
    shutil.copytree(pipeline.warehouse, root, ignore=shutil.ignore_patterns("airflow", "logs"))
    # monkeypatch restores these after the test (refresh.dbt sets them in os.environ).
    monkeypatch.setenv("IOC_WAREHOUSE", str(root))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.delenv("IOC_LAKE", raising=False)
    return WarehousePaths.from_env()


def test_load_ledger_has_one_row_per_attempt_and_every_monthly_load(pipeline) -> None:
    meta = pipeline.warehouse / "lake" / "_meta"
    attempts = len(list((meta / "load_ledger").glob("*.parquet")))
    assert serving(pipeline, "SELECT count(*) FROM dq.load_ledger") == [(attempts,)]
    ho_so = serving(
        pipeline,
        "SELECT load_id, count(*) FILTER (WHERE status = 'success'), min(rows_loaded) "
        "FROM dq.load_ledger WHERE source = 'dichvucong' AND dataset = 'ho_so' GROUP BY 1",
    )
    folders = {
        p.name.removeprefix("load_id=")
        for p in (pipeline.warehouse / "lake/dichvucong/ho_so").iterdir()
    }
    assert {load for load, _, _ in ho_so} == folders
    assert len(folders) == 58  # 2022-01 … 2026-10
    assert all(ok >= 1 and rows > 0 for _, ok, rows in ho_so)


def test_check_results_hold_every_kind_and_dimension(pipeline) -> None:
    rows = serving(
        pipeline,
        "SELECT check_kind, dimension, status, count(*) FROM dq.dq_check_result GROUP BY ALL",
    )
    assert {kind for kind, *_ in rows} == {
        "ge",
        "dbt",
        "freshness",
        "completeness",
        "ingest",
        "revision",
    }
    assert {dim for _, dim, *_ in rows} == DIMENSIONS
    assert {status for _, _, status, _ in rows} <= {"pass", "warn", "fail"}
    # GE: every result file of the lake; dbt: the latest (only) invocation's file.
    meta = pipeline.warehouse / "lake" / "_meta"
    ge = sum(n for kind, _, _, n in rows if kind == "ge")
    assert ge == lake_rows(meta / "dq_results").num_rows > 0
    dbt_files = list((meta / "dbt_results").glob("*.parquet"))
    assert len(dbt_files) == 1
    # ingest: one per load the connectors made, its unreadable rows as failures (sạch).
    ledger = lake_rows(meta / "load_ledger").to_pylist()
    landed = {(e["source"], e["dataset"], e["load_id"]) for e in ledger if e["status"] == "success"}
    assert sum(n for kind, _, _, n in rows if kind == "ingest") == len(landed)
    assert {dim for kind, dim, *_ in rows if kind == "ingest"} == {"sach"}
    runs = serving(
        pipeline, "SELECT DISTINCT run_id FROM dq.dq_check_result WHERE check_kind = 'dbt'"
    )
    assert runs == [(dbt_files[0].stem,)]
    assert (
        sum(n for kind, *_, n in rows if kind == "dbt")
        == pq.read_table(dbt_files[0]).num_rows
        > 100
    )
    # The published build passed its gate: nothing blocking among the dbt results.
    assert not serving(
        pipeline,
        "SELECT check_name FROM dq.dq_check_result WHERE check_kind = 'dbt' AND status = 'fail'",
    )
    # sống and đủ of the monthly dossier loads: current, and no month missing.
    (fresh,) = serving(
        pipeline,
        "SELECT status, details FROM dq.dq_check_result "
        "WHERE check_kind = 'freshness' AND dataset = 'dichvucong.ho_so'",
    )
    assert fresh[0] in ("pass", "warn", "fail") and "ngày" in fresh[1]
    (grid,) = serving(
        pipeline,
        "SELECT status, rows_checked, rows_failed FROM dq.dq_check_result "
        "WHERE check_kind = 'completeness' AND dataset = 'dichvucong.ho_so'",
    )
    assert grid == ("pass", 58, 0)


def test_quarantine_matches_the_lake(pipeline) -> None:
    lake = lake_rows(pipeline.warehouse / "lake" / "_meta" / "quarantine")
    want = 0 if lake is None else lake.num_rows
    assert serving(pipeline, "SELECT count(*) FROM dq.dq_quarantine") == [(want,)]
    bad = serving(pipeline, "SELECT count(*) FROM dq.dq_quarantine WHERE dataset NOT LIKE '%.%'")
    assert bad == [(0,)]


def _month_after(year: int, month: int) -> datetime:
    return datetime(year + month // 12, month % 12 + 1, 1)


LAST_MONTH = {"THANG": 1, "QUY": 3, "6THANG": 6}  # × the period's number; 9THANG, NAM: fixed


def _report_end(kind: str, year: int, number: int) -> datetime:
    """The day after a reporting period's last month (the test's own reckoning)."""
    last = {"9THANG": 9, "NAM": 12}.get(kind) or LAST_MONTH[kind] * number
    return _month_after(year, last)


def _newest_month(rows: pa.Table) -> datetime:
    year, month = max(rows["ky"].to_pylist()).split("-")
    return _month_after(int(year), int(month))


def _live_loads(folder: Path) -> dict[str, pa.Table]:
    return {
        load.name.removeprefix("load_id="): ds.dataset(load, format="parquet").to_table()
        for load in sorted(folder.glob("load_id=*"))
    }


def _expected_data_until(lake: Path, source: str, dataset: str, until: datetime) -> datetime | None:
    """How far a dataset's live data reach, from its landed rows and load folders alone:
    windows of changes and catalog snapshots up to the refresh's end; months, files and
    reports to the end of the newest period their rows are for; school and exam years to
    their end, no later than the refresh's end (the newest year with rows)."""
    loads = _live_loads(lake / source / dataset)
    if not loads:
        return None  # not landed: the assertion names it
    rows = pa.concat_tables(loads.values(), promote_options="permissive")
    if f"{source}.{dataset}" in ("dulich.thong_ke_thang", "ngansach.thu_ngan_sach"):
        return _newest_month(rows)
    if dataset == "so_lieu_excel":
        periods = zip(*(rows[c].to_pylist() for c in ("ky_loai", "ky_nam", "ky_so")), strict=True)
        return max(_report_end(*period) for period in periods)
    years = [int(re.search(r"_(\d{4})", k)[1]) for k, t in loads.items() if t.num_rows]
    if dataset == "truong":  # truong_<start>_<start + 1>__asof_…: ends on 1 September
        return min(datetime(max(years) + 1, 9, 1), until)
    if dataset == "ket_qua_tot_nghiep":  # ket_qua_<year>__asof_…: the exam's calendar year
        return min(datetime(max(years) + 1, 1, 1), until)
    return until  # ho_so, bao_cao, so_lieu: pulled up to it; thu_tuc, catalogs: as of it


def test_every_landed_dataset_says_how_far_its_data_reach(pipeline) -> None:
    """The stewards' "Dữ liệu đến" (dq.rpt_dq_load_summary.data_until) of every dataset that
    the sources' contracts declare: none empty, each what its landed rows say; and per source
    (dq.dq_source_status) the newest of its datasets'."""
    year, month = (int(p) for p in PERIOD.split("-"))
    until = _month_after(year, month)  # the monthly refresh pulls up to the month's end
    lake = pipeline.warehouse / "lake"
    declared = sorted(
        (source, c.dataset)
        for source, s in SOURCES.items()
        for c in vars(importlib.import_module(f"{s.package}.contracts")).values()
        if isinstance(c, Contract)
    )
    assert len(declared) == 11
    shown = {
        (source, dataset): until_
        for source, dataset, until_ in serving(
            pipeline,
            "SELECT source, dataset, data_until FROM dq.rpt_dq_load_summary WHERE province IS NULL",
        )
    }
    want = {(s, d): _expected_data_until(lake, s, d, until) for s, d in declared}
    assert {k: shown.get(k) for k in declared} == want
    per_source = dict(serving(pipeline, "SELECT source, data_until FROM dq.dq_source_status"))
    assert per_source == {
        s: max(v for (source, _), v in want.items() if source == s) for s in SOURCES
    }


def test_steward_status_reads_the_serving_database(pipeline) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "expectations.steward", "status"],
        env=pipeline.env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for word in ("Đúng", "Đủ", "Sạch", "Sống", "dichvucong.ho_so", "Lần nạp mới nhất", "cách ly"):
        assert word in done.stdout, word


def test_steward_revalidate_passes_on_an_existing_load(warehouse_copy, capsys) -> None:
    from expectations import steward

    load_id = "ho_so_20261001T0000_20261101T0000"
    assert steward.main(["revalidate", load_id]) == 0
    out = capsys.readouterr().out
    assert "ĐẠT" in out and "Sống" in out
    written = pq.read_table(
        warehouse_copy.meta / "dq_results" / "dichvucong.ho_so" / f"{load_id}.parquet"
    )
    assert set(written["status"].to_pylist()) == {"pass"}
    assert written["run_id"][0].as_py().startswith("steward__")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_blocked_refresh_records_why_and_leaves_the_serving_copy(warehouse_copy) -> None:
    from expectations import suites
    from expectations.validate import ValidationFailed, Validator, gate
    from refresh.dbt import BuildFailed
    from refresh.dq_results import build_and_record

    paths = warehouse_copy
    before = _digest(paths.serving_db)
    # A bad load lands: one dossier without its id and with a status code that does not exist.
    good = paths.lake / "dichvucong" / "ho_so" / "load_id=ho_so_20261001T0000_20261101T0000"
    load_id = "ho_so_20261101T0000_20261201T0000"
    table = pq.read_table(next(good.glob("*.parquet"))).slice(0, 20).to_pylist()
    for row in table:
        row["_load_id"] = load_id
    table[0]["MaHoSo"], table[1]["TrangThai"] = None, "KHONG_HOP_LE"
    bad = paths.lake / "dichvucong" / "ho_so" / f"load_id={load_id}"
    bad.mkdir()
    schema = pq.read_schema(next(good.glob("*.parquet")))
    pq.write_table(pa.Table.from_pylist(table, schema), bad / "part-0.parquet")

    # Great Expectations stops it, after writing its results to the lake.
    validator = Validator(paths.data_docs, "test_blocked")
    dataset = "dichvucong.ho_so"
    results = validator.validate(
        dataset,
        load_id,
        bad,
        suites.suite_for("dichvucong", "ho_so", "56"),
        suites.parameters(["2026-11-01T00:00:00", "2026-12-01T00:00:00"]),
    )
    validator.write(results, dataset, load_id, paths.meta)
    with pytest.raises(ValidationFailed):
        gate(results, dataset, load_id)
    recorded = pq.read_table(paths.meta / "dq_results" / dataset / f"{load_id}.parquet").to_pylist()
    failed = {r["check_name"] for r in recorded if r["status"] == "fail"}
    assert "expect_column_values_to_be_in_set(column=TrangThai)" in failed
    assert "expect_column_values_to_not_be_null(column=MaHoSo)" in failed

    # dbt (had the load gone further) stops it too, after recording its tests in the lake.
    with pytest.raises(BuildFailed, match="not_null_stg_dichvucong__ho_so_dossier_id"):
        build_and_record(paths)
    (results_file,) = (paths.meta / "dbt_results").glob("*.parquet")
    dbt_rows = pq.read_table(results_file).to_pylist()
    failing = {r["name"] for r in dbt_rows if r["status"] in ("fail", "error")}
    assert "not_null_stg_dichvucong__ho_so_dossier_id" in failing
    # The operator's log (info level, refresh/dbt.py LOG_FILE) says which test failed and
    # what it found, as the recorded row does.
    (row,) = [r for r in dbt_rows if r["name"] == "not_null_stg_dichvucong__ho_so_dossier_id"]
    log = (paths.root / "build" / "dbt_logs" / "dbt.log").read_text(encoding="utf-8")
    assert "Failure in test not_null_stg_dichvucong__ho_so_dossier_id" in log
    assert f"Got {row['failures']} result" in log
    assert _digest(paths.serving_db) == before
    assert not list(paths.serving_db.parent.glob(".*.tmp"))


def test_reports_due_but_missing_show_under_du(pipeline) -> None:
    # The grid of reports due against what arrived (the missing ones are checked against the
    # simulator's own list in tests/e2e/test_reporting_figures.py).
    [(sets, failed, dims)] = serving(
        pipeline,
        "SELECT count(*), sum(rows_failed), list(DISTINCT dimension) FROM dq.dq_check_result "
        "WHERE check_name LIKE 'report_grid(%'",
    )
    [(expected_sets, missing)] = serving(
        pipeline,
        "SELECT count(DISTINCT indicator_set_code), count(*) FILTER (WHERE status = 'missing') "
        "FROM marts.fct_report_submission",
    )
    assert (sets, failed, dims) == (expected_sets, missing, ["du"])
    assert missing > 0

"""The same dbt project on Spark: the marts built by dbt-spark (a local Spark session, the
profile's `spark` target, envs/spark) equal DuckDB's row for row, floats to 9 significant
digits, on a small many-province lake: the hand-made five-source lake of tests/dbt as
Khánh Hòa's, and Hà Nội's dossiers beside it (tests/dbt/dbt_lake_provinces.py), in the Hive
layout <source>/<dataset>/province=<code>/load_id=<id>/.

Selection: the marts and what they are built from (`+tag:marts`, models and seeds), and the
dq models that read what the runs record in the lake's _meta folders (META: the load ledger,
the quarantine, failed runs, period closes, the sources' state from the ledger; Spark's file
listing skips folders named _…, the macros in macros/lake.sql give them explicitly); the data
tests run in the DuckDB suites.
Marts off on Spark (the forecast's, dbt_project.yml) are left out. Spark's tables are Parquet
files under <warehouse>/spark/tables, read here with DuckDB, so both sides are compared by one
reader.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ioc.table_hash import run_columns
from tests.dbt.dbt_harness import PROJECT, REPO, Warehouse, warehouse
from tests.dbt.dbt_lake import write_initial_lake
from tests.dbt.dbt_lake_dulich import write_tourism_lake
from tests.dbt.dbt_lake_giaoduc import write_education_lake
from tests.dbt.dbt_lake_ngansach import write_budget_lake
from tests.dbt.dbt_lake_provinces import write_provinces_lake, write_provinces_meta
from tests.dbt.dbt_lake_reporting import write_reporting_lake

SPARK_DBT = REPO / "envs" / "spark" / ".venv" / "bin" / "dbt"
META = ["load_ledger", "dq_quarantine", "dq_failed_run", "dq_period_close", "dq_source_status"]
SELECT = ["--select", "+tag:marts", *META, "--resource-type", "model", "--resource-type", "seed"]
OFF_ON_SPARK = {
    "fct_indicator_forecast",
    "fct_indicator_forecast_skipped",
    "fct_indicator_backtest",
    "fct_indicator_alert",
    "rpt_indicator_alert",
    "fct_period_state",
    # dq models, not marts, off on Spark too (dbt_project.yml)
    "dq_check_result",
    "rpt_dq_dimension_status",
}

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="Spark needs a Java 17 runtime (`bin/ioc test` installs openjdk-17-jre-headless)",
)


def build_on_spark(wh: Warehouse) -> float:
    """dbt build --target spark in the Spark environment; seconds taken."""
    env = {
        **os.environ,
        "IOC_WAREHOUSE": str(wh.root),
        "DBT_TARGET_PATH": str(wh.root / "dbt_target_spark"),
        "DBT_LOG_PATH": str(wh.root / "dbt_logs_spark"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    argv = [str(SPARK_DBT), "build", "--target", "spark", *SELECT]
    argv += ["--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT)]
    started = time.monotonic()
    # cwd: Spark leaves derby.log and friends in its working directory.
    done = subprocess.run(argv, cwd=wh.root, env=env, capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    return time.monotonic() - started


@pytest.fixture(scope="module")
def both_built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Warehouse, dict]]:
    with warehouse(tmp_path_factory.mktemp("spark_and_duckdb")) as wh:
        for write in (
            write_initial_lake,
            write_budget_lake,
            write_tourism_lake,
            write_education_lake,
            write_reporting_lake,
            write_provinces_lake,
        ):
            write(wh.lake)
        write_provinces_meta(wh.root)
        started = time.monotonic()
        wh.dbt("build", *SELECT)
        seconds = {"duckdb": time.monotonic() - started, "spark": build_on_spark(wh)}
        print(f"+tag:marts built: DuckDB {seconds['duckdb']:.0f} s, Spark {seconds['spark']:.0f} s")
        yield wh, seconds


def duckdb_marts(wh: Warehouse) -> list[str]:
    rows = wh.query("select table_name from information_schema.tables where table_schema = 'marts'")
    return sorted(r["table_name"] for r in rows if r["table_name"] not in OFF_ON_SPARK)


def canonical(value: object) -> object:
    """Numbers with a fraction to 9 significant digits, as floats: the engines sum in different
    orders, and Spark keeps `100.0 * a / b` a decimal where DuckDB makes it a double."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and math.isfinite(value) and value != 0:
        return float(f"{value:.9g}")
    return value


def rows_of(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> list[tuple]:
    kept = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f"select {kept} from {relation}").fetchall()
    canon = [tuple(canonical(v) for v in row) for row in rows]
    return sorted(canon, key=lambda row: tuple((v is None, str(v)) for v in row))


def test_spark_builds_every_mart(both_built: tuple[Warehouse, dict]) -> None:
    wh, _ = both_built
    tables = wh.root / "spark" / "tables" / "marts.db"
    assert sorted(p.name for p in tables.iterdir() if p.is_dir()) == duckdb_marts(wh)


def mart_difference(
    con: duckdb.DuckDBPyConnection, spark_tables: Path, mart: str, schema: str = "marts"
) -> str:
    """'' when Spark's rows of ``mart`` equal DuckDB's, else what differs."""
    columns = [
        c
        for (c,) in con.execute(
            "select column_name from information_schema.columns where table_schema = ? "
            "and table_name = ? order by ordinal_position",
            [schema, mart],
        ).fetchall()
        if c not in run_columns(schema, mart)  # differ between the builds by design
    ]
    expected = rows_of(con, f'{schema}."{mart}"', columns)
    actual = rows_of(con, f"read_parquet('{spark_tables / mart}/*.parquet')", columns)
    if actual == expected:
        return ""
    only_duckdb = [r for r in expected if r not in actual][:2]
    only_spark = [r for r in actual if r not in expected][:2]
    return (
        f"{mart}: {len(expected)} rows on DuckDB, {len(actual)} on Spark; columns {columns}; "
        f"only on DuckDB {only_duckdb}; only on Spark {only_spark}"
    )


def test_marts_equal_row_for_row(both_built: tuple[Warehouse, dict]) -> None:
    wh, _ = both_built
    marts = duckdb_marts(wh)
    assert len(marts) >= 10, marts
    with duckdb.connect(str(wh.database), read_only=True) as con:
        spark_tables = wh.root / "spark" / "tables" / "marts.db"
        differences = [mart_difference(con, spark_tables, mart) for mart in marts]
    assert not any(differences), "\n".join(d for d in differences if d)


def test_marts_compare_the_provinces(both_built: tuple[Warehouse, dict]) -> None:
    """Both provinces side by side, named from the admin units: Hà Nội's dossiers are Khánh
    Hòa's but one, all at a department (TINH) of the city."""
    wh, _ = both_built
    index = wh.query(
        "select province_code, province_name, sum(received) as received "
        "from marts.rpt_province_service_index_month group by all order by 1"
    )
    assert [(r["province_code"], r["province_name"]) for r in index] == [
        ("01", "Thành phố Hà Nội"),
        ("56", "Tỉnh Khánh Hòa"),
    ]
    assert index[0]["received"] == index[1]["received"] - 1
    ranked = wh.query(
        "select distinct provinces_ranked from marts.rpt_province_ranking "
        "where indicator_code = 'DVC_HS_TIEP_NHAN'"
    )
    assert {r["provinces_ranked"] for r in ranked} == {2}


def test_meta_models_equal_row_for_row(both_built: tuple[Warehouse, dict]) -> None:
    """The ledger, quarantine, failed runs, period closes (and the sources' state drawn from
    the ledger, without a registry: its fallback) under lake/_meta and
    lake/province=<code>/_meta (tests/dbt/dbt_lake_provinces.py: write_provinces_meta) are
    read on Spark too, the same rows as DuckDB's, which reads them all."""
    wh, _ = both_built
    ledger = wh.query(
        "select province, load_id, status, rows_quarantined from dq.load_ledger "
        "order by province nulls first, started_at"
    )
    assert [tuple(r.values()) for r in ledger] == [
        (None, "tnns.csv", "landed", 0),
        ("01", "ho_so_2025-06", "success", 0),
        ("01", "ho_so_2025-07", "success", 0),
        ("56", "ho_so_2025-06", "failed", 9),
        ("56", "ho_so_2025-06", "success", 2),
    ]
    counts = {m: wh.query(f"select count(*) as n from dq.{m}")[0]["n"] for m in META[1:]}
    # the sources' state: the schedule's five sources × the provinces of the ledgers (no
    # registry passed: each configured), the one province's (null) among them
    assert counts == {
        "dq_quarantine": 2,
        "dq_failed_run": 1,
        "dq_period_close": 1,
        "dq_source_status": 15,
    }
    with duckdb.connect(str(wh.database), read_only=True) as con:
        spark_tables = wh.root / "spark" / "tables" / "dq.db"
        differences = [mart_difference(con, spark_tables, m, "dq") for m in META]
    assert not any(differences), "\n".join(d for d in differences if d)

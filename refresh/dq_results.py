"""dbt's outcomes into the lake, then the ``dq`` schema rebuilt to include them.

After ``dbt build`` the test outcomes (and any node that failed to build) are written to
``lake/_meta/dbt_results/<invocation>.parquet`` — only the latest invocation's file is kept —
*before* the gate, so a blocked refresh still leaves the reasons in the lake. A passing
build then runs ``dbt run --select dq_check_result+`` (on the build's parse of the project)
so ``dq.dq_check_result`` holds this build's results, drops what the project no longer
builds (``refresh.unbuilt``), and only then may the publish follow.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.common.parse import now_local
from ingest.common.settings import WarehousePaths
from refresh.build_database import connect_build
from refresh.dbt import (
    BuildOutcome,
    NodeOutcome,
    parse_dbt,
    raise_if_blocking,
    release_dbt,
    run_dbt,
)
from refresh.unbuilt import built_relations, drop_unbuilt

log = logging.getLogger(__name__)

DBT_RESULT_SCHEMA = pa.schema(
    [
        ("invocation_id", pa.string()),
        ("checked_at", pa.timestamp("us")),
        ("unique_id", pa.string()),
        ("resource_type", pa.string()),
        ("name", pa.string()),
        ("test_type", pa.string()),
        ("dataset", pa.string()),
        ("column_name", pa.string()),
        ("severity", pa.string()),
        ("dimension", pa.string()),
        ("status", pa.string()),
        ("failures", pa.int64()),
        ("rows_checked", pa.int64()),
        ("message", pa.string()),
    ]
)


# Unit tests check the models' logic on fixed inputs, not the data: the test suite and CI run
# them (tests/dbt builds with them); a refresh does not pay for them again (dbt's advice for
# production; 54 s of an SF1 monthly build at load 13, benchmarks/README.md).
REFRESH_BUILD = ("build", "--exclude-resource-type", "unit_test")


def _relations(paths: WarehousePaths) -> dict[str, tuple[str, int | None]]:
    """Name → (schema, row count) of the build database's tables and views (views: None)."""
    if not paths.build_db.exists():
        return {}
    out: dict[str, tuple[str, int | None]] = {}
    with connect_build(paths) as con:
        for schema, name in con.execute(
            "SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall():
            out[name] = (schema, None)
        tables = con.execute(
            "SELECT database_name, schema_name, table_name FROM duckdb_tables() WHERE NOT temporary"
        ).fetchall()
        for db, schema, name in tables:
            (count,) = con.execute(f'SELECT count(*) FROM "{db}"."{schema}"."{name}"').fetchone()
            out[name] = (schema, int(count))
    return out


def _dataset(attached: str, relations: dict[str, tuple[str, int | None]]) -> tuple[str, int | None]:
    """``<schema>.<model>`` (with its row count) or ``<source>.<table>`` of a node id."""
    parts = attached.split(".")
    if parts[0] == "source" and len(parts) >= 4:
        return f"{parts[-2]}.{parts[-1]}", None
    name = parts[-1] if parts else attached
    schema, rows = relations.get(name, ("", None))
    return (f"{schema}.{name}" if schema else name), rows


# dq_check_result holds these very results, and rpt_dq_dimension_status is built from it: at
# the time of their tests they still hold the previous build's, so their row counts are no
# fact of this build (they made a re-run of the same period differ from the first run).
SELF = frozenset({"dq.dq_check_result", "dq.rpt_dq_dimension_status"})


def rows_of(outcome: BuildOutcome, paths: WarehousePaths) -> list[dict]:
    """Rows of DBT_RESULT_SCHEMA: every test, and every other node that did not succeed."""
    relations = _relations(paths)
    now = now_local()
    picked: list[NodeOutcome] = [
        n
        for n in outcome.nodes
        if n.resource_type in ("test", "unit_test") or n.status in ("error", "skipped")
    ]
    rows = []
    for n in picked:
        dataset, count = _dataset(n.attached_to or n.unique_id, relations)
        if dataset in SELF:  # counted before its rebuild: the previous build's size
            count = None
        rows.append(
            {
                "invocation_id": outcome.invocation_id,
                "checked_at": now,
                "unique_id": n.unique_id,
                "resource_type": n.resource_type,
                "name": n.name or n.unique_id,
                "test_type": n.test_type,
                "dataset": dataset,
                "column_name": n.column or None,
                "severity": n.severity or None,
                "dimension": n.dimension or None,
                "status": n.status,
                "failures": n.failures,
                "rows_checked": count if n.resource_type == "test" else None,
                "message": n.message or None,
            }
        )
    return rows


def record(outcome: BuildOutcome, paths: WarehousePaths) -> Path:
    """Write this invocation's results; remove every older invocation's file."""
    folder = paths.meta / "dbt_results"
    folder.mkdir(parents=True, exist_ok=True)
    name = outcome.invocation_id or now_local().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{name}.parquet"
    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.Table.from_pylist(rows_of(outcome, paths), DBT_RESULT_SCHEMA), tmp)
    tmp.replace(path)
    for old in folder.glob("*.parquet"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


# What the results change: dq_check_result reads them, rpt_dq_dimension_status reads it. The
# rest of ``dq`` was built by the build from the same lake and stays as it is.
DQ_RESULTS = "dq_check_result+"


def build_and_record(
    paths: WarehousePaths, dbt_vars: dict | None = None, build: Sequence[str] = REFRESH_BUILD
) -> BuildOutcome:
    """``dbt build`` (``REFRESH_BUILD``), its results into the lake, the gate, then
    ``dbt run --select dq_check_result+``, in one process on one parse of the project;
    ``dbt_vars`` (e.g. which sources are configured) go to every invocation.

    Returns the build's outcome with each stage's seconds. Raises ``BuildFailed`` (after
    recording) when anything blocks: nothing may be published.
    """
    try:
        return _build_and_record(paths, dbt_vars, build)
    finally:
        release_dbt()  # the manifest and adapters, before the task's process ends


def _build_and_record(
    paths: WarehousePaths, dbt_vars: dict | None, build: Sequence[str]
) -> BuildOutcome:
    extra = ["--vars", json.dumps(dbt_vars, ensure_ascii=False)] if dbt_vars else []
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[stage] = round(now - started, 2)
        started = now

    manifest = parse_dbt(extra, paths)
    lap("parse")
    outcome = run_dbt([*build, *extra], paths, manifest)
    lap("build")
    where = record(outcome, paths)
    lap("record")
    log.info("dbt results of %s recorded in %s", outcome.invocation_id, where)
    raise_if_blocking(outcome, "dbt build")
    # --no-write-json: run_results.json stays the build's (every node's time)
    dq = run_dbt(["run", "--select", DQ_RESULTS, "--no-write-json", *extra], paths, manifest)
    lap("dq")
    raise_if_blocking(dq, f"dbt run --select {DQ_RESULTS}")
    drop_unbuilt(paths, built_relations(manifest))  # a model renamed or removed
    lap("unbuilt")
    log.info("dbt stages (s): %s", seconds)
    return replace(outcome, seconds=seconds)

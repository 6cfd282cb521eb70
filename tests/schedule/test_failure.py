"""A closing run whose source fails: the run fails before the build, the serving copy is not
touched, and the failure callback records the failed task in the lake's ``_meta`` (read into
``dq.dq_failed_run`` by the next build: tests/schedule/test_period_models.py).

The run is Airflow's own (``dag.test()`` of ``close_month`` in a fresh AIRFLOW_HOME); the
source is budget revenue from a drop folder holding one export none of whose rows can be
read (the quarantine limit blocks it). Retries are the scheduler's business and take
minutes: this run gives each task its last try (retries 0), the policy itself is asserted
from the parsed DAGs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ingest.common.ledger import Ledger
from ingest.common.settings import REPO_ROOT
from ioc.sources import SOURCES
from tests.operator.test_operator_refresh import HEADER

pytestmark = pytest.mark.e2e


def test_every_scheduled_task_retries_with_backoff_and_records_failures() -> None:
    from airflow.dag_processing.dagbag import DagBag

    from dags.policy import record_failed_task

    bag = DagBag(dag_folder=str(REPO_ROOT / "dags"))
    scheduled = {"close_month", "close_year", "refresh_daily", "refresh_marts"}
    scheduled |= {f"ingest_{name}" for name in SOURCES}
    assert scheduled <= set(bag.dags)
    for dag_id in sorted(bag.dags):  # every DAG of the folder, ingestion included
        for task in bag.dags[dag_id].tasks:
            assert task.retries == 2 and task.retry_exponential_backoff
            assert task.retry_delay == timedelta(minutes=2)
            assert task.max_retry_delay == timedelta(minutes=30)
            callbacks = task.on_failure_callback
            callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
            assert [c.__qualname__ for c in callbacks] == [record_failed_task.__qualname__]


# One DAG run under dag.test() in a fresh process (the environment's Airflow home), each task
# given its last try; prints the run's state and each task instance's. Also tests/schedule/
# test_daily.py.
SCRIPT = textwrap.dedent(
    """
    import json, pendulum
    from airflow.dag_processing.dagbag import DagBag
    from demo.airflow_run import migrate_metadata_db
    migrate_metadata_db()
    dag = DagBag(dag_folder={dags!r}).dags[{dag_id!r}]
    for task in dag.tasks:
        task.retries = 0
    run = dag.test(logical_date=pendulum.parse({logical!r}))
    print(json.dumps({{"state": str(run.state), "run_id": run.run_id, "tasks": {{
        f"{{ti.task_id}}[{{ti.map_index}}]": str(ti.state) for ti in run.get_task_instances()
    }}}}))
    """
)


def _unreadable_budget(tmp_path) -> tuple[Path, dict[str, str]]:
    """A warehouse whose serving copy is a stand-in, and the environment of a province whose
    only source, budget revenue, dropped one export none of whose rows can be read."""
    from demo.environment import airflow_env

    warehouse, drops = tmp_path / "warehouse", tmp_path / "drops"
    drops.mkdir(parents=True)
    bad = "\r\n".join([HEADER, *(f"2026-10;56;TINH;X;Thu;not a number {i};x;y" for i in range(5))])
    (drops / "thu_ngan_sach_202610.csv").write_text(bad + "\r\n", encoding="utf-8")
    serving = warehouse / "serving" / "ioc.duckdb"
    serving.parent.mkdir(parents=True)
    serving.write_bytes(b"the last good serving copy")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "IOC_"))}
    env = keep | airflow_env(warehouse) | {"AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR": str(drops)}
    return warehouse, env


def _failed_records(warehouse: Path) -> list[dict]:
    found = sorted((warehouse / "lake" / "_meta" / "failed_runs").glob("*.parquet"))
    return [row for path in found for row in pq.read_table(path).to_pylist()]


def test_a_failed_ingestion_run_fails_at_once_and_is_recorded(tmp_path) -> None:
    """The ingestion DAGs carry the same policy. Run in one process (``ioc refresh``'s path,
    demo/airflow_run.py) a failure is reported at once, not after the scheduler's retries
    (2 + 4 minutes), and the callback records it."""
    warehouse, env = _unreadable_budget(tmp_path)
    serving = warehouse / "serving" / "ioc.duckdb"
    before = serving.stat().st_mtime_ns
    done = subprocess.run(
        [sys.executable, "-m", "demo.airflow_run", "2026-10"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode != 0
    assert "ingest_ngansach ended failed" in done.stderr, done.stderr[-3000:]
    assert serving.stat().st_mtime_ns == before
    records = _failed_records(warehouse)
    # failed for good at its first try: the callback records only a final failure, so a run
    # that retried would record try 3 (a clock cannot tell: 172 s without a retry at load 10)
    assert [(r["dag_id"], r["try_number"]) for r in records] == [("ingest_ngansach", 1)]
    assert records[0]["task_id"] in {"extract", "validate"}
    assert "ngansach" in records[0]["error"] or "thu_ngan_sach" in records[0]["error"]


def test_a_failed_source_stops_the_close_before_the_serving_copy(tmp_path) -> None:
    warehouse, env = _unreadable_budget(tmp_path)
    serving = warehouse / "serving" / "ioc.duckdb"
    before = serving.stat().st_mtime_ns
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT.format(
                dags=str(REPO_ROOT / "dags"),
                dag_id="close_month",
                logical="2026-11-19T01:00:00+07:00",
            ),
        ],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])

    assert result["state"] == "failed"
    tasks = result["tasks"]
    # every pull landed what it could (the unreadable export lands quarantined); the run's
    # one validation fails on the quarantine limit: no close, no build
    assert {tasks[f"pull[{i}]"] for i in range(len(SOURCES))} == {"success"}
    assert tasks["validate[-1]"] == "failed"
    for task in ("close[-1]", "build_and_publish[-1]"):
        assert tasks[task] == "upstream_failed"
    assert serving.read_bytes() == b"the last good serving copy"
    assert serving.stat().st_mtime_ns == before
    assert not (warehouse / "lake" / "_meta" / "period_close").exists()

    (row,) = _failed_records(warehouse)
    assert (row["dag_id"], row["run_id"], row["task_id"], row["map_index"]) == (
        "close_month",
        result["run_id"],
        "validate",
        -1,
    )
    assert row["try_number"] == 1
    # the failure's first line names the source, its dataset and the load that failed
    ledger = Ledger(warehouse / "lake" / "_meta").entries("ngansach", "thu_ngan_sach")
    (load_id,) = ledger.column("load_id").to_pylist()
    first = row["error"].splitlines()[0]
    assert first.endswith(f"validation failed: ngansach (thu_ngan_sach: {load_id})"), first

"""A monthly close under Airflow's real scheduler (not ``dag.test()``): the operator's
``ioc airflow start`` on 127.0.0.1 (a free port, a temporary AIRFLOW_HOME under a temporary
warehouse), the run triggered through the REST API as an operator's script would (token from
the generated admin password), observed to succeed, then ``ioc airflow stop``. The only
configured source is budget revenue, from hand-made CSV exports in a temporary drop folder.

Scheduled (cron) runs are turned off for the test (``[scheduler] use_job_schedule``), so the
one run is the one triggered; every DAG but ``close_month`` stays paused. The run is then
re-run (cleared, as an operator re-runs a period): the served tables hash the same
(ioc/table_hash.py)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from ingest.common.settings import REPO_ROOT
from ioc.table_hash import served_hashes
from tests.operator.test_operator_refresh import BUDGET, write_budget_files

pytestmark = pytest.mark.e2e

# The close of October 2026: reports due 18 November, closed at 01:00 on the 19th.
LOGICAL_DATE = "2026-11-19T01:00:00+07:00"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(warehouse: Path, drops: Path, port: int) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AIRFLOW", "IOC_")) and k != "PYTHONPATH"
    }
    return keep | {
        "IOC_WAREHOUSE": str(warehouse),
        "AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR": str(drops),
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
    }


def _ioc(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ioc", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout


def _until(what: str, check, timeout: float, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _client(url: str, home: Path) -> httpx.Client:
    """An API client logged in as the generated admin user (simple auth manager)."""
    passwords = json.loads((home / "simple_auth_manager_passwords.json.generated").read_text())
    user, password = next(iter(passwords.items()))
    token = httpx.post(f"{url}/auth/token", json={"username": user, "password": password})
    token.raise_for_status()
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    return httpx.Client(base_url=f"{url}/api/v2", headers=headers, timeout=30)


def _finished(api: httpx.Client, run_id: str) -> tuple[str, dict]:
    """Wait for the run to end; its state and its task instances' states."""

    def ended():
        state = api.get(f"/dags/close_month/dagRuns/{run_id}").json()["state"]
        return state if state in ("success", "failed") else None

    state = _until("the close to finish", ended, 240, every=2)
    tasks = api.get(f"/dags/close_month/dagRuns/{run_id}/taskInstances").json()
    return state, {(t["task_id"], t["map_index"]): t["state"] for t in tasks["task_instances"]}


def _task_time(api: httpx.Client, run_id: str) -> dict[str, float]:
    """Seconds some task of the run was running (the union of their intervals), and dbt's."""
    tasks = api.get(f"/dags/close_month/dagRuns/{run_id}/taskInstances").json()
    spans = sorted(
        (datetime.fromisoformat(t["start_date"]), datetime.fromisoformat(t["end_date"]), t)
        for t in tasks["task_instances"]
        if t["start_date"] and t["end_date"]
    )
    busy, end = 0.0, None
    for start, stop, _ in spans:
        if end is None or start > end:
            busy += (stop - start).total_seconds()
            end = stop
        elif stop > end:
            busy += (stop - end).total_seconds()
            end = stop
    dbt = sum(t["duration"] or 0 for *_, t in spans if t["task_id"] == "dbt_build")
    return {"tasks_busy": busy, "dbt_build": dbt}


def test_a_monthly_close_runs_under_the_real_scheduler(tmp_path) -> None:
    warehouse, drops = tmp_path / "warehouse", tmp_path / "drops" / "ngansach"
    write_budget_files(drops)
    port = _free_port()
    env = _env(warehouse, drops, port)
    started = time.monotonic()
    _ioc(env, "airflow", "start", "--port", str(port))
    timings = {"start": time.monotonic() - started}
    try:
        api = _client(f"http://127.0.0.1:{port}", warehouse / "airflow")
        # the DAG processor has parsed the folder
        _until("close_month parsed", lambda: api.get("/dags/close_month").status_code == 200, 120)
        run = api.post("/dags/close_month/dagRuns", json={"logical_date": LOGICAL_DATE})
        assert run.status_code == 200, run.text
        run_id = run.json()["dag_run_id"]
        triggered = time.monotonic()
        api.patch("/dags/close_month", json={"is_paused": False}).raise_for_status()

        state, by_task = _finished(api, run_id)
        timings["run"] = time.monotonic() - triggered
        timings |= _task_time(api, run_id)
        assert state == "success", by_task
        first = served_hashes(warehouse / "serving" / "ioc.duckdb")

        # The whole history's closes, as Airflow's own backfill would create them (dry run).
        backfill = api.post(
            "/backfills/dry_run",
            json={
                "dag_id": "close_month",
                "from_date": "2022-01-01T00:00:00+07:00",
                "to_date": "2026-10-31T00:00:00+07:00",
                "max_active_runs": 1,
            },
        )
        assert backfill.status_code == 200, backfill.text
        planned = [b["logical_date"] for b in backfill.json()["backfills"]]

        # Re-running the period (Airflow's clear of the run): the same marts.
        cleared = api.post(f"/dags/close_month/dagRuns/{run_id}/clear", json={"dry_run": False})
        assert cleared.status_code == 200, cleared.text
        again = time.monotonic()
        state_again, _ = _finished(api, run_id)
        timings["rerun"] = time.monotonic() - again
        assert state_again == "success"
        second = served_hashes(warehouse / "serving" / "ioc.duckdb")
    finally:
        stopping = time.monotonic()
        _ioc(env, "airflow", "stop")
        timings["stop"] = time.monotonic() - stopping
    print("scheduler test timings (s):", {k: round(v, 1) for k, v in timings.items()})
    assert second == first
    # one close a month, 01:00 local on the 19th (18:00 UTC the day before), 2022-01 … 2026-10
    expected = [f"{y}-{m:02d}-18T18:00:00Z" for y in range(2022, 2027) for m in range(1, 13)]
    assert [p.replace("+00:00", "Z") for p in planned] == expected[:58]
    assert {"marts.fct_indicator_value", "marts.fct_period_state"} <= set(first)

    # five mapped pulls (one per source; four not configured pull nothing), close, build,
    # publish: all succeeded under the scheduler
    assert by_task[("sources", -1)] == "success"
    assert sorted(i for (t, i) in by_task if t == "pull") == [0, 1, 2, 3, 4]
    assert set(by_task.values()) == {"success"}
    with duckdb.connect(str(warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        closes = con.execute(
            "select period_type, period_label, due_date::varchar, run_id from dq.dq_period_close"
        ).fetchall()
        state_row = con.execute(
            "select state from marts.fct_period_state where period_label = '2026-10'"
        ).fetchone()
        revenue = con.execute(
            "select actual_value from marts.fct_indicator_value where admin_unit_code = '56' "
            "and period_label = '2026-10' and indicator_code = 'TNS_NOI_DIA'"
        ).fetchone()
    assert closes == [("month", "2026-10", "2026-11-18", run_id)]  # once, though run twice
    assert state_row == ("complete",)  # no report source configured: none expected
    assert revenue[0] == pytest.approx(BUDGET[1][2] - BUDGET[0][2])
    # every process the test started is gone
    assert not list((warehouse / "airflow" / "run").glob("*.pid"))

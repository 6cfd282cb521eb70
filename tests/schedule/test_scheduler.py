"""A monthly close under Airflow's real scheduler (not ``dag.test()``): the operator's
``ioc airflow start`` on 127.0.0.1 (a free port, a temporary AIRFLOW_HOME under a temporary
warehouse), the run triggered through the REST API as an operator's script would (token from
the generated admin password), observed to succeed, then ``ioc airflow stop``. The only
configured source is budget revenue, from hand-made CSV exports in a temporary drop folder.

Scheduled (cron) runs are turned off for the test (``[scheduler] use_job_schedule``), so the
runs are those asked for; every DAG stays paused until a run of it is asked for. First
``ioc history`` loads June to August in one run of ``load_history`` (every period of every
type closed by August's close recorded), then ``ioc backfill`` closes September through
Airflow's own backfill, then October's close is triggered by hand, after its close day:
late. The run is then re-run (cleared, as an operator re-runs a period) while
``refresh_marts`` is triggered too: the two builds take the build pool's one slot in turn,
and the served tables hash the same (ioc/table_hash.py); so do they once August, a month
the history run closed, is re-run through ``ioc backfill --rerun``. Port 8793 (Airflow's
default log server port) is held by the test meanwhile, as a second Airflow on the machine
holds it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import httpx
import pytest

from ingest.common.settings import REPO_ROOT
from ioc import airflow_api
from ioc.backfill import closes_between
from ioc.table_hash import served_hashes
from tests.operator.test_operator_refresh import BUDGET, write_budget_files

pytestmark = pytest.mark.e2e
BUILD = "build_and_publish"

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


def _ioc(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ioc", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout


def _finished(api: httpx.Client, run_id: str) -> tuple[str, dict]:
    """Wait for the run to end; its state and its task instances' states."""
    state = airflow_api.wait_run(api, "close_month", run_id, 900)["state"]
    tasks = airflow_api.task_instances(api, "close_month", run_id)
    return state, {(t["task_id"], t["map_index"]): t["state"] for t in tasks}


def _hold(port: int) -> socket.socket | None:
    """A socket listening on ``port``, or None when something else holds it already."""
    held = socket.socket()
    try:
        held.bind(("127.0.0.1", port))
    except OSError:
        held.close()
        return None
    held.listen()
    return held


def _served(warehouse: Path) -> tuple[list, list, tuple]:
    """The periods' closes and states and October's revenue in the serving copy."""
    with duckdb.connect(str(warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        closes = con.execute(
            "select period_type, period_label, due_date::varchar, run_id, first_run_type "
            "from dq.dq_period_close order by period_type, period_label"
        ).fetchall()
        states = con.execute(
            "select period_type, period_label, state, close_state, days_late "
            "from marts.fct_period_state where period_end <= '2026-10-31' "
            "order by period_type, period_label"
        ).fetchall()
        revenue = con.execute(
            "select actual_value from marts.fct_indicator_value where admin_unit_code = '56' "
            "and period_label = '2026-10' and indicator_code = 'TNS_NOI_DIA'"
        ).fetchone()
    return closes, states, revenue


def _build_task(api: httpx.Client, dag_id: str, run_id: str) -> dict:
    (build,) = [t for t in airflow_api.task_instances(api, dag_id, run_id) if t["task_id"] == BUILD]
    return build


def test_a_monthly_close_runs_under_the_real_scheduler(tmp_path) -> None:
    warehouse, drops = tmp_path / "warehouse", tmp_path / "drops" / "ngansach"
    write_budget_files(drops)
    port = _free_port()
    env = _env(warehouse, drops, port)
    held = _hold(8793)  # as another Airflow's log server would
    started = time.monotonic()
    _ioc(env, "airflow", "start", "--port", str(port))
    timings = {"start": time.monotonic() - started}
    try:
        api = airflow_api.client(f"http://127.0.0.1:{port}", warehouse / "airflow")
        airflow_api.wait_parsed(api, "close_month", 120)  # the DAG processor parsed it
        # June to August in one history run, as an operator loads the history
        loading = time.monotonic()
        said_history = _ioc(env, "history", "--since", "2026-06", "--until", "2026-08", timeout=900)
        timings["history"] = time.monotonic() - loading
        (loaded,) = api.get("/dags/load_history/dagRuns").json()["dag_runs"]
        # September through Airflow's own backfill, as an operator re-runs a period
        backfilling = time.monotonic()
        said = _ioc(env, "backfill", "--since", "2026-09", "--until", "2026-09", timeout=900)
        timings["backfill"] = time.monotonic() - backfilling
        backfilled = airflow_api.until(
            "the backfill's runs",
            lambda: api.get("/dags/close_month/dagRuns", params={"run_type": "backfill"}).json()[
                "dag_runs"
            ],
            30,
        )

        run = api.post("/dags/close_month/dagRuns", json={"logical_date": LOGICAL_DATE})
        assert run.status_code == 200, run.text
        run_id = run.json()["dag_run_id"]
        triggered = time.monotonic()

        state, by_task = _finished(api, run_id)
        timings["run"] = time.monotonic() - triggered
        spent = airflow_api.run_time(
            api, "close_month", airflow_api.run_state(api, "close_month", run_id)
        )
        timings |= {"tasks_busy": spent.tasks_busy, BUILD: spent.by_task[BUILD]}
        assert state == "success", by_task
        # the figures are served when the publish ends; the digest, the run's last task, after
        assert 0 < spent.by_task[BUILD] < spent.done_at[BUILD] < spent.done_at["write_digest"]
        assert spent.done_at["write_digest"] == pytest.approx(max(spent.done_at.values()))
        assert max(spent.done_at.values()) <= spent.wall
        first = served_hashes(warehouse / "serving" / "ioc.duckdb")

        # The whole history's closes, as Airflow's own backfill would create them (dry run)
        # for `ioc backfill --since 2022-01` (today: up to October 2026's close).
        history = closes_between("month", date(2022, 1, 1), None, datetime(2026, 12, 5))
        backfill = api.post(
            "/backfills/dry_run",
            json={
                "dag_id": "close_month",
                "from_date": f"{history[0].closes_at.isoformat()}+07:00",
                "to_date": f"{history[-1].closes_at.isoformat()}+07:00",
                "max_active_runs": 1,
                "reprocess_behavior": "completed",  # list the closes that ran above too
            },
        )
        assert backfill.status_code == 200, backfill.text
        planned = [
            datetime.fromisoformat(b["logical_date"]).astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
            for b in backfill.json()["backfills"]
        ]

        # Re-running the period (Airflow's clear of the run): the same marts. While its build
        # runs, refresh_marts is triggered: its build waits for the build pool's one slot.
        cleared = api.post(f"/dags/close_month/dagRuns/{run_id}/clear", json={"dry_run": False})
        assert cleared.status_code == 200, cleared.text
        again = time.monotonic()
        airflow_api.until(
            "the re-run's build to start",
            lambda: _build_task(api, "close_month", run_id)["state"] == "running",
            600,
            every=0.5,
        )
        marts_run = airflow_api.trigger(api, "refresh_marts", None)
        state_again, _ = _finished(api, run_id)
        timings["rerun"] = time.monotonic() - again
        marts_state = airflow_api.wait_run(api, "refresh_marts", marts_run, 600)["state"]
        assert (state_again, marts_state) == ("success", "success")
        builds = [
            _build_task(api, "close_month", run_id),
            _build_task(api, "refresh_marts", marts_run),
        ]
        second = served_hashes(warehouse / "serving" / "ioc.duckdb")
        closes, states, revenue = _served(warehouse)

        # Re-running a period the history run closed (August), as an operator re-runs one
        # through the backfill: the same marts again
        rerunning = time.monotonic()
        said_rerun = _ioc(
            env, "backfill", "--since", "2026-08", "--until", "2026-08", "--rerun", timeout=900
        )
        timings["rerun_history_month"] = time.monotonic() - rerunning
        third = served_hashes(warehouse / "serving" / "ioc.duckdb")
    finally:
        stopping = time.monotonic()
        _ioc(env, "airflow", "stop")
        timings["stop"] = time.monotonic() - stopping
        if held:
            held.close()
    print("scheduler test timings (s):", {k: round(v, 1) for k, v in timings.items()})
    # The same marts. dq.dq_figure_change is the publish's diff against the copy readers saw
    # until then (here: September's close, then the first October run): after the re-run it
    # says nothing changed, the check that the figures are the same.
    changes = "dq.dq_figure_change"
    assert {k: v for k, v in second.items() if k != changes} == {
        k: v for k, v in first.items() if k != changes
    }
    assert "1 success" in said_rerun, said_rerun
    assert {k: v for k, v in third.items() if k != changes} == {
        k: v for k, v in second.items() if k != changes
    }
    with duckdb.connect(str(warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        assert con.execute(f"select count(*) from {changes}").fetchone() == (0,)
    # the two builds: both in the build pool, the second scheduled while the first ran and
    # started only once it had ended
    first_build, second_build = sorted(builds, key=lambda t: t["start_date"])
    assert {b["pool"] for b in builds} == {"ioc_build"}
    assert second_build["scheduled_when"] < first_build["end_date"] <= second_build["start_date"]
    # the history: one run, succeeded; the command said so
    assert loaded["state"] == "success" and "orchestration" in said_history, said_history
    # the backfill: one close, succeeded; the command said so
    assert [(r["logical_date"], r["state"]) for r in backfilled] == [
        ("2026-10-18T18:00:00Z", "success")
    ]
    assert "1 success" in said and "orchestration" in said, said
    # every run id in UTC (Airflow names runs after their time as sent: a backfill's first
    # run as its from_date, if sent in local time)
    run_ids = [loaded["dag_run_id"], run_id, marts_run] + [r["dag_run_id"] for r in backfilled]
    assert all(r.endswith("+00:00") for r in run_ids), run_ids
    assert backfilled[0]["dag_run_id"] == "backfill__2026-10-18T18:00:00+00:00"
    # one close a month, 01:00 local on the 19th (18:00 UTC the day before): the months
    # 2022-01 … 2026-10 close 2022-02-19 … 2026-11-19
    months = [(y, m) for y in range(2022, 2027) for m in range(1, 13)][1:59]
    assert planned == [f"{y}-{m:02d}-18T18:00Z" for y, m in months]
    assert len(planned) == 58 and history[0].label == "2022-01" and history[-1].label == "2026-10"
    assert {"marts.fct_indicator_value", "marts.fct_period_state"} <= set(first)

    # five mapped pulls (one per source, mapped when the DAG was parsed: no task to list
    # them; four not configured pull nothing), close, build and publish: all succeeded
    # under the scheduler
    assert ("sources", -1) not in by_task
    assert sorted(i for (t, i) in by_task if t == "pull") == [0, 1, 2, 3, 4]
    assert set(by_task.values()) == {"success"}
    # once each, though October ran twice; June to August by the history run (the periods of
    # every type closed by 19 September: months, the second quarter, the first half year),
    # September by the backfill. Due dates: the seed's rules (month: the 18th of the next
    # month; quarter and half year: the 20th)
    assert [(kind, label, due, how) for kind, label, due, _, how in closes] == [
        ("half_year", "2026-H1", "2026-07-20", "backfill"),
        ("month", "2026-06", "2026-07-18", "backfill"),
        ("month", "2026-07", "2026-08-18", "backfill"),
        ("month", "2026-08", "2026-09-18", "backfill"),
        ("month", "2026-09", "2026-10-18", "backfill"),
        ("month", "2026-10", "2026-11-18", "manual"),
        ("quarter", "2026-Q2", "2026-07-20", "backfill"),
    ]
    assert [run for *_, run, _ in closes] == [loaded["dag_run_id"]] * 4 + [
        backfilled[0]["dag_run_id"],
        run_id,
        loaded["dag_run_id"],
    ]
    # no report source configured: none expected, complete. October was closed by hand
    # after its close day (19 November): late by the days since (the test's local date). The
    # third quarter's close day (21 October) passed with no close: not closed
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert states == [
        ("half_year", "2026-H1", "complete", "backfill", None),
        ("month", "2026-06", "complete", "backfill", None),
        ("month", "2026-07", "complete", "backfill", None),
        ("month", "2026-08", "complete", "backfill", None),
        ("month", "2026-09", "complete", "backfill", None),
        ("month", "2026-10", "complete", "late", (today - date(2026, 11, 19)).days),
        ("quarter", "2026-Q2", "complete", "backfill", None),
        ("quarter", "2026-Q3", "complete", "not_closed", (today - date(2026, 10, 21)).days),
    ]
    assert revenue[0] == pytest.approx(BUDGET[1][2] - BUDGET[0][2])
    # every process the test started is gone
    assert not list((warehouse / "airflow" / "run").glob("*.pid"))

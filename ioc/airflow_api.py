"""The operator's Airflow through its REST API (``/api/v2``), as ``ioc backfill`` and the
scheduler benchmark drive it: a client logged in as the admin user ``ioc airflow start``
generated, runs waited for, and where a run's time went (Airflow's task instances).

Task time is the union of a run's task-instance intervals (two tasks running side by side
count once); the rest of the run's wall time is orchestration: queueing, the scheduler's
loop, starting each task's process.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx

FINISHED = ("success", "failed")


def client(url: str, home: Path) -> httpx.Client:
    """A client of ``url``'s API logged in as the admin user that Airflow's simple auth
    manager generated under ``home`` (``AIRFLOW_HOME``)."""
    passwords = home / "simple_auth_manager_passwords.json.generated"
    if not passwords.exists():
        raise RuntimeError(f"{passwords} not found: start Airflow with `ioc airflow start`")
    user, password = next(iter(json.loads(passwords.read_text()).items()))
    token = httpx.post(f"{url}/auth/token", json={"username": user, "password": password})
    token.raise_for_status()
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    return httpx.Client(base_url=f"{url}/api/v2", headers=headers, timeout=60)


def until(what: str, check: Callable[[], object], timeout: float, every: float = 1.0):
    """``check()``'s first true answer, polled every ``every`` s; TimeoutError on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def wait_parsed(api: httpx.Client, dag_id: str, timeout: float = 180) -> None:
    """Until the DAG processor has parsed ``dag_id``."""
    until(f"{dag_id} parsed", lambda: api.get(f"/dags/{dag_id}").status_code == 200, timeout)


def unpause(api: httpx.Client, dag_id: str) -> None:
    """The scheduler starts no run of a paused DAG, a backfill's included."""
    api.patch(f"/dags/{dag_id}", json={"is_paused": False}).raise_for_status()


def run_state(api: httpx.Client, dag_id: str, run_id: str) -> dict:
    got = api.get(f"/dags/{dag_id}/dagRuns/{run_id}")
    got.raise_for_status()
    return got.json()


def wait_run(api: httpx.Client, dag_id: str, run_id: str, timeout: float) -> dict:
    """The run once it has finished (success or failed)."""

    def ended():
        run = run_state(api, dag_id, run_id)
        return run if run["state"] in FINISHED else None

    return until(f"{dag_id} {run_id} to finish", ended, timeout, every=2)


def task_instances(api: httpx.Client, dag_id: str, run_id: str) -> list[dict]:
    got = api.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 1000})
    got.raise_for_status()
    return got.json()["task_instances"]


def _at(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class RunTime:
    """Where one run's time went, in seconds."""

    wall: float  # queued (or started) to end
    tasks_busy: float  # the union of its task instances' intervals
    tasks_sum: float  # their durations added up
    by_task: dict[str, float]  # task id → seconds (mapped instances added up)
    done_at: dict[str, float]  # task id → seconds from the run's start to its (last) end

    @property
    def overhead(self) -> float:
        return max(self.wall - self.tasks_busy, 0.0)


def run_time(api: httpx.Client, dag_id: str, run: dict) -> RunTime:
    """``run`` (a finished run as the API returns it): wall time from when it was queued (a
    backfill queues its runs all at once: from when it started) to its end, and its tasks'."""
    tis = task_instances(api, dag_id, run["dag_run_id"])
    spans = sorted(
        (_at(t["start_date"]), _at(t["end_date"]), t)
        for t in tis
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
    began = _at(run["start_date"]) if run.get("run_type") == "backfill" else None
    began = began or _at(run.get("queued_at")) or _at(run["start_date"])
    by_task: dict[str, float] = {}
    done_at: dict[str, float] = {}
    for _, stop, t in spans:
        by_task[t["task_id"]] = by_task.get(t["task_id"], 0.0) + (t["duration"] or 0.0)
        done_at[t["task_id"]] = max(done_at.get(t["task_id"], 0.0), (stop - began).total_seconds())
    wall = (_at(run["end_date"]) - began).total_seconds()
    return RunTime(wall, busy, sum(by_task.values()), by_task, done_at)


def trigger(api: httpx.Client, dag_id: str, logical_date: str | None, conf: dict | None = None):
    """A manual run of ``dag_id`` (unpaused first); its run id is Airflow's, in UTC."""
    unpause(api, dag_id)
    got = api.post(
        f"/dags/{dag_id}/dagRuns", json={"logical_date": logical_date, "conf": conf or {}}
    )
    if got.status_code != 200:
        raise RuntimeError(f"Airflow refused a run of {dag_id}: {got.text}")
    return got.json()["dag_run_id"]

"""``ioc backfill``: the history of a closing DAG run through Airflow's own backfill
(``POST /api/v2/backfills``), under the operator's running scheduler, then where the time
went (ioc/airflow_api.py).

One close at a time (the backfill's ``max_active_runs`` is 1): each close pulls what is new
since the ledger's watermark up to its own time and builds the one build database, so two at
once would race for both. Runs are created for every period from ``since`` to ``until`` of
the calendar (ioc/calendar.py); the scheduler starts them in order, oldest first. A run that
exists already is left as it is, unless it failed (``reprocess_behavior`` ``failed``), or
``rerun`` asks for every run again (``completed``): a re-run replaces its loads and its
close record, so the marts come out the same.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import httpx
import pendulum

from ioc import airflow_api
from ioc.airflow_api import RunTime
from ioc.calendar import PERIOD_ENDS, TZ, Period, periods

MAX_ACTIVE_RUNS = 1
LOCKED_TRIES = 8


def closes_between(
    period_type: str, since: date, until: date | None, now: datetime
) -> list[Period]:
    """The periods of the type that end from the month ``since`` to the month ``until``
    (default: every one closed by ``now``, naive local time), in order."""
    if period_type not in PERIOD_ENDS:
        raise ValueError(f"no closing DAG for {period_type!r}; known: {', '.join(PERIOD_ENDS)}")
    last = until or now.date()
    found = [
        p
        for p in periods(period_type, since.year, last.year)
        if p.end >= since and (p.end.replace(day=1) <= until if until else p.closes_at <= now)
    ]
    if not found:
        raise ValueError(f"no {period_type} period ends between {since:%Y-%m} and {last:%Y-%m}")
    return found


@dataclass(frozen=True)
class Backfill:
    backfill_id: int
    periods: list[Period]
    runs: list[dict]  # as the API returns them, oldest first
    wall: float  # the backfill's creation to its completion, seconds
    times: list[RunTime]  # of the runs this backfill ran (not those it left as they were)

    @property
    def states(self) -> Counter:
        return Counter(r["state"] for r in self.runs)

    @property
    def tasks_busy(self) -> float:
        return sum(t.tasks_busy for t in self.times)


def _utc(moment: datetime) -> str:
    """A naive local time as UTC, for the API. Airflow names a run after its time as given:
    the backfill's first run after ``from_date`` as sent, the others (the timetable's) in
    UTC; sent in UTC, every run id is in UTC, as the scheduler's and a trigger's are."""
    return pendulum.instance(moment, tz=TZ).in_timezone("UTC").isoformat()


def _runs(api: httpx.Client, dag_id: str, first: Period, last: Period) -> list[dict]:
    got = api.get(
        f"/dags/{dag_id}/dagRuns",
        params={
            "run_type": "backfill",
            "logical_date_gte": _utc(first.closes_at),
            "logical_date_lte": _utc(last.closes_at),
            "order_by": "logical_date",
            "limit": 1000,
        },
    )
    got.raise_for_status()
    return got.json()["dag_runs"]


def backfill(
    api: httpx.Client,
    period_type: str,
    since: date,
    until: date | None = None,
    rerun: bool = False,
    say: Callable[[str], None] = print,
    timeout: float = 24 * 3600,
) -> Backfill:
    """Backfill ``close_<period_type>`` over the periods from ``since`` to ``until`` and wait
    for it; raises RuntimeError when Airflow refuses it."""
    dag_id = f"close_{period_type}"
    now = pendulum.now(TZ).naive()
    todo = closes_between(period_type, since, until, now)
    airflow_api.wait_parsed(api, dag_id)
    body = {
        "dag_id": dag_id,
        "from_date": _utc(todo[0].closes_at),
        "to_date": _utc(todo[-1].closes_at),
        "max_active_runs": MAX_ACTIVE_RUNS,
        "reprocess_behavior": "completed" if rerun else "failed",
    }
    # 503: the metadata database was locked (SQLite while the scheduler writes); Airflow
    # removed the runs it had created, so asking again is safe. The DAG is unpaused only
    # once the backfill stands: the scheduler takes no run of a paused DAG, so it never
    # holds one of the runs removed (it stops on that: StaleDataError)
    for attempt in range(LOCKED_TRIES):
        created = api.post("/backfills", json=body)
        if created.status_code != 503:
            break
        say(f"the metadata database is busy ({created.json().get('detail')}); asking again")
        time.sleep(2 + 3 * attempt)
    if created.status_code != 200:
        raise RuntimeError(f"Airflow refused the backfill of {dag_id}: {created.text}")
    info = created.json()
    airflow_api.unpause(api, dag_id)  # the scheduler starts no run of a paused DAG
    say(
        f"backfill {info['id']} of {dag_id}: {len(todo)} closes, {todo[0].label} … "
        f"{todo[-1].label}, one at a time"
    )
    began = datetime.fromisoformat(info["created_at"])
    told: set[str] = set()
    deadline = time.monotonic() + timeout
    while True:
        state = api.get(f"/backfills/{info['id']}").json()
        runs = _runs(api, dag_id, todo[0], todo[-1])
        for run in runs:  # each run as it ends: its wall and task time
            if run["dag_run_id"] in told or run["state"] not in airflow_api.FINISHED:
                continue
            told.add(run["dag_run_id"])
            if run["start_date"] and datetime.fromisoformat(run["start_date"]) >= began:
                spent = airflow_api.run_time(api, dag_id, run)
                counts = Counter(r["state"] for r in runs)
                say(
                    f"{run['logical_date']}: {run['state']} in {spent.wall:.0f} s "
                    f"(tasks busy {spent.tasks_busy:.0f} s); "
                    + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
                )
        if state["completed_at"]:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"backfill {info['id']} not done after {timeout:.0f} s")
        time.sleep(5)
    wall = (
        datetime.fromisoformat(state["completed_at"]) - datetime.fromisoformat(info["created_at"])
    ).total_seconds()
    ran = [r for r in runs if r["start_date"] and datetime.fromisoformat(r["start_date"]) >= began]
    times = [airflow_api.run_time(api, dag_id, r) for r in ran if r["end_date"]]
    return Backfill(info["id"], todo, runs, wall, times)

"""The whole history and one monthly refresh under Airflow's real scheduler.

    python -m benchmarks.scheduler --scale 0.1 [--root /work/bench/scheduler] [--until 2026-09]

In a fresh warehouse under ``--root`` (wiped first), with the simulator as the five sources:
``ioc airflow start`` (scheduler, DAG processor, API server on a free port), then the whole
history's monthly closes through Airflow's own backfill (ioc/backfill.py: 2022-01 to
``--until``, one at a time), then one monthly refresh: the next month's close triggered
through the REST API as an operator would, observed to succeed. Scheduled runs are off
(``[scheduler] use_job_schedule``) so nothing else runs meanwhile.

For each: the wall time (the backfill's creation to its completion; the refresh's trigger
to its end), the time some task was running (Airflow's task instances, their intervals'
union) and the share of the wall time that is orchestration (the rest: queueing, the
scheduler's loop, each task's process start), plus the load average. One JSON line at the
end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import time
from pathlib import Path

import pendulum


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _share(wall: float, busy: float) -> float:
    return round(max(wall - busy, 0.0) / wall, 3) if wall else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--root", type=Path, default=Path("/work/bench/scheduler"))
    parser.add_argument("--since", default="2022-01")
    parser.add_argument("--until", default="2026-09", help="the backfill's last month")
    args = parser.parse_args()

    warehouse = args.root / f"sf{args.scale:g}"
    shutil.rmtree(warehouse, ignore_errors=True)
    warehouse.mkdir(parents=True)
    port = _free_port()
    os.environ.pop("AIRFLOW_HOME", None)
    os.environ |= {
        "IOC_WAREHOUSE": str(warehouse),
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
    }

    from demo.environment import airflow_env, apply
    from ingest.common.settings import WarehousePaths
    from ioc import airflow_api, airflow_services
    from ioc.backfill import backfill
    from ioc.calendar import TZ, period_ending
    from ioc.refresh import parse_period, simulated_sources

    apply(airflow_env(warehouse, port))
    paths = WarehousePaths.from_env()
    figures: dict = {"scale": args.scale, "load_avg_before": os.getloadavg()}
    say = lambda line: print(f"[bench] {line}", flush=True)  # noqa: E731
    with simulated_sources(paths, args.scale, port=_free_port()):
        started = time.monotonic()
        url = airflow_services.start(port, say)
        figures["airflow_start_s"] = round(time.monotonic() - started, 1)
        try:
            api = airflow_api.client(url, warehouse / "airflow")
            first, last = parse_period(args.since), parse_period(args.until)
            done = backfill(api, "month", first, last, say=say)
            figures["backfill"] = {
                "closes": len(done.periods),
                "states": dict(done.states),
                "wall_s": round(done.wall, 1),
                "tasks_busy_s": round(done.tasks_busy, 1),
                "overhead_share": _share(done.wall, done.tasks_busy),
                "per_close_wall_s": round(done.wall / len(done.periods), 1),
                "load_avg": os.getloadavg(),
            }
            say(f"backfill: {figures['backfill']}")

            month = pendulum.instance(last, tz=TZ).add(months=1)
            period = period_ending("month", month.year, month.month)
            logical = pendulum.instance(period.closes_at, tz=TZ).isoformat()
            t0 = time.monotonic()
            run = api.post("/dags/close_month/dagRuns", json={"logical_date": logical})
            run.raise_for_status()
            ended = airflow_api.wait_run(api, "close_month", run.json()["dag_run_id"], 3600)
            observed = time.monotonic() - t0
            spent = airflow_api.run_time(api, "close_month", ended)
            figures["monthly"] = {
                "period": period.label,
                "state": ended["state"],
                "observed_s": round(observed, 1),
                "wall_s": round(spent.wall, 1),
                "tasks_busy_s": round(spent.tasks_busy, 1),
                "overhead_share": _share(spent.wall, spent.tasks_busy),
                "by_task_s": {k: round(v, 1) for k, v in spent.by_task.items()},
                "load_avg": os.getloadavg(),
            }
            say(f"monthly: {figures['monthly']}")
        finally:
            airflow_services.stop(say)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

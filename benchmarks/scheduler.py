"""The whole history and one monthly refresh under Airflow's real scheduler.

    python -m benchmarks.scheduler --scale 1 [--root /work/bench/scheduler] [--until 2026-09]

In a fresh warehouse under ``--root`` (wiped first), with the simulator as the five sources:
``ioc airflow start`` (scheduler, DAG processor, API server on a free port), then the whole
history from ``--since`` to ``--until`` in one run of ``load_history`` (ioc/history.py, the
code of ``bin/ioc history``: every source pulled once, every period's close recorded, one
build and publish), then one monthly refresh: the next month's close triggered through the
REST API as an operator would, observed to succeed. Scheduled runs are off
(``[scheduler] use_job_schedule``) so nothing else runs meanwhile.

For each: the wall time (the run's trigger to its end; ``published_s``: to the publish's
end, when the new figures are served, before the digest), the time some task was running
(Airflow's task instances, their intervals' union), the share of the wall time that is
orchestration (the rest: queueing, the scheduler's loop, each task's process start before
Airflow marks it running), each task's seconds, and the load average before and after. One
JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pendulum

if TYPE_CHECKING:
    from ingest.common.settings import WarehousePaths


def _share(wall: float, busy: float) -> float:
    return round(max(wall - busy, 0.0) / wall, 3) if wall else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--root", type=Path, default=Path("/work/bench/scheduler"))
    parser.add_argument("--since", default="2022-01")
    parser.add_argument("--until", default="2026-09", help="the history's last month")
    parser.add_argument(
        "--start-from",
        type=Path,
        help="a benchmarks.build root (<root>/premonth, <root>/base/drops) of the same scale: "
        "its warehouse before October copied in place of the history run (the lake "
        "hard-linked), and only the monthly refresh timed",
    )
    args = parser.parse_args()

    warehouse = args.root / f"sf{args.scale:g}"
    shutil.rmtree(warehouse, ignore_errors=True)
    if args.start_from:
        _copy_premonth(args.start_from, warehouse, args.scale)
    warehouse.mkdir(parents=True, exist_ok=True)
    os.environ.pop("AIRFLOW_HOME", None)
    os.environ |= {
        "IOC_WAREHOUSE": str(warehouse),
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
    }

    from demo.environment import airflow_env, apply
    from ingest.common.settings import WarehousePaths
    from ioc import airflow_api, airflow_services
    from ioc.airflow_services import free_port
    from ioc.calendar import TZ, period_ending
    from ioc.history import load_history
    from ioc.refresh import parse_period, simulated_sources

    port = free_port()
    apply(airflow_env(warehouse, port))
    paths = WarehousePaths.from_env()
    figures: dict = {"scale": args.scale, "load_avg_before": os.getloadavg()}
    say = lambda line: print(f"[bench] {line}", flush=True)  # noqa: E731
    with simulated_sources(paths, args.scale, port=free_port()):
        started = time.monotonic()
        url = airflow_services.start(port, say)
        figures["airflow_start_s"] = round(time.monotonic() - started, 1)
        try:
            api = airflow_api.client(url, warehouse / "airflow")
            airflow_api.wait_parsed(api, "close_month")
            if args.start_from:
                _parse_as_last_month_did(paths)
            before = os.getloadavg()
            t0 = time.monotonic()
            if not args.start_from:
                history = load_history(api, args.since, args.until, say=say)
                figures["history"] = _figures(history.run, history.time, t0, before)
                say(f"history: {figures['history']}")

            last = parse_period(args.until)
            month = pendulum.instance(last, tz=TZ).add(months=1)
            period = period_ending("month", month.year, month.month)
            logical = pendulum.instance(period.closes_at, tz=TZ).in_timezone("UTC").isoformat()
            before = os.getloadavg()
            t0 = time.monotonic()
            run_id = airflow_api.trigger(api, "close_month", logical)
            ended = airflow_api.wait_run(api, "close_month", run_id, 3600)
            spent = airflow_api.run_time(api, "close_month", ended)
            figures["monthly"] = {"period": period.label} | _figures(ended, spent, t0, before)
            say(f"monthly: {figures['monthly']}")
        finally:
            airflow_services.stop(say)
    print(json.dumps(figures))


def _copy_premonth(root: Path, warehouse: Path, scale: float) -> None:
    """``root``'s warehouse before October (benchmarks.build's, ``copy_warehouse``) as
    ``warehouse``, with the drops its base was landed from; ``root`` landed at ``scale``
    with the simulator's seed the scheduler's sources use."""
    from benchmarks.build import MARKER, PREMONTH, PREMONTH_STATE, copy_warehouse
    from demo.services import SIM_SEED

    marker = root / "base" / MARKER
    landed = json.loads(marker.read_text()) if marker.exists() else {}
    if (landed.get("scale"), landed.get("seed")) != (scale, SIM_SEED):
        held = f"scale {landed.get('scale')}, seed {landed.get('seed')}"
        raise SystemExit(f"{root} holds {held}, not scale {scale:g}, seed {SIM_SEED}")
    if not (root / PREMONTH / "serving").is_dir():
        raise SystemExit(f"{root / PREMONTH} is missing: run benchmarks.build on {root} first")
    copy_warehouse(root / PREMONTH, warehouse, PREMONTH_STATE)
    shutil.copytree(root / "base" / "drops", warehouse / "drops", dirs_exist_ok=True)


def _parse_as_last_month_did(paths: WarehousePaths) -> None:
    """dbt's partial-parse state as the previous month's close leaves it: the copy moved
    the warehouse, and dbt parses the whole project again for a profile that moved (17 s
    of the close at SF10), which a province's monthly close at its own path does not pay.
    The variables are the ones the close's build passes (the same environment)."""
    from ioc.sources import EnvSettings, dbt_vars
    from refresh.dbt import parse_dbt

    variables = json.dumps(dbt_vars(EnvSettings.current()), ensure_ascii=False)
    parse_dbt(["--vars", variables], paths)


def _figures(run: dict, spent, t0: float, load_before: tuple) -> dict:
    return {
        "run_id": run["dag_run_id"],
        "state": run["state"],
        "observed_s": round(time.monotonic() - t0, 1),
        "wall_s": round(spent.wall, 1),
        # the new figures served: the publish's end (the digest and the run's end after it)
        "published_s": round(spent.done_at.get("build_and_publish", spent.wall), 1),
        "tasks_busy_s": round(spent.tasks_busy, 1),
        "overhead_share": _share(spent.wall, spent.tasks_busy),
        "by_task_s": {k: round(v, 1) for k, v in spent.by_task.items()},
        "load_avg_before": load_before,
        "load_avg": os.getloadavg(),
    }


if __name__ == "__main__":
    main()

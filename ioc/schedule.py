"""``ioc schedule``: the next runs of every DAG, from Airflow's own timetables (the DAG
folder parsed as the scheduler parses it), in local time; for a closing DAG, the period
each run closes and its due date (ioc/calendar.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pendulum

from ioc.calendar import TZ, closed_by

LISTED = 31  # more runs than this in the window are summarised, not listed


def next_runs(timetable, start: datetime, end: datetime) -> list[datetime]:
    """When the timetable's runs start between ``start`` and ``end`` (aware datetimes), as
    the scheduler would create them (with catch-up, so none is skipped); [] for a DAG that
    runs on Asset updates rather than on time."""
    from airflow.timetables.base import TimeRestriction

    if not hasattr(timetable, "next_dagrun_info"):  # Asset-triggered
        return []
    # A data-interval timetable runs at its interval's end: look from a year before ``start``
    # (no interval here is longer) and keep the runs from ``start`` on.
    earliest = pendulum.instance(start).subtract(months=13)
    restriction = TimeRestriction(earliest=earliest, latest=end, catchup=True)
    runs: list[datetime] = []
    last = None
    while True:
        info = timetable.next_dagrun_info(
            last_automated_data_interval=last, restriction=restriction
        )
        if info is None or info.run_after > end:
            return runs
        if info.run_after >= start:
            runs.append(info.run_after)
        last = info.data_interval


def describe(dag, start: datetime, end: datetime) -> list[str]:
    """The lines ``ioc schedule`` prints for one DAG."""
    runs = [pendulum.instance(r).in_timezone(TZ) for r in next_runs(dag.timetable, start, end)]
    head = f"{dag.dag_id}: {getattr(dag.timetable, 'summary', 'on Assets')}"
    if dag.schedule is None:
        return [f"{dag.dag_id}: never scheduled (runs when asked for, e.g. bin/ioc history)"]
    if not runs:
        return [f"{head} (runs when its Assets are updated, not on a calendar)"]
    if len(runs) > LISTED:
        return [
            f"{head}: {len(runs)} runs, first {runs[0]:%Y-%m-%d %H:%M}, "
            f"last {runs[-1]:%Y-%m-%d %H:%M}"
        ]
    lines = [f"{head}: {len(runs)} run(s)"]
    period_type = dag.dag_id.removeprefix("close_") if dag.dag_id.startswith("close_") else None
    for run in runs:
        line = f"  {run:%Y-%m-%d %H:%M}"
        if period_type:
            period = closed_by(period_type, run.naive())
            line += f"  closes {period.label} (due {period.due:%Y-%m-%d})"
        lines.append(line)
    return lines


def report(dags: dict, months: int, say: Callable[[str], None], now: datetime | None = None):
    """Every DAG's runs from ``now`` for ``months`` months (local time)."""
    start = pendulum.instance(now or pendulum.now(TZ)).in_timezone(TZ)
    end = start.add(months=months)
    say(f"runs from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} ({TZ})")
    for dag_id in sorted(dags):
        for line in describe(dags[dag_id], start, end):
            say(line)

"""``ioc history``: the whole history in one run of ``load_history`` (dags/load_history.py)
under the operator's running scheduler, triggered through the REST API and waited for.

The equivalent of backfilling every closing DAG from 2022-01 (``ioc backfill``): the same
lake, the same close records, hence the same marts, but each source is pulled once and dbt
builds once, where a backfill pulls, builds and publishes everything again for each of the
57 months (benchmarks/README.md). ``ioc backfill`` stays the way to run periods again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from ioc import airflow_api
from ioc.airflow_api import RunTime

DAG_ID = "load_history"


@dataclass(frozen=True)
class History:
    run: dict  # as the API returns it
    time: RunTime


def load_history(
    api: httpx.Client,
    since: str,
    until: str | None,
    say: Callable[[str], None] = print,
    timeout: float = 24 * 3600,
) -> History:
    """Run ``load_history`` from the month ``since`` to ``until`` (``YYYY-MM``; default the
    last month closed) and wait for it."""
    airflow_api.wait_parsed(api, DAG_ID)
    run_id = airflow_api.trigger(api, DAG_ID, None, {"since": since, "until": until})
    say(f"{DAG_ID} {run_id}: {since} … {until or 'the last month closed'}")
    run = airflow_api.wait_run(api, DAG_ID, run_id, timeout)
    spent = airflow_api.run_time(api, DAG_ID, run)
    say(
        f"{DAG_ID}: {run['state']} in {spent.wall:.0f} s; tasks busy {spent.tasks_busy:.0f} s, "
        f"orchestration {spent.overhead / spent.wall:.0%} of the wall time"
    )
    return History(run, spent)

"""The demo's Airflow metadata database (SQLite under the warehouse, demo/environment.py) as
Airflow itself opens it: a writer waits its turn for the lock instead of failing."""

from __future__ import annotations

import os
import subprocess
import sys

from ingest.common.settings import REPO_ROOT

SCRIPT = """
from airflow import settings
with settings.engine.connect() as con:
    print(con.exec_driver_sql("pragma busy_timeout").scalar())
"""


def test_a_sqlite_writer_waits_thirty_seconds_for_the_lock(tmp_path) -> None:
    """pysqlite's own 5 s made the REST API answer 500 to a run's trigger while the scheduler
    held the lock on a loaded machine (the audit log's insert gave up)."""
    from demo.environment import airflow_env

    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "IOC_"))}
    env = keep | airflow_env(tmp_path / "warehouse")
    (tmp_path / "warehouse" / "airflow").mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "30000"  # milliseconds

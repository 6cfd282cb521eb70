"""Session fixtures shared by the suites: ONE simulator and ONE end-to-end refresh.

``pipeline`` starts the source simulator, then runs the real monthly refresh through
Airflow (``python -m demo.airflow_run``: ``dag.test()`` of every DAG) into a fresh warehouse.
Every test that needs the marts, and the Superset tests, read what that run published.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from demo import environment, services
from ingest.common.settings import REPO_ROOT

SCALE = 0.005  # ≈ 5,000 dossiers a year: every code path, in a CI-sized run
PERIOD = "2026-10"
# Records that come again, as real sources send them (issue 15; simulator/dulich/versions.py,
# simulator/giaoduc/corrections.py, simulator/{reporting,ngansach}/versions.py): figures
# republished, an older copy beside the current one, identical copies, conflicting copies,
# pre-reform periods corrected after the reform, and codes no list knows.
REVISION_FAULTS: dict[str, dict] = {
    "dulich": {
        "seed": 15,
        "revision_rate": 0.1,
        "stale_copy_rate": 0.05,
        "repeat_rate": 0.05,
        "conflict_rate": 0.03,
        "unknown_code_rate": 0.005,
    },
    "giaoduc": {
        "seed": 15,
        "revision_rate": 0.05,
        "stale_copy_rate": 0.03,
        "repeat_rate": 0.03,
        "conflict_rate": 0.02,
        "late_correction_rate": 0.03,
        "unknown_code_rate": 0.005,
    },
    "reporting": {  # API reports (simulator/reporting/versions.py)
        "seed": 15,
        "revision_rate": 0.05,
        "stale_copy_rate": 0.03,
        "repeat_rate": 0.03,
        "conflict_rate": 0.02,
        "late_correction_rate": 0.03,
    },
    "ngansach": {  # budget files (simulator/ngansach/versions.py)
        "seed": 15,
        "revision_rate": 0.05,
        "stale_copy_rate": 0.02,
        "repeat_rate": 0.02,
        "conflict_rate": 0.01,
        "late_correction_rate": 0.2,
        "unknown_code_rate": 0.002,
    },
}


@dataclass(frozen=True)
class Pipeline:
    warehouse: Path
    sim_url: str
    env: dict[str, str]
    scale: float
    seed: int

    def refresh(self, period: str = PERIOD, since: str | None = None) -> None:
        """The monthly refresh through Airflow, exactly as ``bin/ioc`` runs it."""
        cmd = [sys.executable, "-m", "demo.airflow_run", period]
        if since:
            cmd += ["--since", since]
        log = self.warehouse / "logs" / "refresh.log"
        with log.open("ab") as out:
            done = subprocess.run(
                cmd, env=self.env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=1200
            )
        if done.returncode:
            tail = log.read_text(errors="replace")[-6000:]
            raise AssertionError(f"refresh {period} failed ({done.returncode}):\n{tail}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _closed_on_time(warehouse: Path, year: int, month: int) -> None:
    """The record close_month writes when it closes the month on its close day (the
    refresh alone closes nothing): the served period state has a closed period, and the
    month after it, overdue, a period not closed (marts.fct_period_state)."""
    from datetime import timedelta

    from ingest.common.settings import WarehousePaths
    from ioc.calendar import period_ending
    from ioc.run_records import record_close

    period = period_ending("month", year, month)
    ran_at = period.closes_at + timedelta(minutes=5)
    record_close(
        WarehousePaths(warehouse), period, period.closes_at, "close_month", "fixture", ran_at,
        "scheduled",
    )  # fmt: skip


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    warehouse = tmp_path_factory.mktemp("warehouse")
    secrets = environment.load_secrets(warehouse)
    log = warehouse / "logs" / "simulator.log"
    drops = environment.drop_root(warehouse)
    with services.simulator(free_port(), SCALE, secrets, log, drops) as url:
        httpx.post(f"{url}/_sim/faults", json=REVISION_FAULTS, timeout=30).raise_for_status()
        # the drop folders are written again with the faults (the budget files' copies)
        httpx.post(f"{url}/_sim/drops", timeout=120).raise_for_status()
        env = {**os.environ, **environment.pipeline_env(warehouse, url)}
        run = Pipeline(warehouse, url, env, SCALE, services.SIM_SEED)
        _closed_on_time(warehouse, 2026, 9)
        run.refresh()
        yield run


@pytest.fixture(scope="session")
def published_warehouse(pipeline: Pipeline) -> Path:
    """A warehouse folder whose ``serving/ioc.duckdb`` the real pipeline published."""
    return pipeline.warehouse

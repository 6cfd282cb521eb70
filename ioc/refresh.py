"""``ioc refresh``: one month through Airflow from the sources this province configured.

The same path serves the demo: there the simulator is started first and configured as the
five sources (``--simulator``); an operator's refresh starts nothing and reads only the
configured connections and drop folders.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from datetime import date

from demo import airflow_run, environment, services
from ingest.common.settings import WarehousePaths

SIM_PORT = 8765


def parse_period(text: str) -> date:
    """``YYYY-MM`` → its first day (ValueError with the reason otherwise)."""
    try:
        year, month = (int(p) for p in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ValueError(f"period {text!r} is not YYYY-MM (e.g. 2026-10)") from None


def prepare(paths: WarehousePaths) -> None:
    """This process's environment: the operator's settings over the defaults."""
    environment.apply(environment.operator_env(paths.root, dict(os.environ)))


@contextlib.contextmanager
def simulated_sources(paths: WarehousePaths, scale: float, port: int = SIM_PORT) -> Iterator[str]:
    """The demo's sources: the simulator running and configured as all five."""
    secrets = environment.load_secrets(paths.root)
    log = paths.root / "logs" / "simulator.log"
    drops = environment.drop_root(paths.root)
    with services.simulator(port, scale, secrets, log, drops) as url:
        environment.apply(environment.simulator_sources(paths.root, url))
        yield url


def refresh(
    period: date,
    sources: list[str] | None = None,
    since: str | None = None,
    say: Callable[[str], None] = print,
) -> dict[str, str]:
    """Every requested source's DAG, then ``refresh_marts``; raises ``RefreshFailed``."""
    started = time.monotonic()
    airflow_run.migrate_metadata_db()
    say(f"metadata database ready ({time.monotonic() - started:.0f} s)")
    states = airflow_run.run_period(period, since, sources, progress=say)
    skipped = [dag for dag, state in states.items() if state == airflow_run.NOT_CONFIGURED]
    if sources and skipped:
        raise airflow_run.RefreshFailed(
            f"asked for, but not configured: {', '.join(skipped)} (run `ioc check`)"
        )
    return states

"""``ioc airflow start|stop``: the operator's own Airflow, on 127.0.0.1, with the project's
DAGs: the scheduler, the DAG processor and the API server (the UI). The metadata database
is SQLite under the warehouse unless ``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`` says otherwise
(PostgreSQL in production). Each process is started in its own session, its id kept in
``<AIRFLOW_HOME>/run/<name>.pid`` and its output in ``<AIRFLOW_HOME>/logs/<name>.log``;
``stop`` ends exactly those processes.

Set up on each start: the build pool (``dags.policy.BUILD_POOL``, one slot: one build or
publish at a time across DAGs) and, unless the operator set one, a free port for the
scheduler's log server (Airflow's fixed 8793 collides when a second Airflow runs on the
machine, e.g. a test's beside the demo's).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from demo.services import wait_http
from ingest.common.settings import REPO_ROOT

LOG_SERVER_PORT = "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"
SERVICES = {
    "scheduler": ["scheduler"],
    "dag-processor": ["dag-processor"],
    "api-server": ["api-server", "--host", "127.0.0.1"],
}


def _airflow() -> str:
    local = REPO_ROOT / ".venv" / "bin" / "airflow"
    return str(local) if local.exists() else "airflow"


def _home() -> Path:
    return Path(os.environ["AIRFLOW_HOME"])


def _pid_file(name: str) -> Path:
    return _home() / "run" / f"{name}.pid"


def running(name: str) -> int | None:
    """The process id of a service this command started, if it is still alive."""
    path = _pid_file(name)
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        path.unlink(missing_ok=True)
        return None
    return pid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_server_port(env: Mapping[str, str], kept: Path) -> str:
    """The scheduler's log server port: the operator's, else the one chosen when the
    running services started (kept in ``kept``), else a free one (then kept)."""
    if env.get(LOG_SERVER_PORT):
        return env[LOG_SERVER_PORT]
    if kept.exists() and running("scheduler"):
        return kept.read_text().strip()
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(str(free_port()))
    return kept.read_text()


def ensure_build_pool() -> None:
    """The pool every building or publishing task takes (idempotent; one slot)."""
    from airflow.models.pool import Pool

    from dags.policy import BUILD_POOL

    Pool.create_or_update_pool(
        BUILD_POOL,
        slots=1,
        description="dbt build and publish: one at a time across DAGs",
        include_deferred=False,
    )


def start(port: int, say: Callable[[str], None] = print) -> str:
    """Start what is not running yet; returns the UI's URL once the API server answers."""
    from demo.airflow_run import migrate_metadata_db

    say(f"metadata database: {os.environ['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN'].split('://')[0]}")
    migrate_metadata_db()
    ensure_build_pool()
    os.environ[LOG_SERVER_PORT] = log_server_port(os.environ, _home() / "run" / "log_server.port")
    say(f"scheduler's log server: port {os.environ[LOG_SERVER_PORT]}")
    for name, args in SERVICES.items():
        pid = running(name)
        if pid:
            say(f"{name}: already running (pid {pid})")
            continue
        cmd = [_airflow(), *args] + (["--port", str(port)] if name == "api-server" else [])
        log = _home() / "logs" / f"{name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        _pid_file(name).parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as out:
            process = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        _pid_file(name).write_text(str(process.pid))
        say(f"{name}: started (pid {process.pid}), log {log}")
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/api/v2/monitor/health", 180)
    return url


def stop(say: Callable[[str], None] = print, grace: float = 20.0) -> None:
    """Stop the services this command started (their process groups), by their ids."""
    for name in SERVICES:
        pid = running(name)
        if pid is None:
            say(f"{name}: not running")
            continue
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and running(name):
            time.sleep(0.3)
        if running(name):
            os.killpg(pid, signal.SIGKILL)
        _pid_file(name).unlink(missing_ok=True)
        say(f"{name}: stopped")

"""Prepare and run the real Superset (serving env) on 127.0.0.1, as a background process.

    SUPERSET_SECRET_KEY=… SUPERSET_ADMIN_PASSWORD=… python -m dashboards.server start
    python -m dashboards.server status | stop

Environment: IOC_WAREHOUSE (default <repo>/warehouse), IOC_SUPERSET_DIR (state: metadata DB,
cache, pid, logs; default $IOC_WAREHOUSE/superset), SUPERSET_PORT (default 8088),
SUPERSET_METADATA_URI (optional; default SQLite in the state dir).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import httpx

from dashboards import frontend_patch, language_pack

REPO_DIR = Path(__file__).resolve().parents[1]
SERVING_BIN = REPO_DIR / "envs" / "serving" / ".venv" / "bin"
CONFIG_PATH = REPO_DIR / "superset_config.py"
ADMIN_USERNAME = "admin"
_SECRET_VARS = ("SUPERSET_SECRET_KEY", "SUPERSET_ADMIN_PASSWORD")


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    state_dir: Path
    secret_key: str = field(repr=False)
    admin_password: str = field(repr=False)
    port: int = 8088
    metadata_uri: str | None = None
    workers: int = 2  # one per core; each holds ~300 MB
    threads: int = 8  # DuckDB releases the GIL, so threads serve concurrent chart queries

    @classmethod
    def from_env(cls, require_secrets: bool = True) -> Settings:
        warehouse = Path(os.environ.get("IOC_WAREHOUSE", REPO_DIR / "warehouse")).resolve()
        secrets = {name: os.environ.get(name, "") for name in _SECRET_VARS}
        missing = [name for name, value in secrets.items() if not value]
        if require_secrets and missing:
            raise SystemExit(f"set {' and '.join(missing)}")
        return cls(
            warehouse=warehouse,
            state_dir=Path(os.environ.get("IOC_SUPERSET_DIR", warehouse / "superset")).resolve(),
            secret_key=secrets["SUPERSET_SECRET_KEY"],
            admin_password=secrets["SUPERSET_ADMIN_PASSWORD"],
            port=int(os.environ.get("SUPERSET_PORT", "8088")),
            metadata_uri=os.environ.get("SUPERSET_METADATA_URI") or None,
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "gunicorn.pid"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "logs" / "superset.log"

    @property
    def sqlite_path(self) -> Path | None:
        return None if self.metadata_uri else self.state_dir / "superset.db"

    def env(self) -> dict[str, str]:
        """The environment Superset runs with: only what it needs, nothing else inherited."""
        env = {
            "PATH": f"{SERVING_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": os.environ.get("HOME", str(self.state_dir)),
            "LANG": "C.UTF-8",
            "SUPERSET_CONFIG_PATH": str(CONFIG_PATH),
            "SUPERSET_SECRET_KEY": self.secret_key,
            "IOC_WAREHOUSE": str(self.warehouse),
            "IOC_SUPERSET_DIR": str(self.state_dir),
            "SCARF_ANALYTICS": "false",
            "DO_NOT_TRACK": "1",
            "PYTHONUNBUFFERED": "1",
        }
        if self.metadata_uri:
            env["SUPERSET_METADATA_URI"] = self.metadata_uri
        if cookie_secure := os.environ.get("SUPERSET_COOKIE_SECURE"):
            env["SUPERSET_COOKIE_SECURE"] = cookie_secure
        return env


def _superset(settings: Settings, *args: str) -> None:
    """Run one `superset` CLI command in the serving env; its output goes to the log.

    The admin password reaches `fab create-admin` / `fab reset-password` through the CLI's
    FLASK_<COMMAND>_<OPTION> variables, so it never shows in a process list.
    """
    env = {
        **settings.env(),
        "FLASK_FAB_CREATE_ADMIN_PASSWORD": settings.admin_password,
        "FLASK_FAB_RESET_PASSWORD_PASSWORD": settings.admin_password,
    }
    with settings.log_file.open("a") as log:
        log.write(f"\n$ superset {' '.join(args)}\n")
        log.flush()
        done = subprocess.run(
            [str(SERVING_BIN / "superset"), *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"`superset {' '.join(args)}` failed; see {settings.log_file}")


def _stamp(settings: Settings) -> dict[str, str]:
    """What a prepared metadata DB is prepared for: this Superset version and this DB."""
    uri = settings.metadata_uri or f"sqlite:///{settings.sqlite_path}"
    stamp = {
        "superset_version": _serving_superset_version(),
        "metadata_uri_sha256": hashlib.sha256(uri.encode()).hexdigest(),
    }
    if settings.sqlite_path is not None:
        stamp["alembic_revision"] = _sqlite_revision(settings.sqlite_path) or ""
    return stamp


def _serving_superset_version() -> str:
    site_packages = [str(p) for p in (SERVING_BIN.parent / "lib").glob("python3*/site-packages")]
    return next(iter(metadata.distributions(name="apache-superset", path=site_packages))).version


def _sqlite_revision(path: Path) -> str | None:
    if not path.is_file():
        return None
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        try:
            return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        except sqlite3.Error:
            return None


def prepare(settings: Settings) -> bool:
    """Migrate the metadata DB, create the admin, sync roles; skipped if already done.

    Returns whether any work was done. The stamp records the Superset version, the metadata
    DB and (SQLite) its schema revision, so a new Superset or a lost DB prepares again.
    """
    settings.log_file.parent.mkdir(parents=True, exist_ok=True)
    stamp_file = settings.state_dir / "prepared.json"
    if stamp_file.is_file() and json.loads(stamp_file.read_text()) == _stamp(settings):
        return False
    stamp_file.unlink(missing_ok=True)
    _superset(settings, "db", "upgrade")
    names = ("--firstname", "Quản trị", "--lastname", "IOC", "--email", "admin@ioc.invalid")
    _superset(settings, "fab", "create-admin", "--username", ADMIN_USERNAME, *names)
    _superset(settings, "init")
    stamp_file.write_text(json.dumps(_stamp(settings), indent=2) + "\n")
    return True


def _admin_can_log_in(settings: Settings) -> bool:
    body = {"username": ADMIN_USERNAME, "password": settings.admin_password, "provider": "db"}
    return httpx.post(f"{settings.base_url}/api/v1/security/login", json=body).is_success


def read_pid(settings: Settings) -> int | None:
    """The gunicorn master's pid if it is alive."""
    try:
        pid = int(settings.pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _alive(pid) else None


def is_healthy(settings: Settings) -> bool:
    try:
        return httpx.get(f"{settings.base_url}/health", timeout=5).text.strip() == "OK"
    except httpx.HTTPError:
        return False


def _wait_healthy(settings: Settings, pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not is_healthy(settings):
        if not _alive(pid) or time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def start(settings: Settings, timeout: float = 240) -> bool:
    """Start Superset unless it already runs; return whether a new server was started."""
    running = read_pid(settings)
    if running and _wait_healthy(settings, running, timeout):
        _ensure_admin_password(settings)
        return False
    stop(settings)  # a hung or half-started server from this state dir
    if is_healthy(settings):
        raise RuntimeError(f"port {settings.port} is served by another process")
    prepare(settings)
    language_pack.install()  # read once per worker at start
    frontend_patch.install()  # the drill-by table's names and figures
    command = [
        str(SERVING_BIN / "gunicorn"),
        f"--bind=127.0.0.1:{settings.port}",
        f"--workers={settings.workers}",
        "--worker-class=gthread",
        f"--threads={settings.threads}",
        "--timeout=120",
        "--graceful-timeout=30",
        # a connection per request: kept-alive connections stay with the worker that took
        # them (4 users' requests split 65/35 between the two workers, measured; 51/49 so)
        "--keep-alive=0",
        "--limit-request-line=0",
        "--limit-request-field_size=0",
        f"--pid={settings.pid_file}",
        "superset.app:create_app()",
    ]
    with settings.log_file.open("a") as log:
        process = subprocess.Popen(
            command,
            env=settings.env(),
            cwd=settings.state_dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives the caller; stop() signals it by pid
        )
    if not _wait_healthy(settings, process.pid, timeout):
        _terminate(process.pid)
        raise RuntimeError(f"Superset did not become healthy; see {settings.log_file}")
    _ensure_admin_password(settings)
    return True


def _ensure_admin_password(settings: Settings) -> None:
    """An existing metadata DB may hold another admin password (the caller generates it)."""
    if not _admin_can_log_in(settings):
        _superset(settings, "fab", "reset-password", "--username", ADMIN_USERNAME)


def stop(settings: Settings, timeout: float = 45) -> bool:
    """Stop the server started from this state dir; return whether one was running."""
    pid = read_pid(settings)
    if pid is not None:
        _terminate(pid, timeout)
    settings.pid_file.unlink(missing_ok=True)
    return pid is not None


def _terminate(pid: int, timeout: float = 45) -> None:
    """SIGTERM (gunicorn's graceful shutdown), then SIGKILL the group after `timeout`."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child: reap it
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    command = parser.parse_args(argv).command
    settings = Settings.from_env(require_secrets=command == "start")
    if command == "start":
        began = time.monotonic()
        started = start(settings)
        state = "started" if started else "already running"
        print(f"Superset {state} at {settings.base_url} ({time.monotonic() - began:.0f} s)")
    elif command == "stop":
        print("Superset stopped" if stop(settings) else "Superset was not running")
    else:
        pid, healthy = read_pid(settings), is_healthy(settings)
        state = "running" if pid and healthy else "unhealthy" if pid else "not running"
        print(f"Superset {state} at {settings.base_url}" + (f" (pid {pid})" if pid else ""))
        return 0 if pid and healthy else 3
    return 0


if __name__ == "__main__":
    sys.exit(main())

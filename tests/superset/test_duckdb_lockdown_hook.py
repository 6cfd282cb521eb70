"""superset_config.py's DuckDB connect hook holds when many connections open at once, and
no connection reaches a file but the serving copy: not even another file of the serving
folder. Runs superset_config.py alone (no Superset server), on a small serving copy."""

from __future__ import annotations

import json
import secrets
import subprocess
from pathlib import Path

import duckdb

from dashboards import server

PROBE = Path(__file__).with_name("lockdown_probe.py")
SECRET = "bí mật"


def _serving_folder(warehouse: Path) -> Path:
    """A serving copy, and beside it what SQL Lab must never reach: another database, a
    CSV, and a database in DuckDB's own spill folder (which DuckDB allows itself)."""
    serving = warehouse / "serving"
    (serving / "ioc.duckdb.tmp").mkdir(parents=True)
    with duckdb.connect(str(serving / "ioc.duckdb")) as con:
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT 1 AS a")
    for other in (serving / "other.duckdb", serving / "ioc.duckdb.tmp" / "spill.duckdb"):
        with duckdb.connect(str(other)) as con:
            con.execute("CREATE TABLE leak AS SELECT ? AS s", [SECRET])
    (serving / "x.csv").write_text(f"s\n{SECRET}\n", encoding="utf-8")
    return serving


def test_every_connection_is_locked_down_and_reaches_no_other_file(tmp_path: Path) -> None:
    serving = _serving_folder(tmp_path / "warehouse")
    before = sorted(p.name for p in serving.rglob("*"))
    reaches = [
        f"ATTACH '{serving}/other.duckdb' AS o (READ_ONLY)",
        f"ATTACH '{serving}/other.duckdb' AS o2",
        f"ATTACH '{serving}/ioc.duckdb.tmp/spill.duckdb' AS t (READ_ONLY)",
        f"ATTACH '{serving}/ioc.duckdb' AS again",
        f"SELECT * FROM '{serving}/x.csv'",
        f"SELECT * FROM read_text('{serving}/x.csv')",
        f"SELECT * FROM glob('{serving}/*')",
        "SELECT * FROM '/etc/passwd'",
        f"COPY (SELECT 1) TO '{serving}/ioc.duckdb.tmp/out.csv'",
        f"COPY (SELECT 1) TO '{serving}/out.csv'",
        "INSTALL httpfs",
        "DETACH ioc",
    ]
    done = subprocess.run(
        [str(server.SERVING_BIN / "python"), str(PROBE), str(server.CONFIG_PATH), *reaches],
        env={
            "SUPERSET_SECRET_KEY": secrets.token_urlsafe(48),
            "IOC_WAREHOUSE": str(tmp_path / "warehouse"),
            "IOC_SUPERSET_DIR": str(tmp_path / "superset"),
        },
        cwd=tmp_path,  # so Superset does not find and load the config a second time
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["connections"] == {"locked": 32 * 20}, report["connections"]
    met = report.pop("reaches")
    assert met.pop("SELECT 42") == 42
    assert set(met) == set(reaches)
    ran = {sql: what for sql, what in met.items() if what.startswith("ran:")}
    assert not ran, ran
    refused = {sql for sql, what in met.items() if what.startswith("PermissionException")}
    assert refused >= {sql for sql in reaches if "/serving/" in sql}, met
    assert SECRET not in done.stdout and "root:" not in done.stdout
    assert sorted(p.name for p in serving.rglob("*")) == before  # nothing written there

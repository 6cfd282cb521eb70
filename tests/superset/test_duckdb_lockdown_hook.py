"""superset_config.py's DuckDB connect hook holds when many connections open at once."""

from __future__ import annotations

import json
import secrets
import subprocess
from pathlib import Path

from dashboards import server

PROBE = Path(__file__).with_name("lockdown_probe.py")


def test_every_concurrent_connection_is_locked_down(
    published_warehouse: Path, tmp_path: Path
) -> None:
    done = subprocess.run(
        [str(server.SERVING_BIN / "python"), str(PROBE), str(server.CONFIG_PATH)],
        env={
            "SUPERSET_SECRET_KEY": secrets.token_urlsafe(48),
            "IOC_WAREHOUSE": str(published_warehouse),
            "IOC_SUPERSET_DIR": str(tmp_path),
        },
        cwd=tmp_path,  # so Superset does not find and load the config a second time
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcomes = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcomes == {"locked": 32 * 20}, outcomes

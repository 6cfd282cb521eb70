"""python -m simulator: credentials from the environment, ready file, faults flag."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson

ROOT = Path(__file__).resolve().parents[2]


def test_cli_serves_and_writes_the_ready_file(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    secret = secrets.token_urlsafe(16)
    env = {**os.environ, "IOC_SIM_CLIENT_ID": "cli", "IOC_SIM_CLIENT_SECRET": secret}
    faults = orjson.dumps({"dichvucong": {"error_rate": 0.25, "seed": 3}}).decode()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--port",
            "0",
            "--scale",
            "0.002",
            "--ready-file",
            str(ready),
            "--faults",
            faults,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()[1].decode()
            assert time.monotonic() < deadline, "no ready file"
            time.sleep(0.05)
        base = ready.read_text().strip()
        assert base.startswith("http://127.0.0.1:")
        health = httpx.get(f"{base}/healthz").json()
        assert health["status"] == "ok" and health["scale"] == 0.002
        state = httpx.get(f"{base}/_sim/faults").json()["dichvucong"]["config"]
        assert state["error_rate"] == 0.25
        form = {"grant_type": "client_credentials", "client_id": "cli", "client_secret": secret}
        codes = set()
        for _ in range(20):
            codes.add(httpx.post(f"{base}/dichvucong/oauth/token", data=form).status_code)
        assert 200 in codes and codes - {200} <= {500, 502, 503} and len(codes) > 1
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert not ready.exists()


def test_cli_refuses_to_start_without_credentials() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_SIM_")}
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "--port", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert b"IOC_SIM_CLIENT_ID" in done.stderr

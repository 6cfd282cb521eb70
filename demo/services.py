"""Starting and stopping the demo's local servers (all on 127.0.0.1)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

SIM_SEED = 56


def wait_http(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with code {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def simulator(
    port: int, scale: float, secrets: dict[str, str], log: Path, drop_dir: Path
) -> Iterator[str]:
    """The source simulator in a child process, dropping files under ``drop_dir``; yields
    its base URL."""
    env = {
        **os.environ,
        "IOC_SIM_CLIENT_ID": secrets["sim_client_id"],
        "IOC_SIM_CLIENT_SECRET": secrets["sim_client_secret"],
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "simulator",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--seed",
                str(SIM_SEED),
                "--scale",
                str(scale),
                "--drop-dir",
                str(drop_dir),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/healthz", 120, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()

"""Throughput of the dichvucong connector: the real ``load_dossiers`` against the simulator.

    python -m benchmarks.connector --scale 10 --months 2024-03 2024-04
    python -m benchmarks.connector --scale 1 10 --months 2024-03   # several scales in turn

For each scale, starts ``python -m simulator`` in its own process (so the server's CPU is not
the connector's), then for each month: warms the simulator's window (its first request
generates the window: timed and reported apart as ``warm_first_request_s``), runs
``ingest.dichvucong.load_dossiers`` into a temporary warehouse, checks the row count against
the simulator's report, and prints one JSON line: rows, seconds, rows/s, the connector
process's peak RSS during the load (sampled every 10 ms) and its lifetime ``ru_maxrss``, and
the CPU seconds of client and server. Target on 2 cores: ≥ 100k rows/s and peak RSS ≤ 1 GB
at scale 10. Stops after the months given.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx
import orjson
import psutil

from ingest import dichvucong
from ingest.common.http import SourceClient
from ingest.common.parse import to_source_time
from ingest.common.pseudonymise import Pseudonymiser
from ingest.common.settings import SourceEndpoint, WarehousePaths
from ingest.common.windows import Window
from ingest.dichvucong.settings import DOSSIERS_PATH

CLIENT_ID = "bench"


def month(label: str) -> Window:
    y, m = (int(x) for x in label.split("-"))
    start = datetime(y, m, 1)
    return Window(start, datetime(y + m // 12, m % 12 + 1, 1))


class PeakRss:
    """Peak resident set size of this process, sampled in a thread while active."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval, self.peak = interval, 0
        self._proc = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss-sampler")

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self.peak = self._proc.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)


def start_simulator(
    tmp: Path, scale: float, seed: int, secret: str, extra: list[str] | None = None
) -> tuple[subprocess.Popen, str]:
    """``python -m simulator`` on a free port (``extra``: more of its options)."""
    ready = tmp / "simulator.ready"
    env = {**os.environ, "IOC_SIM_CLIENT_ID": CLIENT_ID, "IOC_SIM_CLIENT_SECRET": secret}
    cmd = [sys.executable, "-m", "simulator", "--port", "0", "--seed", str(seed)]
    cmd += ["--scale", str(scale), "--ready-file", str(ready), *(extra or [])]
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 120
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("the simulator did not start")
        time.sleep(0.05)
    return proc, ready.read_text().strip()


def bench_month(
    base: str, secret: str, scale: float, label: str, page_size: int, server: psutil.Process
) -> dict:
    window = month(label)
    endpoint = SourceEndpoint(f"{base}/dichvucong", CLIENT_ID, secret)
    params = {
        "cap_nhat_tu": to_source_time(window.start),
        "cap_nhat_den": to_source_time(window.end),
    }
    pseudonymiser = Pseudonymiser.from_secret(secrets.token_hex(16))
    with SourceClient(endpoint, timeout=120) as client:
        t0 = time.perf_counter()
        client.get_json(DOSSIERS_PATH, {**params, "page": 1, "page_size": 1})  # generates window
        warm = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="ioc-bench-") as tmp:
        paths = WarehousePaths(Path(tmp))
        with SourceClient(endpoint, timeout=120) as client, PeakRss() as rss:
            server_cpu, client_cpu = sum(server.cpu_times()[:2]), time.process_time()
            t0 = time.perf_counter()
            result = dichvucong.load_dossiers(client, paths, window, pseudonymiser, page_size)
            secs = time.perf_counter() - t0
            server_cpu = sum(server.cpu_times()[:2]) - server_cpu
            client_cpu = time.process_time() - client_cpu
        lake_mb = sum(p.stat().st_size for p in result.location.rglob("*") if p.is_file()) / 1e6
    report = httpx.get(f"{base}/_sim/dichvucong/report", params=params, timeout=600).json()
    rows = result.rows_loaded
    return {
        "scale": scale,
        "month": label,
        "rows": rows,
        "exact": rows + result.rows_quarantined == report["records"] and result.duplicates == 0,
        "warm_first_request_s": round(warm, 2),
        "seconds": round(secs, 2),
        "rows_per_s": round(rows / secs),
        "peak_rss_mb": round(rss.peak / 2**20),
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "client_cpu_s": round(client_cpu, 2),
        "server_cpu_s": round(server_cpu, 2),
        "client_cpu_us_per_row": round(client_cpu / rows * 1e6, 2),
        "server_cpu_us_per_row": round(server_cpu / rows * 1e6, 2),
        "cpu_bound_rows_per_s": round(rows / max(client_cpu, server_cpu)),
        "lake_mb": round(lake_mb, 1),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.connector", description=__doc__)
    p.add_argument("--scale", type=float, nargs="+", default=[10.0])
    p.add_argument("--seed", type=int, default=56)
    p.add_argument("--months", nargs="+", default=["2024-03"])
    p.add_argument("--page-size", type=int, default=1000)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    secret = secrets.token_urlsafe(16)
    for scale in args.scale:
        with tempfile.TemporaryDirectory(prefix="ioc-bench-sim-") as tmp:
            proc, base = start_simulator(Path(tmp), scale, args.seed, secret)
            try:
                server = psutil.Process(proc.pid)
                for label in args.months:
                    line = bench_month(base, secret, scale, label, args.page_size, server)
                    print(orjson.dumps(line).decode(), flush=True)
            finally:
                proc.terminate()
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()

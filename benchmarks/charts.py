"""Chart-data latency of the running Superset, uncached, optionally while publishing.

    python -m benchmarks.charts [--url URL] [--rounds 10] [--threads 4] [--publish]
        [--publish-every S]

Reads the Superset login from the warehouse (``bin/ioc demo`` first; ``IOC_WAREHOUSE``).
Every chart of the deployed dashboards is asked for its data with ``force=true`` (Superset's
cache bypassed), ``--rounds`` times, by ``--threads`` users at once. With ``--publish`` the
serving copy is republished in a loop meanwhile (``refresh.publish``, as a refresh does: the
build file prepared from the serving copy, then moved over it; only the move is timed;
``--publish-every S`` pauses S seconds between publishes), and any failed request counts.
Prints p50, p95, max, errors, the publishes, and the machine's load (1-minute average,
before and after) and cores: the machine may be shared. When the server runs from this
warehouse (its gunicorn pid file), also the CPU time its processes spent per request, which
depends much less on what else runs.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dashboards.api import SupersetClient
from demo.environment import load_secrets
from ingest.common.settings import WarehousePaths
from refresh.publish import prepare_build, publish


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted ``values``."""
    return values[max(math.ceil(share * len(values)), 1) - 1]


def server_cpu_seconds(state_dir: Path) -> float | None:
    """CPU time (user + system) of the gunicorn master and its workers so far."""
    try:
        master = int((state_dir / "gunicorn.pid").read_text())
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ticks = 0
        for pid in [master, *map(int, children)]:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, ValueError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    port = os.environ.get("SUPERSET_PORT", "8088")
    parser.add_argument("--url", default=f"http://127.0.0.1:{port}")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--publish", action="store_true", help="republish in a loop meanwhile")
    parser.add_argument("--publish-every", type=float, default=0.0)
    args = parser.parse_args()
    paths = WarehousePaths.from_env()
    password = load_secrets(paths.root)["superset_admin_password"]
    stop, publishes = threading.Event(), []

    def republish() -> None:
        while not stop.wait(args.publish_every):
            prepare_build(paths)  # a refresh does it while the sources are pulled
            started = time.perf_counter()
            publish(paths)
            publishes.append(time.perf_counter() - started)

    state_dir = Path(os.environ.get("IOC_SUPERSET_DIR", paths.root / "superset"))
    load_before, cpu_before = os.getloadavg()[0], server_cpu_seconds(state_dir)
    with SupersetClient(args.url, "admin", password) as client:
        charts = client.get("/api/v1/chart/", q="(columns:!(id),page_size:100)")["result"]
        ids = [c["id"] for c in charts] * args.rounds

        def ask(chart_id: int) -> tuple[float, bool]:
            started = time.perf_counter()
            ok = client.chart_data(chart_id, force=True).status_code == 200
            return (time.perf_counter() - started) * 1000, ok

        publisher = threading.Thread(target=republish, daemon=True)
        if args.publish or args.publish_every:
            publisher.start()
        with ThreadPoolExecutor(args.threads) as pool:
            results = list(pool.map(ask, ids))
        stop.set()
        if publisher.is_alive():
            publisher.join()
    cpu_after = server_cpu_seconds(state_dir)
    latencies = sorted(ms for ms, _ in results)
    errors = sum(not ok for _, ok in results)
    print(f"charts {len(charts)}  requests {len(results)}  threads {args.threads}")
    print(
        f"chart data uncached: p50 {statistics.median(latencies):.0f} ms  "
        f"p95 {percentile(latencies, 0.95):.0f} ms  max {latencies[-1]:.0f} ms  errors {errors}"
    )
    if publishes:
        print(
            f"publishes during the run: {len(publishes)} "
            f"(median {statistics.median(publishes):.2f} s each)"
        )
    if cpu_before is not None and cpu_after is not None:
        cpu_ms = 1000 * (cpu_after - cpu_before) / len(results)
        print(f"server CPU per request: {cpu_ms:.0f} ms")
    print(
        f"machine: {os.cpu_count()} cores, load average (1 min) {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after"
    )


if __name__ == "__main__":
    main()

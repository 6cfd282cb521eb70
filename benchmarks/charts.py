"""Chart-data latency of the running Superset, uncached, optionally while publishing.

    python -m benchmarks.charts [--rounds 10] [--threads 4] [--publish-every 2]

Reads the demo's Superset URL and login from the warehouse (``bin/ioc demo`` first).
Every chart of the deployed dashboards is asked for its data with ``force=true`` (no
cache); with ``--publish-every S`` the serving copy is republished every S seconds meanwhile,
as a refresh would, and any failed request is counted. Prints p50, p95, max and errors.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from dashboards.api import SupersetClient
from demo.environment import load_secrets
from ingest.common.settings import WarehousePaths
from refresh.publish import publish


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8088")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--publish-every", type=float, default=0.0)
    args = parser.parse_args()
    paths = WarehousePaths.from_env()
    password = load_secrets(paths.root)["superset_admin_password"]
    stop, publishes = threading.Event(), []

    def republish() -> None:
        while not stop.wait(args.publish_every):
            started = time.perf_counter()
            publish(paths)
            publishes.append(time.perf_counter() - started)

    with SupersetClient(args.url, "admin", password) as client:
        charts = client.get("/api/v1/chart/", q="(columns:!(id),page_size:100)")["result"]
        ids = [c["id"] for c in charts] * args.rounds

        def ask(chart_id: int) -> tuple[float, bool]:
            started = time.perf_counter()
            ok = client.chart_data(chart_id, force=True).status_code == 200
            return (time.perf_counter() - started) * 1000, ok

        publisher = threading.Thread(target=republish, daemon=True)
        if args.publish_every:
            publisher.start()
        with ThreadPoolExecutor(args.threads) as pool:
            results = list(pool.map(ask, ids))
        stop.set()
    latencies = sorted(ms for ms, _ in results)
    errors = sum(not ok for _, ok in results)
    p95 = latencies[max(0, int(0.95 * len(latencies)) - 1)]
    print(f"charts {len(charts)}  requests {len(results)}  threads {args.threads}")
    print(
        f"chart data uncached: p50 {statistics.median(latencies):.0f} ms  "
        f"p95 {p95:.0f} ms  max {latencies[-1]:.0f} ms  errors {errors}"
    )
    if publishes:
        print(
            f"publishes during the run: {len(publishes)} "
            f"(median {statistics.median(publishes):.2f} s each)"
        )


if __name__ == "__main__":
    main()

"""Throughput of the dichvucong endpoint: a plain httpx client pulling whole months.

    python -m simulator.bench --scale 10 --months 2024-03 2024-04

Starts ``python -m simulator`` in its own process (so server and client each get a core),
pulls every page of each month with one keep-alive connection, parses each page with orjson,
and prints records/s per month (the first month includes generating its window), with the
CPU seconds spent by server and client: on a busy machine wall-clock figures understate what
two idle cores sustain, ``cpu_bound_records_per_s`` estimates that.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
import orjson
import psutil


def month_window(label: str) -> tuple[str, str]:
    y, m = (int(x) for x in label.split("-"))
    nxt = date(y + m // 12, m % 12 + 1, 1)
    return f"{y:04d}-{m:02d}-01T00:00:00+07:00", f"{nxt.isoformat()}T00:00:00+07:00"


def pull(
    http: httpx.Client, base: str, token: str, label: str, page_size: int, server: psutil.Process
) -> dict:
    tu, den = month_window(label)
    headers = {"Authorization": f"Bearer {token}"}
    server_cpu, client_cpu = sum(server.cpu_times()[:2]), time.process_time()
    start = time.perf_counter()
    first = None
    n = nbytes = page = 0
    while True:
        page += 1
        params = {"cap_nhat_tu": tu, "cap_nhat_den": den, "page": page, "page_size": page_size}
        r = http.get(f"{base}/api/v1/ho-so", params=params, headers=headers)
        r.raise_for_status()
        body = orjson.loads(r.content)
        first = first or time.perf_counter() - start
        n += len(body["data"])
        nbytes += len(r.content)
        if page >= body["total_pages"]:
            break
    secs = time.perf_counter() - start
    server_cpu = sum(server.cpu_times()[:2]) - server_cpu
    client_cpu = time.process_time() - client_cpu
    return {
        "month": label,
        "records": n,
        "pages": page,
        "seconds": round(secs, 2),
        "first_page_s": round(first or 0.0, 2),
        "records_per_s": round(n / secs),
        "MB_per_s": round(nbytes / secs / 1e6, 1),
        "server_cpu_s": round(server_cpu, 2),
        "client_cpu_s": round(client_cpu, 2),
        # what two idle cores would sustain with server and client overlapping:
        "cpu_bound_records_per_s": round(n / max(server_cpu, client_cpu)),
        "load_avg_1m": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m simulator.bench", description=__doc__)
    p.add_argument("--scale", type=float, default=10.0)
    p.add_argument("--seed", type=int, default=56)
    p.add_argument("--months", nargs="+", default=["2024-03", "2024-04"])
    p.add_argument("--page-size", type=int, default=1000)
    args = p.parse_args(argv)
    secret = secrets.token_urlsafe(16)
    env = {**os.environ, "IOC_SIM_CLIENT_ID": "bench", "IOC_SIM_CLIENT_SECRET": secret}
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp) / "ready"
        cmd = [
            sys.executable,
            "-m",
            "simulator",
            "--port",
            "0",
            "--seed",
            str(args.seed),
            "--scale",
            str(args.scale),
            "--ready-file",
            str(ready),
        ]
        proc = subprocess.Popen(cmd, env=env)
        try:
            while not ready.exists():
                if proc.poll() is not None:
                    raise SystemExit("simulator exited")
                time.sleep(0.05)
            base = ready.read_text().strip() + "/dichvucong"
            with httpx.Client(timeout=120) as http:
                token = http.post(
                    f"{base}/oauth/token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": "bench",
                        "client_secret": secret,
                    },
                ).json()["access_token"]
                server = psutil.Process(proc.pid)
                for label in args.months:
                    result = pull(http, base, token, label, args.page_size, server)
                    print(orjson.dumps(result).decode(), flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()

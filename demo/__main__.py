"""The main job on the embedded default.

1. start the source simulator on 127.0.0.1;
2. run the monthly refresh of the last complete month through Airflow (each ingestion DAG,
   then ``refresh_marts``) — on a new warehouse that pulls the whole history since 2022-01;
3. start Superset on 127.0.0.1, import the dashboards, print the URL and the login.
"""

from __future__ import annotations

import argparse
import sys
import time

from dashboards import deploy, server
from demo import environment
from ingest.common.settings import WarehousePaths
from ioc import refresh

DEFAULT_PERIOD = "2026-10"  # the simulator's last complete month
DEFAULT_SCALE = 0.1  # ≈ 100,000 dossiers a year; 1.0 is the real province (SF1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default=DEFAULT_PERIOD, help="month to refresh, YYYY-MM")
    parser.add_argument("--scale", type=float, default=DEFAULT_SCALE)
    parser.add_argument("--sim-port", type=int, default=8765)
    parser.add_argument("--superset-port", type=int, default=8088)
    parser.add_argument("--refresh-only", action="store_true", help="do not start Superset")
    args = parser.parse_args()

    paths = WarehousePaths.from_env()
    secrets = environment.load_secrets(paths.root)
    started = time.monotonic()
    refresh.prepare(paths)
    # The operator's refresh, with the simulator configured as the five sources.
    with refresh.simulated_sources(paths, args.scale, args.sim_port) as sim_url:
        print(f"[ioc] refreshing {args.period} through Airflow (simulator at {sim_url})")
        states = refresh.refresh(refresh.parse_period(args.period), say=_say)
    print(f"[ioc] refresh done in {time.monotonic() - started:.0f} s: {states}", flush=True)
    print(f"[ioc] serving copy: {paths.serving_db}")
    print(f"[ioc] data quality docs: {paths.data_docs / 'index.html'}")
    if args.refresh_only:
        return
    settings = server.Settings(
        warehouse=paths.root,
        state_dir=paths.root / "superset",
        secret_key=secrets["superset_secret_key"],
        admin_password=secrets["superset_admin_password"],
        port=args.superset_port,
    )
    print(f"[ioc] starting Superset on {settings.base_url}", flush=True)
    server.start(settings)
    url = deploy.deploy(settings.base_url, settings.admin_password, paths.root)
    print(f"[ioc] total {time.monotonic() - started:.0f} s")
    print(f"[ioc] dashboard: {url}")
    print(f"[ioc] login: admin / {settings.admin_password}")
    print("[ioc] stop Superset with: bin/ioc stop")


def _say(line: str) -> None:
    print(f"[ioc] {line}", flush=True)


if __name__ == "__main__":
    sys.exit(main())

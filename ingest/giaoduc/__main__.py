"""Run the giaoduc connector without Airflow.

    python -m ingest.giaoduc --until 2026-11-01 [--since 2026-09-01]

The endpoint and secrets come from ``AIRFLOW_CONN_IOC_GIAODUC``, exactly as inside Airflow.
"""

from __future__ import annotations

import argparse
import logging
from datetime import datetime

from ingest.common.http import SourceClient
from ingest.common.settings import SourceEndpoint, WarehousePaths
from ingest.giaoduc import run
from ingest.giaoduc.settings import CONN_ID


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--until", type=datetime.fromisoformat, required=True)
    parser.add_argument("--since", type=datetime.fromisoformat)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with SourceClient(SourceEndpoint.from_env(CONN_ID)) as client:
        for r in run(client, WarehousePaths.from_env(), args.until, args.since):
            print(f"{r.load_id}: {r.rows_loaded} loaded, {r.rows_quarantined} quarantined")


if __name__ == "__main__":
    main()

"""Run the reporting connector without Airflow.

    python -m ingest.reporting --until 2026-11-01 [--since 2026-10-01]

Endpoint and drop folder come from ``AIRFLOW_CONN_IOC_REPORTING`` and
``AIRFLOW_VAR_IOC_REPORTING_DROP_DIR``, exactly as inside Airflow.
"""

from __future__ import annotations

import argparse
import logging
from datetime import datetime
from pathlib import Path

from ingest.common.http import SourceClient
from ingest.common.settings import SourceEndpoint, WarehousePaths, get_variable
from ingest.reporting import run
from ingest.reporting.settings import CONN_ID, DROP_VARIABLE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--until", type=datetime.fromisoformat, required=True)
    parser.add_argument("--since", type=datetime.fromisoformat)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    drop = Path(get_variable(DROP_VARIABLE))
    with SourceClient(SourceEndpoint.from_env(CONN_ID)) as client:
        for r in run(client, drop, WarehousePaths.from_env(), args.until, args.since):
            print(f"{r.load_id}: {r.rows_loaded} loaded, {r.rows_quarantined} quarantined")


if __name__ == "__main__":
    main()

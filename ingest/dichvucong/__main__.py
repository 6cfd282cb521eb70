"""Run the dichvucong connector without Airflow.

    python -m ingest.dichvucong --until 2026-11-01 [--since 2026-10-01]

Endpoint and secrets come from ``AIRFLOW_CONN_IOC_DICHVUCONG`` and
``AIRFLOW_VAR_IOC_PSEUDONYMISATION_KEY``, exactly as inside Airflow.
"""

from __future__ import annotations

import argparse
import logging
from datetime import datetime

from ingest.common.http import SourceClient
from ingest.common.pseudonymise import Pseudonymiser
from ingest.common.settings import SourceEndpoint, WarehousePaths, get_variable
from ingest.dichvucong import run
from ingest.dichvucong.settings import CONN_ID


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--until", type=datetime.fromisoformat, required=True)
    parser.add_argument("--since", type=datetime.fromisoformat)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    pseudonymiser = Pseudonymiser.from_secret(get_variable("ioc_pseudonymisation_key"))
    with SourceClient(SourceEndpoint.from_env(CONN_ID)) as client:
        for r in run(client, WarehousePaths.from_env(), pseudonymiser, args.until, args.since):
            print(f"{r.load_id}: {r.rows_loaded} loaded, {r.rows_quarantined} quarantined")


if __name__ == "__main__":
    main()

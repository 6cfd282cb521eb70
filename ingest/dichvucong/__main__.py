"""Run the dichvucong connector without Airflow.

    python -m ingest.dichvucong --until 2026-11-01 [--since 2026-10-01]

Endpoint and secrets come from ``AIRFLOW_CONN_IOC_DICHVUCONG`` and
``AIRFLOW_VAR_IOC_PSEUDONYMISATION_KEY``, exactly as inside Airflow.
"""

from __future__ import annotations

from ingest.common.cli import finish, window_arguments
from ingest.common.http import SourceClient
from ingest.common.pseudonymise import Pseudonymiser
from ingest.common.settings import SourceEndpoint, WarehousePaths, get_variable
from ingest.common.source import declared
from ingest.dichvucong import run


def main() -> None:
    args = window_arguments(__doc__)
    pseudonymiser = Pseudonymiser.from_secret(get_variable("ioc_pseudonymisation_key"))
    with SourceClient(SourceEndpoint.from_env(declared("dichvucong").conn_id or "")) as client:
        finish(run(client, WarehousePaths.from_env(), pseudonymiser, args.until, args.since))


if __name__ == "__main__":
    main()

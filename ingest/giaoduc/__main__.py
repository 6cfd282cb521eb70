"""Run the giaoduc connector without Airflow.

    python -m ingest.giaoduc --until 2026-11-01 [--since 2026-09-01]

The endpoint and secrets come from ``AIRFLOW_CONN_IOC_GIAODUC``, exactly as inside Airflow.
"""

from __future__ import annotations

from ingest.common.cli import finish, window_arguments
from ingest.common.http import SourceClient
from ingest.common.settings import SourceEndpoint, WarehousePaths
from ingest.common.source import declared
from ingest.giaoduc import run


def main() -> None:
    args = window_arguments(__doc__)
    with SourceClient(SourceEndpoint.from_env(declared("giaoduc").conn_id or "")) as client:
        finish(run(client, WarehousePaths.from_env(), args.until, args.since))


if __name__ == "__main__":
    main()

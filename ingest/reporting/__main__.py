"""Run the reporting connector without Airflow.

    python -m ingest.reporting --until 2026-11-01 [--since 2026-10-01]

Endpoint and drop folder come from ``AIRFLOW_CONN_IOC_REPORTING`` and
``AIRFLOW_VAR_IOC_REPORTING_DROP_DIR``, exactly as inside Airflow.
"""

from __future__ import annotations

from ingest.common.cli import finish, window_arguments
from ingest.common.http import SourceClient
from ingest.common.settings import SourceEndpoint, WarehousePaths
from ingest.reporting import run
from ioc.sources import SOURCES, EnvSettings, drop_folder


def main() -> None:
    args = window_arguments(__doc__)
    source = SOURCES["reporting"]
    drop = drop_folder(source, EnvSettings.current())
    with SourceClient(SourceEndpoint.from_env(source.conn_id or "")) as client:
        finish(run(client, drop, WarehousePaths.from_env(), args.until, args.since))


if __name__ == "__main__":
    main()

"""Run the ngansach connector without Airflow.

    python -m ingest.ngansach --until 2026-11-01 [--since 2026-01-01]

The drop folder comes from ``AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR``, exactly as inside Airflow.
"""

from __future__ import annotations

from ingest.common.cli import finish, window_arguments
from ingest.common.settings import WarehousePaths
from ingest.ngansach import run
from ioc.sources import SOURCES, EnvSettings, drop_folder


def main() -> None:
    args = window_arguments(__doc__)
    source = SOURCES["ngansach"]
    drop = drop_folder(source, EnvSettings.current())
    if drop is None:
        raise SystemExit(f"the drop folder is not configured: set {' or '.join(source.inputs)}")
    finish(run(drop, WarehousePaths.from_env(), args.until, args.since))


if __name__ == "__main__":
    main()

"""Run the ngansach connector without Airflow.

    python -m ingest.ngansach --until 2026-11-01 [--since 2026-01-01]

The drop folder comes from ``AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR``, exactly as inside Airflow.
"""

from __future__ import annotations

from pathlib import Path

from ingest.common.cli import print_results, window_arguments
from ingest.common.settings import WarehousePaths, get_variable
from ingest.ngansach import run
from ingest.ngansach.settings import DROP_VARIABLE


def main() -> None:
    args = window_arguments(__doc__)
    drop = Path(get_variable(DROP_VARIABLE))
    print_results(run(drop, WarehousePaths.from_env(), args.until, args.since))


if __name__ == "__main__":
    main()

"""What every connector's command line shares: ``--until``/``--since``, logging, and the end
of a run as in Airflow: what landed is validated, what passed goes live, and each load's
outcome is printed (exit status 1 when any did not go live)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable
from datetime import datetime

from ingest.common import lifecycle
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths, get_variable


def window_arguments(doc: str) -> argparse.Namespace:
    """Parse ``--until`` (required) and ``--since`` (ISO 8601, local time); set up logging."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--until", type=datetime.fromisoformat, required=True)
    parser.add_argument("--since", type=datetime.fromisoformat)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    return args


def finish(results: Iterable[LoadResult]) -> None:
    """Validate the loads (``AIRFLOW_VAR_IOC_PROVINCE``, ``…_IOC_MAX_QUARANTINED_PCT``), promote
    what passed, print each load's outcome; exit 1 with the reasons when any failed."""
    from expectations.checkpoint import check_loads, headline
    from expectations.quarantine_share import VARIABLE, Limits

    paths = WarehousePaths.from_env()
    loads = [r.to_dict() for r in results]
    limits = Limits.parse(get_variable(VARIABLE, ""))
    run_id = f"cli__{datetime.now():%Y%m%dT%H%M%S}"
    failures = check_loads(loads, paths, run_id, get_variable("ioc_province", "56"), limits)
    for load in loads:
        state = lifecycle.status(paths.meta, load)
        print(f"{load['load_id']}: {state}, {load['rows']} rows, {load['quarantined']} quarantined")
    if failures:
        sys.exit("\n".join([headline(failures), *failures]))

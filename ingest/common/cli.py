"""What every connector's command line shares: ``--until``/``--since``, logging, a summary."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterable
from datetime import datetime

from ingest.common.results import LoadResult


def window_arguments(doc: str) -> argparse.Namespace:
    """Parse ``--until`` (required) and ``--since`` (ISO 8601, local time); set up logging."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--until", type=datetime.fromisoformat, required=True)
    parser.add_argument("--since", type=datetime.fromisoformat)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    return args


def print_results(results: Iterable[LoadResult]) -> None:
    for r in results:
        print(f"{r.load_id}: {r.rows_loaded} loaded, {r.rows_quarantined} quarantined")

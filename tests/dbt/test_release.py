"""A build's task process ends without an error line about dbt: what dbt holds is released
before Airflow's task process ends with ``os._exit`` (no finalizers run then, and
multiprocessing's resource tracker logged the locks dbt made as leaked semaphores)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ENDS_LIKE_A_TASK = """
import os, sys
from pathlib import Path
from ingest.common.settings import WarehousePaths
from refresh.dbt import parse_dbt, release_dbt
manifest = parse_dbt([], WarehousePaths(Path(sys.argv[1])))
print("parsed", len(manifest.nodes), flush=True)
del manifest
release_dbt()
sys.stderr.flush()
os._exit(0)
"""


def test_a_process_that_parsed_the_project_ends_without_leaked_locks(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", ENDS_LIKE_A_TASK, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 50  # the project really was parsed
    assert "leaked" not in done.stderr, done.stderr[-2000:]

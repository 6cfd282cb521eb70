"""Importing the validation runner does not fill a task's log with GE's import chatter (~200
INFO lines), and GE's own warnings still come through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHATTER = "Skipping registering function"


def _log_of(imports: str) -> str:
    """What a fresh interpreter logs at INFO (as an Airflow task does) while importing."""
    code = f"import logging; logging.basicConfig(level=logging.INFO); {imports}"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stderr


def test_the_runner_imports_without_ge_chatter_and_keeps_its_warnings():
    assert _log_of("import great_expectations").count(CHATTER) > 50  # GE alone does chatter
    quiet = _log_of(
        "import expectations.validate; "
        "logging.getLogger('great_expectations._docs_decorators').warning('kept')"
    )
    assert CHATTER not in quiet
    assert "WARNING:great_expectations._docs_decorators:kept" in quiet

"""The daily refresh's choice of sources (Variable ``ioc_daily_sources``), read liberally, and
its run when none is chosen."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dags.closing_tasks import daily_sources
from ingest.common.settings import REPO_ROOT
from tests.schedule.test_failure import SCRIPT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, []),
        ("", []),
        ("ngansach", ["ngansach"]),
        (" NganSach , reporting ", ["reporting", "ngansach"]),  # registry order, any case
        ("ngansach ngansach", ["ngansach"]),
    ],
)
def test_daily_sources(raw, expected) -> None:
    assert daily_sources(raw) == expected


def test_an_unknown_daily_source_is_named() -> None:
    with pytest.raises(ValueError, match=r"unknown source\(s\) \['ngan_sach'\]"):
        daily_sources("ngan_sach, dulich")


def test_a_daily_refresh_without_sources_chosen_pulls_and_publishes_nothing(tmp_path) -> None:
    """The Variable unset (the default): the run ends well, having pulled nothing, built
    nothing, published nothing and written no digest; the serving copy is untouched."""
    from demo.environment import airflow_env

    warehouse = tmp_path / "warehouse"
    serving = warehouse / "serving" / "ioc.duckdb"
    serving.parent.mkdir(parents=True)
    serving.write_bytes(b"the last good serving copy")
    before = serving.stat().st_mtime_ns
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "IOC_"))}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT.format(
                dags=str(REPO_ROOT / "dags"),
                dag_id="refresh_daily",
                logical="2026-11-20T16:00:00+07:00",
            ),
        ],
        env=keep | airflow_env(warehouse),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    tasks = result["tasks"]
    assert result["state"] == "success", tasks
    assert tasks["sources[-1]"] == "success"
    for task in ("pull[-1]", "build_and_publish[-1]", "write_digest[-1]"):
        assert tasks[task] == "skipped", tasks
    assert serving.read_bytes() == b"the last good serving copy"
    assert serving.stat().st_mtime_ns == before
    assert not (warehouse / "digest").exists()
    assert not list((warehouse / "lake").rglob("*.parquet"))

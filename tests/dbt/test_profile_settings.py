"""dbt_project/profiles.yml: DuckDB's memory cap, its spill cap and the build's settings reach
the database dbt builds in (given once when it opens, ``config_options``), overridden by
the environment as the README says."""

from __future__ import annotations

import pytest
from dbt.cli.main import dbtRunner

from ingest.common.settings import WarehousePaths
from refresh.dbt import PROJECT_DIR, dbt_env

SETTINGS = (
    "memory_limit",
    "max_temp_directory_size",
    "preserve_insertion_order",
    "max_vacuum_tasks",
)


def test_the_caps_and_settings_reach_the_build_database(tmp_path, monkeypatch) -> None:
    paths = WarehousePaths(tmp_path)
    paths.build_db.parent.mkdir(parents=True)
    for name, value in {
        **dbt_env(paths),
        "IOC_DUCKDB_MEMORY_LIMIT": "123MB",
        "IOC_DUCKDB_MAX_SPILL": "1GB",
    }.items():
        monkeypatch.setenv(name, value)
    query = "select " + ", ".join(f"current_setting('{s}') as {s}" for s in SETTINGS)
    result = dbtRunner().invoke(
        [
            *("show", "--inline", query),
            *("--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)),
            *("--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")),
        ]
    )
    assert result.success, result.exception
    (row,) = result.result.results[0].agate_table.rows
    shown = dict(zip(SETTINGS, row, strict=True))
    # DuckDB shows bytes in binary units to a tenth, truncated: 123 MB = 123e6 / 2**20 MiB
    assert _mib(shown["memory_limit"]) == pytest.approx(123e6 / 2**20, abs=0.1)
    assert _mib(shown["max_temp_directory_size"]) == pytest.approx(1e9 / 2**20, abs=0.1)
    assert shown["preserve_insertion_order"] in (False, "false")
    assert int(shown["max_vacuum_tasks"]) == 0


def _mib(shown: str) -> float:
    number, unit = shown.split()
    assert unit == "MiB", shown
    return float(number)

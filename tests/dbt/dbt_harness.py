"""Test harness for the dbt project: a throw-away warehouse and the real dbt, in-process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner, dbtRunnerResult

from ingest.common.settings import WarehousePaths
from refresh.build_database import connect_build

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "dbt_project"


@dataclass(frozen=True)
class Warehouse:
    """A warehouse folder (lake/ + build/) and the dbt project built into it."""

    root: Path

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def database(self) -> Path:
        return self.root / "build" / "ioc.duckdb"

    def dbt(self, *args: str) -> dbtRunnerResult:
        """Run a dbt command on this warehouse; fail the test when dbt fails."""
        argv = [*args, "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT), "--quiet"]
        result = dbtRunner().invoke(argv)
        failures = [
            f"{r.node.unique_id}: {r.status} {r.message}"
            for r in getattr(result.result, "results", [])
            if str(r.status) in ("error", "fail")
        ]
        assert result.success and not failures, failures or result.exception
        return result

    def connect(self, read_only: bool = True) -> duckdb.DuckDBPyConnection:
        """The build database, the unserved layers attached (refresh/build_database.py)."""
        return connect_build(WarehousePaths(self.root), read_only)

    def query(self, sql: str) -> list[dict]:
        """Rows as dicts (read-only; dbt closes the file when a run ends)."""
        with self.connect() as con:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def warehouse(tmp: Path) -> Iterator[Warehouse]:
    """Point dbt (env vars) at ``tmp`` for the duration; yields the empty warehouse."""
    (tmp / "build").mkdir(parents=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IOC_WAREHOUSE", str(tmp))
        mp.delenv("IOC_LAKE", raising=False)
        mp.setenv("DBT_TARGET_PATH", str(tmp / "dbt_target"))
        mp.setenv("DBT_LOG_PATH", str(tmp / "dbt_logs"))
        mp.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        yield Warehouse(tmp)


def rounded(rows: list[dict], digits: int = 2) -> list[dict]:
    """Floats rounded, so hand-computed percentages compare exactly."""
    return [
        {k: round(v, digits) if isinstance(v, float) else v for k, v in row.items()} for row in rows
    ]

"""Any subset of the five sources, and none, builds and publishes: each source alone and no
source at all, on the hand-made lakes of tests/dbt, through the refresh's own build, gate and
publish (refresh.dq_results, refresh.publish). The published dq schema says which sources
are not configured, and an unconfigured source is not failed for freshness."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from ingest.common.settings import WarehousePaths
from ioc.sources import SOURCES, EnvSettings, dbt_vars, env_name
from refresh.dq_results import REFRESH_BUILD, build_and_record
from refresh.publish import publish
from tests.dbt.dbt_lake import AUGUST, JULY, JUNE, LOAD_AUGUST, t, write_initial_lake, write_load
from tests.dbt.dbt_lake_dulich import write_tourism_lake
from tests.dbt.dbt_lake_giaoduc import write_education_lake
from tests.dbt.dbt_lake_ngansach import write_budget_lake
from tests.dbt.dbt_lake_reporting import write_reporting_lake

LAKES: dict[str, Callable[[Path], None]] = {
    "reporting": write_reporting_lake,
    "dichvucong": write_initial_lake,
    "ngansach": write_budget_lake,
    "dulich": write_tourism_lake,
    "giaoduc": write_education_lake,
}
# What each source alone must put in the served marts (a table and a filter on it).
SERVED = {
    "reporting": ("marts.fct_report_submission", "true"),
    "dichvucong": ("marts.fct_dossier", "true"),
    "ngansach": ("marts.fct_indicator_value", "source = 'ngansach'"),
    "dulich": ("marts.fct_indicator_value", "source = 'dulich'"),
    "giaoduc": ("marts.fct_indicator_value", "source = 'giaoduc'"),
}


def settings_of(source: str | None) -> EnvSettings:
    """The environment of a province that configured only ``source`` (or nothing)."""
    if source is None:
        return EnvSettings({})
    s = SOURCES[source]
    key = env_name("conn", s.conn_id) if s.conn_id else env_name("var", s.drop_variable)
    return EnvSettings({key: "set"})


@pytest.mark.parametrize("source", [None, *SOURCES])
def test_builds_and_publishes_with_only(source: str | None, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("IOC_WAREHOUSE", str(tmp_path))
    monkeypatch.delenv("IOC_LAKE", raising=False)
    paths = WarehousePaths(tmp_path)
    if source:
        LAKES[source](paths.lake)
    paths.build_db.parent.mkdir(parents=True)  # one made before the split: retired by the build
    with duckdb.connect(str(paths.build_db)) as con:
        con.execute("create schema intermediate; create table intermediate.stale as select 1 x")
    build_and_record(paths, dbt_vars(settings_of(source)))
    served = publish(paths)
    with duckdb.connect(str(served), read_only=True) as con:
        status = dict(con.execute("select source, status from dq.dq_source_status").fetchall())
        expected = {s: "not_configured" for s in SOURCES}
        if source:
            expected[source] = "no_data"  # a hand-made lake has no ledger: nothing "loaded"
        assert status == expected
        for name, (table, where) in SERVED.items():
            (rows,) = con.execute(f"select count(*) from {table} where {where}").fetchone()
            assert (rows > 0) == (name == source), (name, table, rows)
        checks = con.execute(
            "select dataset, check_name, status from dq.dq_check_result "
            "where check_kind in ('freshness', 'configuration')"
        ).fetchall()
    for dataset, check_name, state in checks:
        configured = dataset.split(".")[0] == source
        assert check_name == ("load_freshness" if configured else "source_configured"), dataset
        if not configured:
            assert state == "warn"
    assert built_schemas(served) == {"main", "marts", "dq"}  # the build file, moved
    assert not paths.build_db.exists()
    assert built_schemas(paths.work_db) >= {"main", "staging", "intermediate", "seeds"}
    if source == "dichvucong":  # a check of an unserved model still names its table, its size
        with duckdb.connect(str(paths.work_db), read_only=True) as con:
            (closed,) = con.execute(
                "select count(*) from intermediate.int_dossier_record_keys"
            ).fetchone()
        with duckdb.connect(str(served), read_only=True) as con:
            sizes = con.execute(
                "select distinct rows_checked from dq.dq_check_result "
                "where dataset = 'intermediate.int_dossier_record_keys'"
            ).fetchall()
        assert sizes == [(closed,)]


def built_schemas(database: Path) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select schema_name from duckdb_schemas() where database_name = current_database()"
        ).fetchall()
    return {schema for (schema,) in rows}


# The marts a month of dossiers changes, less what says when they were computed (and
# fct_dossier's bookkeeping of the state a run replaced: null after a whole build).
MONTH_MARTS = {
    "fct_dossier": (
        "exclude (processed_at, extracted_at, replaced_received_at, replaced_closed_at, "
        "replaced_processed_at)",
        "dossier_id",
    ),
    "agg_public_service_month": ("", "all"),
    "fct_indicator_value": ("exclude (refreshed_at)", "all"),
}


def month_marts(served: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(served), read_only=True) as con:
        return {
            name: con.execute(f"select * {skip} from marts.{name} order by {key}").fetchall()
            for name, (skip, key) in MONTH_MARTS.items()
        }


def test_a_month_built_on_the_published_file_equals_a_whole_build(tmp_path, monkeypatch) -> None:
    """The publish moves the build file into place; the next build continues from a copy of
    it (refresh.publish.prepare_build) and the work database the published build left, the
    incremental state of both files: its marts are a whole build's of the same lake."""
    monkeypatch.setenv("IOC_WAREHOUSE", str(tmp_path))
    monkeypatch.delenv("IOC_LAKE", raising=False)
    paths = WarehousePaths(tmp_path)
    dbt = dbt_vars(settings_of("dichvucong"))
    write_initial_lake(paths.lake)
    build_and_record(paths, dbt)
    first = publish(paths).stat().st_ino
    write_load(paths.lake, "ho_so", LOAD_AUGUST, AUGUST, t("2025-09-01T01:00"))
    build_and_record(paths, dbt)  # on the served file copied back
    served = publish(paths)
    assert served.stat().st_ino != first
    month = month_marts(served)
    assert len(month["fct_dossier"]) == len({r["MaHoSo"] for r in JUNE + JULY + AUGUST})
    build_and_record(paths, dbt, build=(*REFRESH_BUILD, "--full-refresh"))
    assert month_marts(publish(paths)) == month

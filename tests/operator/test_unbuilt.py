"""A model renamed or removed does not linger: after a build that passed, the tables and
views of the project's schemas that no model, seed or snapshot builds are dropped (in the
build file that is published and in the work database) and named in the log; what lies
outside those schemas, and the publish's own table, stay."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from ingest.common.settings import WarehousePaths
from ioc.sources import dbt_vars
from refresh.dq_results import build_and_record
from refresh.publish import publish
from tests.dbt.dbt_lake import write_initial_lake
from tests.operator.test_subsets import settings_of


def relations(database: Path) -> set[tuple[str, str]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return set(
            con.execute(
                "select schema_name, table_name from duckdb_tables() union all "
                "select schema_name, view_name from duckdb_views() where not internal"
            ).fetchall()
        )


def test_what_the_project_no_longer_builds_is_dropped(tmp_path, monkeypatch, caplog) -> None:
    monkeypatch.setenv("IOC_WAREHOUSE", str(tmp_path))
    monkeypatch.delenv("IOC_LAKE", raising=False)
    paths = WarehousePaths(tmp_path)
    write_initial_lake(paths.lake)
    paths.build_db.parent.mkdir(parents=True)
    # As an older version's served copy and work database leave them
    with duckdb.connect(str(paths.build_db)) as con:
        con.execute("create schema marts; create table marts.rpt_renamed_away as select 1 x")
        con.execute("create schema dq; create view dq.dq_gone as select 1 x")
        con.execute("create table dq.dq_figure_change as select 1 x")  # the publish's
    with duckdb.connect(str(paths.work_db)) as con:
        con.execute("create schema intermediate; create table intermediate.int_gone as select 1 x")
        con.execute("create table main.analyst_notes as select 1 x")  # not the project's
    with caplog.at_level(logging.WARNING, logger="refresh.unbuilt"):
        build_and_record(paths, dbt_vars(settings_of("dichvucong")))
    build, work = relations(paths.build_db), relations(paths.work_db)
    assert not {("marts", "rpt_renamed_away"), ("dq", "dq_gone")} & build
    assert ("intermediate", "int_gone") not in work
    assert {("main", "analyst_notes"), ("intermediate", "int_dossier_record_keys")} <= work
    kept = {("marts", "fct_dossier"), ("dq", "dq_check_result"), ("dq", "dq_figure_change")}
    assert kept <= build
    named = [r.getMessage() for r in caplog.records if r.name == "refresh.unbuilt"]
    assert len(named) == 1
    for gone in ("ioc.marts.rpt_renamed_away", "ioc.dq.dq_gone", "work.intermediate.int_gone"):
        assert gone in named[0]
    assert "dq_figure_change" not in named[0]
    served = relations(publish(paths))
    assert ("marts", "rpt_renamed_away") not in served and ("dq", "dq_figure_change") in served

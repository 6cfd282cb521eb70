"""The publish (refresh/publish.py) copies the build file and rewrites none of its rows: the
copy's checkpoint does not merge row groups that a month's delete+insert left partly
deleted (the build does not either, profiles.yml ``max_vacuum_tasks``)."""

from __future__ import annotations

import duckdb

from ingest.common.settings import WarehousePaths
from refresh.publish import publish

ROW_GROUP = 122_880  # DuckDB's rows per row group


def row_groups(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(
        "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('marts.fct_dossier')"
    ).fetchone()[0]


def test_the_publish_rewrites_no_row_group_a_delete_left(tmp_path) -> None:
    paths = WarehousePaths(tmp_path / "warehouse")
    paths.build_db.parent.mkdir(parents=True)
    with duckdb.connect(str(paths.build_db), config={"max_vacuum_tasks": 0}) as con:
        con.execute(
            "CREATE SCHEMA marts; CREATE TABLE marts.fct_dossier AS "
            f"SELECT range AS dossier_id, range % 7 AS status FROM range({2 * ROW_GROUP})"
        )
        con.execute("CHECKPOINT")
        # 70 % of both row groups deleted: what is left would fit in one row group
        con.execute("DELETE FROM marts.fct_dossier WHERE dossier_id % 10 < 7")
        con.execute("CHECKPOINT")
        assert row_groups(con) == 2
    publish(paths)
    with duckdb.connect(str(paths.serving_db), read_only=True) as con:
        assert row_groups(con) == 2
        assert con.execute(
            "SELECT count(*), sum(dossier_id), sum(status) FROM marts.fct_dossier"
        ).fetchone() == (
            sum(1 for i in range(2 * ROW_GROUP) if i % 10 >= 7),
            sum(i for i in range(2 * ROW_GROUP) if i % 10 >= 7),
            sum(i % 7 for i in range(2 * ROW_GROUP) if i % 10 >= 7),
        )

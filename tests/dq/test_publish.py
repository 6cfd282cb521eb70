"""The publish (refresh/publish.py) moves the build file into place and rewrites none of its
rows: its checkpoint does not merge row groups that a month's delete+insert left partly
deleted (the build does not either, profiles.yml ``max_vacuum_tasks``). The next build gets
a copy of what is served (``prepare_build``) unless its build file is there."""

from __future__ import annotations

import filecmp
import tempfile
from pathlib import Path

import duckdb
import pytest

from ingest.common.settings import WarehousePaths
from refresh.publish import prepare_build, publish

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


# --- the build file moved into place, and copied back for the next build -----------------


def build(paths: WarehousePaths, figure: int) -> None:
    """A finished build: ``marts.figure`` in the build file (the one served), the state it
    came from in the work database beside it."""
    paths.build_db.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.build_db)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS marts")
        con.execute(f"CREATE OR REPLACE TABLE marts.figure AS SELECT {figure} AS value")
    with duckdb.connect(str(paths.work_db)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS intermediate")
        con.execute(f"CREATE OR REPLACE TABLE intermediate.state AS SELECT {figure} AS value")


def served(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT value FROM marts.figure").fetchone()[0]


def test_the_publish_moves_the_build_file_and_the_next_build_gets_a_copy(tmp_path) -> None:
    paths = WarehousePaths(tmp_path / "warehouse")
    build(paths, 1)
    built = paths.build_db.stat().st_ino
    publish(paths)
    # moved, not copied: the served file is the build file itself, the build folder empty
    assert paths.serving_db.stat().st_ino == built
    assert not paths.build_db.exists()
    assert served(paths.serving_db) == 1
    assert prepare_build(paths)
    # the next build continues from what is served, in a file of its own
    assert filecmp.cmp(paths.build_db, paths.serving_db, shallow=False)
    assert paths.build_db.stat().st_ino != paths.serving_db.stat().st_ino
    assert sorted(p.name for p in paths.build_db.parent.iterdir()) == [
        ".ioc.duckdb.lock",
        "ioc.duckdb",
        "work.duckdb",
    ]
    prepared = paths.build_db.stat().st_ino
    assert not prepare_build(paths)  # there already: kept
    assert paths.build_db.stat().st_ino == prepared
    with duckdb.connect(str(paths.build_db)) as con:  # writable, and the served file is not
        con.execute("UPDATE marts.figure SET value = 2")
    assert served(paths.serving_db) == 1
    publish(paths)
    assert served(paths.serving_db) == 2
    assert paths.serving_db.stat().st_ino == prepared


def test_a_build_that_was_not_published_is_continued_from(tmp_path) -> None:
    paths = WarehousePaths(tmp_path / "warehouse")
    build(paths, 1)
    publish(paths)
    prepare_build(paths)
    build(paths, 2)  # built, then stopped by its gate: not published
    blocked = paths.build_db.stat().st_ino
    assert not prepare_build(paths)
    assert paths.build_db.stat().st_ino == blocked
    assert served(paths.build_db) == 2
    assert served(paths.serving_db) == 1


def test_nothing_to_prepare_without_a_served_file_or_a_work_database(tmp_path) -> None:
    paths = WarehousePaths(tmp_path / "warehouse")
    assert not prepare_build(paths)  # the first run ever: dbt makes the build file
    assert not paths.build_db.exists()
    build(paths, 1)
    publish(paths)
    paths.work_db.unlink()  # its state gone: the build starts over, both files whole
    assert not prepare_build(paths)
    assert not paths.build_db.exists()


def test_a_crash_between_the_move_and_the_next_build_loses_nothing(tmp_path) -> None:
    paths = WarehousePaths(tmp_path / "warehouse")
    build(paths, 1)
    publish(paths)
    # a prepare that died half-way through its copy left its temporary file
    stale = paths.build_db.with_name(f".{paths.build_db.name}.999999.tmp")
    stale.write_bytes(b"half a copy")
    assert prepare_build(paths)
    assert not stale.exists()
    assert filecmp.cmp(paths.build_db, paths.serving_db, shallow=False)


def test_readers_of_the_old_copy_keep_reading_it_through_the_move(tmp_path) -> None:
    paths = WarehousePaths(tmp_path / "warehouse")
    build(paths, 1)
    rows = 3 * ROW_GROUP  # read from the file after the move, not from one cached page
    total = rows * (rows - 1) // 2
    with duckdb.connect(str(paths.build_db)) as con:
        con.execute(f"CREATE TABLE marts.big AS SELECT range AS i FROM range({rows})")
    publish(paths)
    prepare_build(paths)
    with duckdb.connect(str(paths.build_db)) as con:
        con.execute("UPDATE marts.big SET i = i + 1")
        con.execute("UPDATE marts.figure SET value = 2")
    # as Superset reads (superset_config.py): one instance, each published copy attached
    # under a name of its own when a connection finds a new one at the path
    readers = duckdb.connect(":memory:")
    try:
        readers.execute(f"ATTACH '{paths.serving_db}' AS v1 (READ_ONLY)")
        assert readers.execute("SELECT value FROM v1.marts.figure").fetchone() == (1,)
        publish(paths)  # the reader holds its file open meanwhile
        readers.execute(f"ATTACH '{paths.serving_db}' AS v2 (READ_ONLY)")
        assert readers.execute("SELECT count(*), sum(i) FROM v1.marts.big").fetchone() == (
            rows,
            total,
        )
        assert readers.execute("SELECT value FROM v1.marts.figure").fetchone() == (1,)
        assert readers.execute("SELECT value FROM v2.marts.figure").fetchone() == (2,)
        assert readers.execute("SELECT count(*), sum(i) FROM v2.marts.big").fetchone() == (
            rows,
            total + rows,
        )
    finally:
        readers.close()


def test_a_serving_folder_on_another_file_system_gets_a_copy(tmp_path) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system here")
    paths = WarehousePaths(tmp_path / "warehouse")
    build(paths, 1)
    with tempfile.TemporaryDirectory(dir=shm) as elsewhere:
        paths.serving_db.parent.symlink_to(elsewhere)  # no rename reaches it: EXDEV
        built = paths.build_db.stat().st_ino
        publish(paths)
        assert served(paths.serving_db) == 1
        assert paths.serving_db.stat().st_dev != paths.build_db.stat().st_dev
        # the build file stays (as before the move): nothing to prepare
        assert paths.build_db.stat().st_ino == built
        assert not prepare_build(paths)
        assert [p.name for p in Path(elsewhere).iterdir()] == ["ioc.duckdb"]

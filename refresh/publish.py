"""Publish the marts atomically: readers never open the file the pipeline writes.

The build file becomes the serving copy: once dbt has closed it and it passed the gate, it is
finished in place (views of the served schemas materialised, so it reads nothing outside
itself; anything else dropped; ``dq.dq_figure_change`` against the copy readers see),
checkpointed, and moved over the served file with ``os.replace``. A reader holding the old
file keeps reading it (its inode lives until it is closed), every new connection opens the
new one, and nobody ever sees half a refresh. The move is a rename: no byte is copied at
publish time (the copy of the whole file took 7-8 s of every refresh at scale 10,
benchmarks/README.md). Where the serving folder is on another file system (no rename across
them: ``EXDEV``) the build file is copied beside the served file and that copy swapped in,
as before; the build file then stays where it is.

The next build needs a writable build file with what is served: ``prepare_build`` copies
the served file to the build file's name when none is there. Each refresh DAG runs it while
the sources are pulled (it reads nothing they write), and every build runs it first
(``refresh.dbt.run_dbt``), a no-op when the file is there: the first build, and a build that
failed its gate and was not published, are continued from as they are. The work database
(``build/work.duckdb``: staging, intermediate, seeds, never served) is never moved: it
belongs to the last build, and so does the served file it is copied back from; a build file
is never copied over one that exists. ``prepare_build`` and the move take one lock, so a
copy in progress never meets a publish.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ingest.common.settings import WarehousePaths
from refresh.changes import record_figure_changes

SERVED_SCHEMAS = ("marts", "dq")


def publish(paths: WarehousePaths, schemas: tuple[str, ...] = SERVED_SCHEMAS) -> Path:
    """Finish the build file as the serving copy (only ``schemas``, tables only), then move
    it over the served file (copy it there where no rename can)."""
    build, final = paths.build_db, paths.serving_db
    if not build.exists():
        raise FileNotFoundError(f"{build}: no build to publish")
    final.parent.mkdir(parents=True, exist_ok=True)
    # As in the build (profiles.yml): no merging of partly deleted row groups at the
    # checkpoint, which rewrote the rows a month's delete+insert left around (fct_dossier:
    # at SF1 2-3 s of the October publish, the file 12 MiB larger).
    con = duckdb.connect(str(build), config={"max_vacuum_tasks": 0})
    try:
        if paths.work_db.exists():  # what a served view may read, until it is materialised
            con.execute(f"ATTACH '{paths.work_db}' AS {paths.work_db.stem} (READ_ONLY)")
        _keep_only(con, schemas)
        record_figure_changes(con, final)  # against what readers see until the swap
        con.execute("CHECKPOINT")
    finally:
        con.close()
    _wal(build).unlink(missing_ok=True)  # checkpointed: nothing left in it
    _fsync(build)
    with _exclusive(paths):
        try:
            os.replace(build, final)
        except OSError as e:
            if e.errno != errno.EXDEV:
                raise
            _copy_into_place(build, final)  # another file system: the build file stays
        _fsync_dir(final.parent)  # the rename itself survives a crash
        _fsync_dir(build.parent)
    return final


def prepare_build(paths: WarehousePaths) -> bool:
    """Give the next build its file: a copy of the served file where the build file is
    missing (the last build was published). Nothing when the build file is there (the first
    build, or one not published), when nothing is served yet, or when there is no work
    database (the build starts over: ``refresh.build_database.retire_single_file``).
    Whether it copied."""
    build, served = paths.build_db, paths.serving_db
    with _exclusive(paths):
        for stale in build.parent.glob(f".{build.name}.*.tmp"):  # a prepare that crashed
            stale.unlink()
        if build.exists() or not served.exists() or not paths.work_db.exists():
            return False
        staging = build.with_name(f".{build.name}.{os.getpid()}.tmp")
        _copy(served, staging)
        _fsync(staging)
        os.replace(staging, build)
        _fsync_dir(build.parent)
    return True


@contextmanager
def _exclusive(paths: WarehousePaths) -> Iterator[None]:
    """The build folder's lock: the copy back and the move, one at a time (across
    processes: a refresh DAG's preparing task and another run's publish)."""
    lock = paths.build_db.with_name(f".{paths.build_db.name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _copy_into_place(build: Path, final: Path) -> None:
    """The build file copied beside ``final`` and swapped in (a rename within its folder)."""
    staging = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    staging.unlink(missing_ok=True)
    _copy(build, staging)
    _fsync(staging)
    os.replace(staging, final)


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def _copy(source: Path, target: Path) -> None:
    """Copy with ``copy_file_range``, else with shutil. In the kernel either way (shutil
    uses ``sendfile``: on ext4 the same speed, within the noise at SF1), but where the file
    system shares blocks (XFS with reflink, btrfs) the kernel clones the file instead of
    writing its bytes again: the copy, a few seconds at SF10, then costs next to nothing."""
    try:
        with source.open("rb") as src, target.open("wb") as dst:
            left = os.fstat(src.fileno()).st_size
            while left > 0:
                copied = os.copy_file_range(src.fileno(), dst.fileno(), left)
                if copied == 0:
                    raise RuntimeError(f"{source} shrank while it was copied")
                left -= copied
        return
    except OSError as e:
        if e.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
            raise
    shutil.copyfile(source, target)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_only(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> None:
    """Materialise the served schemas' views, then drop everything else."""
    db = "current_database()"
    views = con.execute(
        f"SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = {db} "
        "AND NOT internal AND schema_name IN (SELECT unnest(?::varchar[]))",
        [list(schemas)],
    ).fetchall()
    for schema, view in views:
        tmp = f"__publish_{view}"
        con.execute(f'CREATE TABLE "{schema}"."{tmp}" AS FROM "{schema}"."{view}"')
        con.execute(f'DROP VIEW "{schema}"."{view}"')
        con.execute(f'ALTER TABLE "{schema}"."{tmp}" RENAME TO "{view}"')
    others = con.execute(
        f"SELECT schema_name FROM duckdb_schemas() WHERE database_name = {db} AND NOT internal "
        "AND schema_name NOT IN (SELECT unnest(?::varchar[])) AND schema_name <> 'main'",
        [list(schemas)],
    ).fetchall()
    for (schema,) in others:
        con.execute(f'DROP SCHEMA "{schema}" CASCADE')
    # main cannot be dropped: empty it (dbt puts nothing there; a stray object would leak)
    for kind, column, table in (
        ("VIEW", "view_name", "duckdb_views()"),
        ("TABLE", "table_name", "duckdb_tables()"),
    ):
        names = con.execute(
            f"SELECT {column} FROM {table} WHERE database_name = {db} AND schema_name = 'main'"
            + (" AND NOT internal" if kind == "VIEW" else "")
        ).fetchall()
        for (name,) in names:
            con.execute(f'DROP {kind} main."{name}"')

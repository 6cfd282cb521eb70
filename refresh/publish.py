"""Publish the marts atomically: readers never open the file the pipeline writes.

The serving copy is a separate DuckDB file built next to its final name and moved over it
with ``os.replace``: a reader holding the old file keeps reading it, every new connection
opens the new one, and nobody ever sees half a refresh.

It is a copy of the build database's file (dbt has closed it). That file holds the served
schemas only: dbt builds what nobody reads (staging, intermediate, seeds: at scale 10 tens
of millions of wide dossier rows) into the work database beside it (profiles.yml ``attach``,
WarehousePaths.work_db), so the copy moves no more than is served. In the copy, views of the
served schemas are materialised (the copy holds tables only and reads nothing outside
itself) and anything else dropped. Copying the file is I/O only, where copying the served
tables row by row into a new database (``CREATE TABLE … AS FROM build…``) took 57-92 s and
two cores at scale 10 (benchmarks/README.md).
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import duckdb

from ingest.common.settings import WarehousePaths
from refresh.changes import record_figure_changes

SERVED_SCHEMAS = ("marts", "dq")


def publish(paths: WarehousePaths, schemas: tuple[str, ...] = SERVED_SCHEMAS) -> Path:
    """Copy the build database, keep only the served schemas in the copy, then swap."""
    final = paths.serving_db
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    staging_wal = staging.with_name(staging.name + ".wal")
    staging.unlink(missing_ok=True)
    staging_wal.unlink(missing_ok=True)
    _copy(paths.build_db, staging)
    build_wal = paths.build_db.with_name(paths.build_db.name + ".wal")
    if build_wal.exists():  # not checkpointed yet: the copy replays it when opened
        _copy(build_wal, staging_wal)
    # As in the build (profiles.yml): no merging of partly deleted row groups at the copy's
    # checkpoint, which rewrote the rows a month's delete+insert left around (fct_dossier:
    # at SF1 2-3 s of the October publish, the copy 12 MiB larger).
    con = duckdb.connect(str(staging), config={"max_vacuum_tasks": 0})
    try:
        if paths.work_db.exists():  # what a served view may read, until it is materialised
            con.execute(f"ATTACH '{paths.work_db}' AS {paths.work_db.stem} (READ_ONLY)")
        _keep_only(con, schemas)
        record_figure_changes(con, final)  # against what readers see until the swap
        con.execute("CHECKPOINT")
    finally:
        con.close()
    staging_wal.unlink(missing_ok=True)  # checkpointed: nothing left in it
    with staging.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(staging, final)
    _fsync_dir(final.parent)  # the rename itself survives a crash
    return final


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

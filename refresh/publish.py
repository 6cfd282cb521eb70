"""Publish the marts atomically: readers never open the file the pipeline writes.

The serving copy is a separate DuckDB file built next to its final name and moved over it
with ``os.replace``: a reader holding the old file keeps reading it, every new connection
opens the new one, and nobody ever sees half a refresh.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from ingest.common.settings import WarehousePaths

SERVED_SCHEMAS = ("marts", "dq")


def publish(paths: WarehousePaths, schemas: tuple[str, ...] = SERVED_SCHEMAS) -> Path:
    """Copy the served schemas from the build database into a new serving file, then swap."""
    final = paths.serving_db
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    staging.unlink(missing_ok=True)
    con = duckdb.connect(str(staging))
    try:
        con.execute(f"ATTACH '{paths.build_db}' AS build (READ_ONLY)")
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE database_name = 'build' AND schema_name IN "
            f"({', '.join('?' for _ in schemas)}) "
            "UNION ALL SELECT schema_name, view_name FROM duckdb_views() "
            "WHERE database_name = 'build' AND NOT internal AND schema_name IN "
            f"({', '.join('?' for _ in schemas)}) ORDER BY 1, 2",
            [*schemas, *schemas],
        ).fetchall()
        for schema in sorted({s for s, _ in tables}):
            con.execute(f'CREATE SCHEMA "{schema}"')
        for schema, table in tables:
            con.execute(f'CREATE TABLE "{schema}"."{table}" AS FROM build."{schema}"."{table}"')
        con.execute("DETACH build")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    with staging.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(staging, final)
    return final

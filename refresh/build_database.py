"""Open the build database as dbt built it: two DuckDB files, one catalog.

dbt builds the served schemas (marts, dq) into ``build_db`` and everything else (staging,
intermediate, seeds) into ``work_db``, which the dbt profile attaches as ``work``
(dbt_project/profiles.yml, dbt_project.yml ``+database``): the publish moves the first
alone into place (refresh/publish.py). Here the second is attached under the same name and
its schemas put on the search path, so ``intermediate.<model>`` reads as it did when both
were one file.
"""

from __future__ import annotations

import duckdb

from ingest.common.settings import WarehousePaths


def connect_build(paths: WarehousePaths, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """The build database with the work database attached (when it exists)."""
    con = duckdb.connect(str(paths.build_db), read_only=read_only)
    if not paths.work_db.exists():
        return con
    try:
        mode = " (READ_ONLY)" if read_only else ""
        con.execute(f"ATTACH '{paths.work_db}' AS {paths.work_db.stem}{mode}")
        work = con.execute(
            "SELECT schema_name FROM duckdb_schemas() WHERE database_name = ? AND NOT internal",
            [paths.work_db.stem],
        ).fetchall()
        path = ["main", *(f'"{paths.work_db.stem}"."{schema}"' for (schema,) in work)]
        con.execute(f"SET search_path = '{','.join(path)}'")
    except BaseException:
        con.close()
        raise
    return con


def retire_single_file(paths: WarehousePaths) -> None:
    """Remove a build database made before the split (no work database beside it yet): it
    holds staging, intermediate and seeds too, whose blocks the served file would carry for
    good (DuckDB does not shrink a file). dbt then builds both files whole, as the
    incremental models start over in the new work database anyway."""
    if paths.build_db.exists() and not paths.work_db.exists():
        paths.build_db.with_name(paths.build_db.name + ".wal").unlink(missing_ok=True)
        paths.build_db.unlink()

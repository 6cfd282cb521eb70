"""A fingerprint of the serving copy: one hash per served table, leaving out only the columns
that record when and by which run (``RUN_COLUMNS``, and ``RUN_COLUMNS_OF`` for a name that
is a figure elsewhere), so a re-run of a period that changes no
figure gives the same hashes.

Why a plain hash of a table changes on a re-run with the same rows: every mart stamps the
build's start (``refreshed_at``, ``checked_at``: dbt's ``run_started_at``) and the dq tables
name the run (``run_id``), and a re-pull writes new attempt times in the load ledger
(``started_at``, ``finished_at``, hence ``last_load_at``). Rows are hashed in a canonical
order (the sorted hashes of the rows), so neither DuckDB's parallel scan order nor the
physical layout matters. Tables that log runs (``RUN_LOGS``: one row per attempt or check
run) are hashed on their distinct rows: a re-run that adds an identical attempt adds no fact.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

SERVED_SCHEMAS = ("marts", "dq")
RUN_COLUMNS = frozenset(
    {
        "refreshed_at",
        "checked_at",
        "run_id",
        "close_run_id",
        "first_closed_at",
        "failed_at",
        "fitted_at",
        "started_at",
        "finished_at",
        "last_load_at",
        "last_checked_at",
        "processed_at",
    }
)
# Names that record a run in some tables only: elsewhere the same name is a figure
# (fct_dossier.closed_at is when a dossier was closed).
RUN_COLUMNS_OF = {
    "marts.fct_period_state": frozenset({"closed_at"}),
    "dq.dq_period_close": frozenset({"closed_at"}),
}
RUN_LOGS = frozenset({"dq.load_ledger", "dq.dq_check_result", "dq.dq_failed_run"})


def run_columns(schema: str, table: str) -> frozenset[str]:
    """The columns of ``schema.table`` that record when and by which run, not a fact."""
    return RUN_COLUMNS | RUN_COLUMNS_OF.get(f"{schema}.{table}", frozenset())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_hash(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    """md5 over the sorted md5s of the rows (their kept columns, as text)."""
    cols = [
        c
        for (c,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
        if c not in run_columns(schema, table)
    ]
    kept = ", ".join(_quote(c) for c in cols)
    distinct = "distinct " if f"{schema}.{table}" in RUN_LOGS else ""
    sql = (
        "select md5(coalesce(string_agg(h, ',' order by h), '')) from ("
        f"select md5(cast(row({kept}) as varchar)) as h from "
        f"(select {distinct}{kept} from {_quote(schema)}.{_quote(table)}))"
    )
    return con.execute(sql).fetchone()[0]


def served_hashes(database: Path, schemas: tuple[str, ...] = SERVED_SCHEMAS) -> dict[str, str]:
    """``schema.table`` → its hash, for every table and view of the served schemas."""
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?::varchar[])) order by 1, 2",
            [list(schemas)],
        ).fetchall()
        return {f"{s}.{t}": table_hash(con, s, t) for s, t in tables}

"""Which published dashboard figures a refresh changed: ``dq.dq_figure_change``.

Written into the new serving copy before it replaces the old one, by comparing its
``marts.fct_indicator_value`` with the copy readers see now: every figure whose value
changed (``revised``: a source revised it, or a late record corrected its period), appeared
(``new``) or is gone (``withdrawn``), with its source (every source's figures are compared).
Stewards read it beside ``dq.dq_revision`` (which record brought the change); the first
publish finds nothing to compare and leaves it empty.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

FIGURE_CHANGES = "dq.dq_figure_change"  # the table, in the served copy only
KEY = ("indicator_code", "admin_unit_code", "period_type", "period_label")
_EMPTY = (
    "SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS indicator_code, "
    "NULL::VARCHAR AS admin_unit_code, "
    "NULL::VARCHAR AS period_type, NULL::VARCHAR AS period_label, NULL::VARCHAR AS change_kind, "
    "NULL::DOUBLE AS previous_value, NULL::DOUBLE AS actual_value, NULL::DOUBLE AS change, "
    "NULL::VARCHAR AS previous_load_id, NULL::VARCHAR AS source_load_id, "
    "NULL::TIMESTAMP AS previous_refreshed_at WHERE false"
)


def record_figure_changes(con: duckdb.DuckDBPyConnection, previous: Path) -> int:
    """Create ``dq.dq_figure_change`` in ``con``'s database; the number of rows it holds."""
    sql = _EMPTY
    if previous.exists() and _has_figures(con, previous):
        path = str(previous).replace("'", "''")
        con.execute(f"ATTACH '{path}' AS previous_copy (READ_ONLY)")
        on = " AND ".join(f"n.{k} IS NOT DISTINCT FROM o.{k}" for k in KEY)
        keys = ", ".join(f"coalesce(n.{k}, o.{k}) AS {k}" for k in KEY)
        sql = f"""
            SELECT coalesce(n.source, o.source) AS source, {keys},
                CASE WHEN o.indicator_code IS NULL THEN 'new'
                    WHEN n.indicator_code IS NULL THEN 'withdrawn'
                    ELSE 'revised' END AS change_kind,
                o.actual_value AS previous_value,
                n.actual_value AS actual_value,
                n.actual_value - o.actual_value AS change,
                o.source_load_id AS previous_load_id,
                n.source_load_id AS source_load_id,
                o.refreshed_at::TIMESTAMP AS previous_refreshed_at
            FROM marts.fct_indicator_value AS n
            FULL JOIN previous_copy.marts.fct_indicator_value AS o ON {on}
            WHERE o.indicator_code IS NULL OR n.indicator_code IS NULL
                OR n.actual_value IS DISTINCT FROM o.actual_value
        """
    con.execute("CREATE SCHEMA IF NOT EXISTS dq")
    con.execute(f"CREATE OR REPLACE TABLE {FIGURE_CHANGES} AS {sql}")
    if sql is not _EMPTY:
        con.execute("DETACH previous_copy")
    return con.execute(f"SELECT count(*) FROM {FIGURE_CHANGES}").fetchone()[0]


def _has_figures(con: duckdb.DuckDBPyConnection, previous: Path) -> bool:
    try:
        with duckdb.connect(str(previous), read_only=True) as old:
            old.execute("SELECT 1 FROM marts.fct_indicator_value LIMIT 0")
        con.execute("SELECT 1 FROM marts.fct_indicator_value LIMIT 0")
        return True
    except duckdb.Error:
        return False

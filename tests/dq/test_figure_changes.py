"""Which published figures a refresh changed (refresh/changes.py, run by the real publish):
dq.dq_figure_change in the new serving copy, against the copy readers saw before."""

from __future__ import annotations

import duckdb

from ingest.common.settings import WarehousePaths
from refresh.publish import publish

FIGURES = """
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.fct_indicator_value AS SELECT
    CASE WHEN starts_with(indicator_code, 'DL_') THEN 'dulich' ELSE 'ngansach' END AS source,
    *
FROM (VALUES
    {rows}
) AS t(indicator_code, admin_unit_code, period_type, period_label, actual_value,
       source_load_id, refreshed_at);
"""


def build(paths: WarehousePaths, rows: str) -> None:
    paths.build_db.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.build_db)) as con:
        con.execute(FIGURES.format(rows=rows))


def changes(paths: WarehousePaths) -> list[tuple]:
    with duckdb.connect(str(paths.serving_db), read_only=True) as con:
        return con.execute(
            "SELECT source, indicator_code, period_label, change_kind, previous_value, "
            "actual_value, change, source_load_id FROM dq.dq_figure_change ORDER BY ALL"
        ).fetchall()


def test_a_refresh_names_the_figures_it_changed(tmp_path) -> None:
    paths = WarehousePaths(tmp_path / "warehouse")
    t = "TIMESTAMP '2026-11-01 00:00'"
    build(
        paths,
        f"""('DL_A', '56', 'month', '2024-03', 100.0, 'L1', {t}),
        ('DL_A', '56', 'month', '2024-04', 200.0, 'L1', {t}),
        ('TNS_B', '56', 'month', '2024-03', 5.0, 'L1', {t})""",
    )
    publish(paths)
    assert changes(paths) == []  # the first publish: nothing to compare with
    build(
        paths,
        f"""('DL_A', '56', 'month', '2024-03', 110.0, 'L2', {t}),
        ('DL_A', '56', 'month', '2024-04', 200.0, 'L1', {t}),
        ('DL_A', '56', 'month', '2024-05', 300.0, 'L2', {t})""",
    )
    publish(paths)
    assert changes(paths) == [
        ("dulich", "DL_A", "2024-03", "revised", 100.0, 110.0, 10.0, "L2"),
        ("dulich", "DL_A", "2024-05", "new", None, 300.0, None, "L2"),
        ("ngansach", "TNS_B", "2024-03", "withdrawn", 5.0, None, None, None),
    ]

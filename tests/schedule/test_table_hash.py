"""The served tables' fingerprint: blind to the when/which-run columns and to row order,
not to a changed figure or a duplicated row."""

from __future__ import annotations

import duckdb

from ioc.table_hash import served_hashes


def _serving(path, rows: list[tuple], refreshed: str) -> dict[str, str]:
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_indicator_value "
            "(indicator_code varchar, actual_value double, refreshed_at timestamp)"
        )
        for code, value in rows:
            con.execute(
                "insert into marts.fct_indicator_value values (?, ?, ?)", [code, value, refreshed]
            )
    return served_hashes(path)


def test_hash_ignores_run_time_and_order_but_not_figures(tmp_path) -> None:
    db = tmp_path / "ioc.duckdb"
    first = _serving(db, [("A", 1.5), ("B", 2.0)], "2026-11-19 01:00:00")
    assert set(first) == {"marts.fct_indicator_value"}
    assert _serving(db, [("B", 2.0), ("A", 1.5)], "2026-11-20 09:30:00") == first
    assert _serving(db, [("A", 1.5), ("B", 2.5)], "2026-11-19 01:00:00") != first
    assert _serving(db, [("A", 1.5), ("B", 2.0), ("B", 2.0)], "2026-11-19 01:00:00") != first

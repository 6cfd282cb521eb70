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


def _closed_at(path, table: str, closed_at: str) -> str:
    path.unlink(missing_ok=True)
    schema = table.split(".")[0]
    with duckdb.connect(str(path)) as con:
        con.execute(f"create schema {schema}")
        con.execute(f"create table {table} (id varchar, closed_at timestamp)")
        con.execute(f"insert into {table} values ('x', ?)", [closed_at])
    return served_hashes(path)[table]


def test_closed_at_is_a_figure_of_a_dossier_and_a_run_time_of_a_period_close(tmp_path) -> None:
    db = tmp_path / "ioc.duckdb"
    # when a dossier was closed is what the mart says: a changed one is a changed figure
    dossier = _closed_at(db, "marts.fct_dossier", "2026-03-02 10:00:00")
    assert _closed_at(db, "marts.fct_dossier", "2026-03-09 10:00:00") != dossier
    # when the closing run ran is not a fact about the period
    period = _closed_at(db, "dq.dq_period_close", "2026-11-19 01:00:00")
    assert _closed_at(db, "dq.dq_period_close", "2026-11-20 09:30:00") == period

"""``ioc status``: where the province's data stands, read from Airflow's metadata database
and the lake itself (not the serving copy, which a blocked refresh leaves behind): which
sources are configured, the last run of each DAG, the newest load of each dataset, and what
is in quarantine with its top reasons."""

from __future__ import annotations

import os
from collections.abc import Callable

import duckdb

from ingest.common.ledger import Ledger
from ingest.common.settings import WarehousePaths
from ioc.sources import SOURCES, EnvSettings, configuration

Print = Callable[[str], None]

LAST_RUNS = """
select
    r.dag_id, r.state, coalesce(r.logical_date, r.run_after), r.end_date,
    ti.state as extract_state
from (
    select *, row_number() over (partition by dag_id order by id desc) as n from dag_run
) as r
left join task_instance as ti
    on ti.dag_id = r.dag_id and ti.run_id = r.run_id and ti.task_id = 'extract'
where r.n = 1
order by r.dag_id
"""


def last_runs(db_uri: str) -> list[tuple]:
    """The newest run of each DAG from Airflow's metadata database ([] when it has none)."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(db_uri)
    try:
        with engine.connect() as con:
            return [tuple(r) for r in con.execute(sqlalchemy.text(LAST_RUNS))]
    except sqlalchemy.exc.DBAPIError:
        return []  # no metadata database (or no Airflow tables) yet
    finally:
        engine.dispose()


def newest_loads(paths: WarehousePaths) -> list[tuple]:
    """Per dataset: the newest attempt's load and status, the newest success and how far its
    data reach (``data_until``; a ledger file from before it: a loaded window's end, as
    dbt's ``dq.load_ledger`` reads it)."""
    sql = """
        select source || '.' || dataset, arg_max(load_id, started_at),
            arg_max(status, started_at), max(finished_at) filter (where status = 'success'),
            max(coalesce(data_until, case when rows_loaded > 0 then window_end end))
                filter (where status = 'success'),
            count(*)
        from ledger group by 1 order by 1
    """
    with duckdb.connect() as con:
        con.register("ledger", Ledger(paths.meta).all())
        return con.execute(sql).fetchall()


def quarantine(paths: WarehousePaths) -> list[tuple]:
    """Per dataset: rows quarantined, loads concerned, the commonest reason."""
    files = paths.meta / "quarantine" / "*" / "*.parquet"
    sql = f"""
        select dataset, count(*), count(distinct load_id), mode(reason)
        from read_parquet('{files}', union_by_name = true) group by 1 order by 1
    """
    return _query(sql) if any(paths.meta.glob("quarantine/*/*.parquet")) else []


def _query(sql: str) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(sql).fetchall()


def _time(value) -> str:
    return "-" if value is None else str(value)[:19]


def report(paths: WarehousePaths, db_uri: str, say: Print = print) -> None:
    settings = EnvSettings.current()
    say("Sources")
    for source in SOURCES.values():
        on = configuration(source, settings).is_configured
        say(f"  {source.name:11} {'configured' if on else 'not configured'}")
    say(f"Last DAG runs ({db_uri.split('://')[0]} metadata database)")
    runs = last_runs(db_uri)
    for dag_id, state, logical, ended, extract in runs:
        shown = "not configured (skipped)" if extract == "skipped" else state
        say(f"  {dag_id:18} {shown:24} for {_time(logical)} UTC, ended {_time(ended)} UTC")
    if not runs:
        say("  none yet")
    say(f"Newest load per dataset ({paths.lake})")
    loads = newest_loads(paths)
    for dataset, load_id, state, finished, until, attempts in loads:
        say(
            f"  {dataset:28} {state:9} {load_id}  last success {_time(finished)}, "
            f"data to {_time(until)} ({attempts} ledger entries)"
        )
    if not loads:
        say("  nothing loaded yet")
    say("Quarantine")
    held = quarantine(paths)
    for dataset, rows, loads_, reason in held:
        say(f"  {dataset:28} {rows} row(s) from {loads_} load(s); most often: {reason[:120]}")
    if not held:
        say("  empty")


def metadata_db_uri() -> str:
    return os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]

"""Run by test_duckdb_lockdown_hook.py in the SERVING env: load superset_config.py, then open
many read-only connections to the serving database at once, round after round (each round
starts a fresh DuckDB instance), and report how each connection ended up as JSON; then try,
on one connection, every way to reach a file named on the command line (ATTACH, read, COPY),
and report what each statement met."""

from __future__ import annotations

import collections
import importlib.util
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

THREADS, ROUNDS = 32, 20


def main(config_path: str, reaches: list[str]) -> None:
    spec = importlib.util.spec_from_file_location("ioc_superset_config", config_path)
    assert spec and spec.loader
    config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(config)  # registers the connect hook
    engine = sa.create_engine(
        f"duckdb:///{config.SERVING_DIR}/ioc.duckdb",
        connect_args={"read_only": True},
        poolclass=NullPool,  # as Superset does: one connection per query
    )

    def connect(barriers: tuple[threading.Barrier, threading.Barrier]) -> str:
        barriers[0].wait()  # all threads connect at the same moment
        try:
            with engine.connect() as con:
                external = con.exec_driver_sql(
                    "SELECT current_setting('enable_external_access')"
                ).scalar()
                try:
                    con.exec_driver_sql("SELECT * FROM read_csv('/etc/passwd')").fetchall()
                    leaked = True
                except sa.exc.DBAPIError:
                    leaked = False
                barriers[1].wait(timeout=30)  # hold the shared instance until all are in
            return "locked" if external is False and not leaked else "OPEN"
        except Exception as error:
            return type(error).__name__

    outcomes: collections.Counter[str] = collections.Counter()
    for _ in range(ROUNDS):
        barriers = (threading.Barrier(THREADS), threading.Barrier(THREADS))
        with ThreadPoolExecutor(THREADS) as pool:
            outcomes.update(pool.map(connect, [barriers] * THREADS))
    met = {}
    with engine.connect() as con:
        for sql in reaches:
            try:
                met[sql] = f"ran: {con.exec_driver_sql(sql).fetchall()}"
            except sa.exc.DBAPIError as error:
                met[sql] = f"{type(error.orig).__name__}: {error.orig}"
        met["SELECT 42"] = con.exec_driver_sql("SELECT 42").scalar()  # and still serves
    print(json.dumps({"connections": outcomes, "reaches": met}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])

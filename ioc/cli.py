"""The operator's command: ``python -m ioc`` (``bin/ioc <command>``, ``--help`` lists them).

Settings are Airflow's, in their environment form (``AIRFLOW_CONN_IOC_*``,
``AIRFLOW_VAR_IOC_*``, ``AIRFLOW__…``), e.g. from ``ioc.env`` which ``bin/ioc`` reads; the
warehouse is ``IOC_WAREHOUSE`` (default ``warehouse/``). Exit codes: 0 done, 1 a problem
found or a run failed, 2 a wrong argument.
"""

from __future__ import annotations

import contextlib
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ingest.common.settings import WarehousePaths
from ioc.sources import SOURCES

app = typer.Typer(
    help=__doc__.splitlines()[0],
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # a traceback must not print settings (secrets)
)
airflow_app = typer.Typer(
    help="The operator's Airflow on 127.0.0.1 (scheduler, DAG processor, UI)."
)
app.add_typer(airflow_app, name="airflow")
out = Console(highlight=False, soft_wrap=True)  # one finding, one line: never wrapped


def say(line: str, style: str = "") -> None:
    """A progress line: ``[ioc] …`` (the text printed as is, never read as markup)."""
    text = f"[{style}]{escape(line)}[/]" if style else escape(line)
    out.print(f"[bold]\\[ioc][/bold] {text}")


def _paths() -> WarehousePaths:
    from ioc.refresh import prepare

    paths = WarehousePaths.from_env()
    prepare(paths)
    return paths


@app.command()
def check() -> None:
    """Sources configured, connections and credentials, drop folders, the key.

    One line per finding; exit 1 when any is a problem."""
    from ioc.check import check as run_checks

    started = time.monotonic()
    findings = run_checks()
    style = {True: "green", False: "bold red", None: "dim"}
    for f in findings:
        out.print(f.line, style=style[f.ok], markup=False)
    problems = [f for f in findings if f.ok is False]
    configured = {f.subject for f in findings if f.ok is not None} & set(SOURCES)
    say(
        f"{len(configured)} of {len(SOURCES)} sources configured, {len(problems)} problem(s) "
        f"({time.monotonic() - started:.1f} s)"
    )
    raise typer.Exit(1 if problems else 0)


@app.command()
def refresh(
    period: Annotated[str, typer.Option(help="the month to refresh, YYYY-MM")],
    source: Annotated[
        list[str] | None,
        typer.Option(help=f"only this source (repeatable): {', '.join(SOURCES)}"),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="re-pull from this local time (ISO 8601)")
    ] = None,
    simulator: Annotated[
        bool, typer.Option(help="start the source simulator and use it as the sources (demo)")
    ] = False,
    scale: Annotated[float, typer.Option(help="simulator scale (with --simulator)")] = 0.1,
) -> None:
    """One month through Airflow from the configured sources, then build and publish.

    Starts no simulator unless --simulator (the demo's sources)."""
    from demo.airflow_run import RefreshFailed
    from ioc.refresh import parse_period, simulated_sources
    from ioc.refresh import refresh as run_refresh

    unknown = sorted(set(source or []) - set(SOURCES))
    if unknown:
        raise typer.BadParameter(f"unknown source(s) {unknown}; known: {', '.join(SOURCES)}")
    try:
        month = parse_period(period)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    paths = _paths()
    started = time.monotonic()
    try:
        with simulated_sources(paths, scale) if simulator else contextlib.nullcontext():
            say(f"refreshing {period} through Airflow into {paths.root}")
            states = run_refresh(month, source or None, since, say)
    except RefreshFailed as exc:
        say(f"refresh failed: {exc}", "bold red")
        raise typer.Exit(1) from None
    summary = ", ".join(f"{dag_id} {state}" for dag_id, state in states.items())
    say(f"refresh done in {time.monotonic() - started:.0f} s: {summary}")
    say(f"serving copy: {paths.serving_db}")


@app.command()
def status() -> None:
    """The last run of each DAG, the newest load per dataset, what is in quarantine."""
    from ioc.status import metadata_db_uri, report

    paths = _paths()
    report(paths, metadata_db_uri(), lambda line: out.print(line, markup=False))


@app.command()
def schedule(
    months: Annotated[int, typer.Option(help="how far ahead, in months")] = 12,
) -> None:
    """The next runs of every DAG (local time), with the period each closing run closes."""
    from airflow.dag_processing.dagbag import DagBag

    from ingest.common.settings import REPO_ROOT
    from ioc.schedule import report

    _paths()
    bag = DagBag(dag_folder=str(REPO_ROOT / "dags"))
    if bag.import_errors:
        for path, error in bag.import_errors.items():
            out.print(f"{path}: {error}", style="bold red", markup=False)
        raise typer.Exit(1)
    report(bag.dags, months, lambda line: out.print(line, markup=False))


@app.command()
def backfill(
    since: Annotated[str, typer.Option(help="the first period's month, YYYY-MM")] = "2022-01",
    until: Annotated[
        str | None, typer.Option(help="the last period's month (default: the last closed)")
    ] = None,
    period_type: Annotated[
        str, typer.Option(help="which closing DAG: month, quarter, half_year, nine_months, year")
    ] = "month",
    rerun: Annotated[bool, typer.Option(help="run again the closes that succeeded before")] = False,
) -> None:
    """The history through Airflow's own backfill of a closing DAG, one close at a time.

    Needs the scheduler running (`ioc airflow start`); waits for the backfill to finish and
    prints its wall time and the share of it that is orchestration (Airflow's task times)."""
    import os
    from pathlib import Path

    from ioc import airflow_api
    from ioc.backfill import backfill as run_backfill
    from ioc.refresh import parse_period

    try:
        first = parse_period(since)
        last = parse_period(until) if until else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    _paths()
    url = f"http://127.0.0.1:{os.environ['AIRFLOW__API__PORT']}"
    try:
        api = airflow_api.client(url, Path(os.environ["AIRFLOW_HOME"]))
        done = run_backfill(api, period_type, first, last, rerun, say)
    except (RuntimeError, ValueError, OSError) as exc:
        say(f"backfill failed: {exc}", "bold red")
        raise typer.Exit(1) from None
    busy = done.tasks_busy
    say(
        f"backfill {done.backfill_id}: {', '.join(f'{n} {s}' for s, n in done.states.items())} "
        f"in {done.wall:.0f} s; tasks busy {busy:.0f} s, orchestration "
        f"{max(done.wall - busy, 0) / done.wall:.0%} of the wall time"
    )
    raise typer.Exit(0 if set(done.states) == {"success"} else 1)


@app.command()
def history(
    since: Annotated[str, typer.Option(help="the first period's month, YYYY-MM")] = "2022-01",
    until: Annotated[
        str | None, typer.Option(help="the last month (default: the last closed)")
    ] = None,
) -> None:
    """The whole history in one run under the scheduler: every source pulled once, every
    period's close recorded, one build (dags/load_history.py).

    Needs the scheduler running (`ioc airflow start`); waits for the run and prints its wall
    time and the share of it that is orchestration."""
    import os
    from pathlib import Path

    from ioc import airflow_api
    from ioc.history import load_history
    from ioc.refresh import parse_period

    try:
        for month in (since, until):
            if month:
                parse_period(month)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    _paths()
    url = f"http://127.0.0.1:{os.environ['AIRFLOW__API__PORT']}"
    try:
        api = airflow_api.client(url, Path(os.environ["AIRFLOW_HOME"]))
        done = load_history(api, since, until, say)
    except (RuntimeError, ValueError, OSError) as exc:
        say(f"history failed: {exc}", "bold red")
        raise typer.Exit(1) from None
    raise typer.Exit(0 if done.run["state"] == "success" else 1)


@airflow_app.command("start")
def airflow_start(
    port: Annotated[int, typer.Option(help="port of the API server and UI")] = 8080,
) -> None:
    """Start the scheduler, the DAG processor and the API server (UI) on 127.0.0.1."""
    import os

    from ioc import airflow_services

    paths = _paths()
    if port != 8080:
        from demo.environment import airflow_env

        env = airflow_env(paths.root, port)
        for key in ("AIRFLOW__API__PORT", "AIRFLOW__CORE__EXECUTION_API_SERVER_URL"):
            os.environ[key] = env[key]
    url = airflow_services.start(port, say)
    say(f"Airflow UI: {url} (users: $AIRFLOW_HOME/simple_auth_manager_passwords.json.generated)")
    say("stop it with: bin/ioc airflow stop")


@airflow_app.command("stop")
def airflow_stop() -> None:
    """Stop the Airflow processes `ioc airflow start` started."""
    from ioc import airflow_services

    _paths()
    airflow_services.stop(say)

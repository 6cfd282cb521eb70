"""Where the time of a monthly refresh through Airflow goes.

    IOC_WAREHOUSE=/work/bench/demo-copy python -m benchmarks.refresh --period 2026-10

Does what ``bin/ioc refresh --simulator`` runs after its environment sync (``python -m demo
--refresh-only``: the simulator, ``airflow db migrate``, every ingestion DAG then
``refresh_marts`` with ``dag.test()``), on the warehouse ``IOC_WAREHOUSE`` points at, with
timers wrapped around its parts (nothing else changes): this process's start and imports,
the simulator's start, the migration, the DAG folder's parse, each DAG run and each task,
and inside the tasks the connectors, Great Expectations (its import apart), each dbt
invocation (dbt's own node execution time apart: the rest is start-up and parse), the dbt
results' record and the publish. Prints a table, then one JSON line with every figure and
the load average. Use a copy of the demo's warehouse: the refresh writes to it.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from collections import defaultdict
from datetime import date

import psutil

STARTED = time.time()
T: dict[str, float] = defaultdict(float)  # name → seconds (summed over calls)
N: dict[str, int] = defaultdict(int)
ORDER: list[str] = []


def timed(name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            add(name, time.perf_counter() - t0)

    return wrapper


def add(name: str, secs: float) -> None:
    if name not in T:
        ORDER.append(name)
    T[name] += secs
    N[name] += 1


def patch(module, attr: str, name: str) -> None:
    setattr(module, attr, timed(name, getattr(module, attr)))


def instrument() -> None:
    """Timers around the refresh's parts; imports only what the refresh imports anyway."""
    import airflow.sdk.definitions.dag as sdk_dag

    import dags.tasks as tasks
    import refresh.dbt as rdbt
    import refresh.dq_results as dq_results
    import refresh.publish as rpublish

    real_run_task = sdk_dag._run_task

    def run_task(*, ti, task, **kwargs):
        t0 = time.perf_counter()
        try:
            return real_run_task(ti=ti, task=task, **kwargs)
        finally:
            add(f"task {ti.dag_id}.{ti.task_id}", time.perf_counter() - t0)

    sdk_dag._run_task = run_task
    for source, pull in list(tasks.PULLS.items()):
        tasks.PULLS[source] = timed(f"  connector {source}", pull)

    real_validate = tasks.validate_loads

    def validate_loads(loads, run_id):
        t0 = time.perf_counter()
        fresh = "expectations.checkpoint" not in sys.modules
        import expectations.checkpoint as checkpoint  # what validate_loads imports

        if fresh:
            add("  import great_expectations (+ expectations/)", time.perf_counter() - t0)
            patch(checkpoint, "check_loads", "  GE check_loads")
        return real_validate(loads, run_id)

    tasks.validate_loads = validate_loads

    real_run_dbt = rdbt.run_dbt
    real_parse_dbt = rdbt.parse_dbt

    def import_dbt() -> None:
        t0 = time.perf_counter()
        if "dbt.cli.main" not in sys.modules:
            import dbt.cli.main  # noqa: F401  (what run_dbt imports)

            add("  import dbt", time.perf_counter() - t0)

    def parse_dbt(args, paths):
        import_dbt()
        t0 = time.perf_counter()
        try:
            return real_parse_dbt(args, paths)
        finally:
            add("  dbt parse (once per refresh)", time.perf_counter() - t0)

    def run_dbt(args, paths, manifest=None):
        import_dbt()
        t1 = time.perf_counter()
        wall = time.time()
        out = real_run_dbt(args, paths, manifest)
        secs = time.perf_counter() - t1
        label = "dbt " + " ".join(args)
        results = paths.root / "build" / "dbt_target" / "run_results.json"
        try:  # an invocation with --no-write-json leaves the previous one's
            fresh = results.stat().st_mtime >= wall
            run_results = json.loads(results.read_text()) if fresh else {}
            executing = float(run_results.get("elapsed_time", 0.0))
        except (OSError, ValueError):
            executing = 0.0
        add(f"  {label}: start-up, compile set-up", secs - executing)
        add(f"  {label}: node execution", executing)
        return out

    dq_results.run_dbt = run_dbt
    rdbt.run_dbt = run_dbt
    dq_results.parse_dbt = parse_dbt
    rdbt.parse_dbt = parse_dbt
    patch(dq_results, "record", "  record dbt results")
    patch(rpublish, "publish", "  publish (copy marts, dq → serving)")


def table(total: float) -> str:
    lines = [f"{'part':<62} {'calls':>5} {'s':>7} {'%':>5}"]
    for name in ORDER:
        lines.append(f"{name:<62} {N[name]:>5} {T[name]:>7.2f} {100 * T[name] / total:>5.1f}")
    lines.append(f"{'total (process start → end)':<62} {'':>5} {total:>7.2f}")
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.refresh", description=__doc__)
    p.add_argument("--period", default="2026-10")
    p.add_argument("--scale", type=float, default=0.1)
    p.add_argument("--sim-port", type=int, default=18765)
    p.add_argument(
        "--project",
        default="worktree",
        help="dbt project: worktree (dbt_project/ itself, the default) or a git revision, "
        "snapshot into <warehouse>/bench_dbt_project (for when the work tree is mid-edit)",
    )
    p.add_argument(
        "--always-migrate",
        action="store_true",
        help="run `airflow db migrate` even when the database is current (as before)",
    )
    args = p.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    add("python start (interpreter, site)", STARTED - psutil.Process().create_time())

    t0 = time.perf_counter()
    from demo import airflow_run, environment, services  # what demo/__main__ imports
    from ingest.common.settings import WarehousePaths

    add("import demo, ingest settings", time.perf_counter() - t0)
    paths = WarehousePaths.from_env()
    if paths.root == WarehousePaths(environment.REPO_ROOT / "warehouse").root.resolve():
        raise SystemExit("point IOC_WAREHOUSE at a copy: the refresh writes to the warehouse")
    secrets = environment.load_secrets(paths.root)
    project = {"project": "worktree"}
    if args.project != "worktree":
        import refresh.dbt
        from benchmarks.build import snapshot_project

        dest = paths.root / "bench_dbt_project"
        before = (dest / ".revision").read_text() if (dest / ".revision").exists() else ""
        project = snapshot_project(dest, args.project)
        (dest / ".revision").write_text(project["head"])
        if project["head"] != before:
            # dbt's partial parse can trip over a project swapped underneath it (a doc block
            # "not found"): parse the new revision whole once.
            (paths.root / "build" / "dbt_target" / "partial_parse.msgpack").unlink(missing_ok=True)
        refresh.dbt.PROJECT_DIR = dest
    year, month = map(int, args.period.split("-"))

    t0 = time.perf_counter()
    sim = services.simulator(
        args.sim_port,
        args.scale,
        secrets,
        paths.root / "logs" / "simulator.log",
        environment.drop_root(paths.root),
    )
    sim_url = sim.__enter__()
    add("simulator start (until /healthz answers)", time.perf_counter() - t0)
    try:
        environment.apply(environment.pipeline_env(paths.root, sim_url))
        if args.always_migrate:
            airflow_run._metadata_db_current = lambda: False
        t0 = time.perf_counter()
        airflow_run.migrate_metadata_db()
        add("airflow db migrate (check; subprocess when behind)", time.perf_counter() - t0)
        t0 = time.perf_counter()
        import airflow.dag_processing.dagbag
        import airflow.sdk.definitions.dag

        add("import airflow (+ configure ORM)", time.perf_counter() - t0)
        instrument()
        real_bag = airflow.dag_processing.dagbag.DagBag
        airflow.dag_processing.dagbag.DagBag = timed("DagBag parse of dags/", real_bag)
        from airflow.sdk.definitions.dag import DAG

        real_test = DAG.test

        def test(self, *a, **kw):
            t0 = time.perf_counter()
            try:
                return real_test(self, *a, **kw)
            finally:
                add(f"dag.test {self.dag_id} (whole run)", time.perf_counter() - t0)

        DAG.test = test
        try:
            states = airflow_run.run_period(date(year, month, 1))
        except airflow_run.RefreshFailed as e:
            states = {"failed": str(e)}
    finally:
        t0 = time.perf_counter()
        sim.__exit__(None, None, None)
        add("simulator stop", time.perf_counter() - t0)
    total = time.time() - psutil.Process().create_time()
    print(table(total), flush=True)
    print(
        json.dumps(
            {
                "period": args.period,
                "warehouse": str(paths.root),
                "states": states,
                **project,
                "total_s": round(total, 2),
                "parts_s": {k: round(T[k], 3) for k in ORDER},
                "keep_open": os.environ.get("IOC_DBT_KEEP_OPEN", "True"),
                "always_migrate": args.always_migrate,
                "pycache_prefix": os.environ.get("PYTHONPYCACHEPREFIX"),
                "load_avg_before": load_before,
                "load_avg": [round(x, 2) for x in os.getloadavg()],
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()

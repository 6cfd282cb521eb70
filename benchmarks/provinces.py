"""One province against 34: the marts built on DuckDB and on Spark from the same dossiers.

    python -m benchmarks.provinces land  [--root /work/bench/provinces] [--total-scale 1]
    python -m benchmarks.provinces build [--root …] [--lakes one many] [--engines duckdb spark]

``land`` makes two lakes of the public-services portal (the largest source) up to 2026-10:
- ``one``: Khánh Hòa (56) alone at ``--total-scale`` (1 = the demo's SF1, ≈ 1 M dossiers a
  year), the one-province layout (``<lake>/dichvucong/ho_so/load_id=…``); hard-linked from
  ``--one-lake`` (a lake benchmarks.build landed, e.g. /work/bench/sf1/base/lake) when given;
- ``many``: the 34 provinces of the simulator's multi-province mode with the same total
  volume distributed by population (simulator/provinces.py: Khánh Hòa's scale is
  total-scale × its share of the population), each province pulled by the real connector
  into its part of the Hive layout (``dichvucong/ho_so/province=<code>/load_id=…``).
Each province at its full SF1 (54 × the volume) does not fit this machine: not measured.

``build`` times ``dbt build`` of the marts and what they are built from (``+tag:marts``,
models and seeds, the marts off on Spark excluded on both engines so both build the same
nodes) in a fresh process per engine and lake, in a fresh build folder: wall seconds, peak
RSS of the dbt process (on Spark its Python side only, not the JVM), the mart rows, and the load
average before and after (2 cores shared: read the wall time against it). One JSON line each.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.build import AS_OF_BASE, CLIENT_ID, LANDED_TO, emit, load_avg
from demo.environment import TELEMETRY_OFF
from ingest.common.settings import REPO_ROOT, SourceEndpoint, WarehousePaths

PROJECT = REPO_ROOT / "dbt_project"
DEMO = "56"
OFF_ON_SPARK = [
    "fct_indicator_forecast",
    "fct_indicator_forecast_skipped",
    "fct_indicator_backtest",
    "fct_indicator_alert",
    "rpt_indicator_alert",
    "rpt_source_data_until",
    "fct_period_state",
    "int_indicator_forecast_fits",
    "dq_check_result",
    "rpt_dq_dimension_status",
]
DBT = {
    "duckdb": REPO_ROOT / ".venv" / "bin" / "dbt",
    "spark": REPO_ROOT / "envs" / "spark" / ".venv" / "bin" / "dbt",
}
COMPARED = ("rpt_province_service_index_month", "rpt_province_ranking", "fct_dossier")


def start_simulator(tmp: Path, scale: float, secret: str, extra: list[str]) -> tuple:
    """``python -m simulator`` on a free port; 34 provinces' worlds take a while to set up."""
    ready = tmp / "simulator.ready"
    env = {**os.environ, "IOC_SIM_CLIENT_ID": CLIENT_ID, "IOC_SIM_CLIENT_SECRET": secret}
    cmd = [sys.executable, "-m", "simulator", "--port", "0", "--scale", str(scale)]
    proc = subprocess.Popen([*cmd, "--ready-file", str(ready), *extra], env=env)
    deadline = time.monotonic() + 1200
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("the simulator did not start")
        time.sleep(0.5)
    return proc, ready.read_text().strip()


def land_dossiers(base: str, secret: str, paths: WarehousePaths, key: str) -> int:
    """One portal's whole history through the dossier connector, promoted as validated."""
    from ingest import dichvucong
    from ingest.common import lifecycle
    from ingest.common.http import SourceClient
    from ingest.common.pseudonymise import Pseudonymiser

    endpoint = SourceEndpoint(base, CLIENT_ID, secret)
    with SourceClient(endpoint, timeout=600) as client:
        results = dichvucong.run(client, paths, Pseudonymiser.from_secret(key), LANDED_TO)
    for r in results:
        if lifecycle.status(paths.meta, r.to_dict()) == "landed":
            lifecycle.promote(paths, r.to_dict())
    return sum(r.rows_loaded for r in results)


def land(root: Path, lake: str, total_scale: float) -> dict:
    """``one``: Khánh Hòa alone at ``total_scale``; ``many``: the 34 provinces, one after
    another, the same total by population."""
    from simulator.provinces import population

    people = population()
    provinces = [DEMO] if lake == "one" else sorted(people)
    share = 1.0 if lake == "one" else people[DEMO] / sum(people.values())
    secret, key = secrets.token_hex(16), secrets.token_hex(16)
    rows, t0 = {}, time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ioc-bench-prov-") as tmp:
        extra = ["--sources", "dichvucong", "--as-of", AS_OF_BASE]
        extra += [] if lake == "one" else ["--provinces", "all"]
        proc, base = start_simulator(Path(tmp), total_scale * share, secret, extra)
        try:
            for code in provinces:
                if lake == "one":
                    paths, url = WarehousePaths(root / lake), f"{base}/dichvucong"
                else:
                    paths = WarehousePaths(root / lake).for_province(code)
                    url = f"{base}/{code}/dichvucong"
                rows[code] = land_dossiers(url, secret, paths, key)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    return {
        "step": "land",
        "lake": lake,
        "provinces": len(rows),
        "demo_scale": round(total_scale * share, 5),
        "rows": sum(rows.values()),
        "rows_by_province": rows,
        "seconds": round(time.perf_counter() - t0, 1),
        "load_avg_after": load_avg(),
    }


def build(root: Path, lake: str, engine: str) -> dict:
    """dbt build of the marts on ``engine`` over ``root/<lake>/lake``, in a fresh folder."""
    run = root / f"run-{lake}-{engine}"
    shutil.rmtree(run, ignore_errors=True)
    (run / "build").mkdir(parents=True)
    os.symlink(root / lake / "lake", run / "lake")
    env = {**os.environ, **TELEMETRY_OFF, "IOC_WAREHOUSE": str(run)}
    env |= {"DBT_TARGET_PATH": str(run / "target"), "DBT_LOG_PATH": str(run / "logs")}
    env.pop("IOC_LAKE", None)
    argv = [str(DBT[engine]), "build", "--select", "+tag:marts", "--exclude", *OFF_ON_SPARK]
    argv += ["--resource-type", "model", "--resource-type", "seed"]
    argv += ["--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT)]
    argv += ["--target", "spark"] if engine == "spark" else []
    before = load_avg()
    t0 = time.perf_counter()
    with (run / "dbt.out").open("wb") as sink:
        proc = subprocess.Popen(argv, cwd=run, env=env, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{engine} build of {lake} failed: see {run / 'dbt.out'}")
    results = json.loads((run / "target" / "run_results.json").read_text())
    top = sorted(results["results"], key=lambda r: -(r.get("execution_time") or 0))[:5]
    return {
        "step": "build",
        "lake": lake,
        "engine": engine,
        "wall_s": round(wall, 1),
        "dbt_exec_s": round(results.get("elapsed_time", 0.0), 1),
        "nodes": len(results["results"]),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "slowest": [[r["unique_id"].split(".")[-1], round(r["execution_time"], 1)] for r in top],
        "rows": mart_rows(run, engine),
        "load_avg_before": before,
        "load_avg_after": load_avg(),
    }


def mart_rows(run: Path, engine: str) -> dict[str, int]:
    import duckdb

    if engine == "duckdb":
        with duckdb.connect(str(run / "build" / "ioc.duckdb"), read_only=True) as con:
            return {
                m: con.execute(f"select count(*) from marts.{m}").fetchall()[0][0] for m in COMPARED
            }
    tables = run / "spark" / "tables" / "marts.db"
    return {
        m: duckdb.execute(
            f"select count(*) from read_parquet('{tables / m}/*.parquet')"
        ).fetchall()[0][0]
        for m in COMPARED
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.provinces", description=__doc__)
    p.add_argument("action", choices=["land", "build"])
    p.add_argument("--root", type=Path, default=Path("/work/bench/provinces"))
    p.add_argument("--total-scale", type=float, default=1.0)
    p.add_argument("--one-lake", type=Path, help="hard-link the one-province lake from here")
    p.add_argument("--lakes", nargs="+", default=["one", "many"], choices=["one", "many"])
    p.add_argument("--engines", nargs="+", default=["duckdb", "spark"], choices=list(DBT))
    args = p.parse_args(argv)
    root = args.root.resolve()
    if args.action == "land":
        for lake in args.lakes:
            shutil.rmtree(root / lake, ignore_errors=True)
            if lake == "one" and args.one_lake:
                (root / lake / "lake").mkdir(parents=True)
                for part in ("dichvucong", "_meta"):
                    target = root / lake / "lake" / part
                    subprocess.run(
                        ["cp", "-al", str(args.one_lake / part), str(target)], check=True
                    )
                emit({"step": "land", "lake": lake, "hard_linked_from": str(args.one_lake)})
            else:
                emit(land(root, lake, args.total_scale))
        return
    for lake in args.lakes:
        for engine in args.engines:
            emit(build(root, lake, engine))


if __name__ == "__main__":
    sys.exit(main())

"""dbt at scale: the whole marts build, a no-op rebuild and one more month, on a landed lake.

    python -m benchmarks.build --scale 1
    nice -n 10 python -m benchmarks.build --scale 10 --land-only   # land first, in the background
    python -m benchmarks.build --scale 10                           # then time dbt (lake reused)
    python -m benchmarks.build --scale 10 --month-only              # October again, same state

1. Lands the whole history of the five sources up to 2026-09 into ``<root>/base`` (default
   root ``/work/bench/sf<scale>``) with the real connectors' entry points
   (``ingest.<source>.run``, called as ``dags/tasks.py`` calls them; no Airflow, no Great
   Expectations: this measures dbt). The simulator runs in its own process at the given
   scale with its clock at 2026-10-01 (``--as-of``), so the file sources drop only what was
   published by then. A lake landed before is reused (``--reland`` lands it again).
2. Makes the working warehouse ``<root>/run`` anew: the base lake hard-linked (the lake
   writer only ever adds files and renames folders, so the base is never modified), its own
   build database and drop folder.
3. Times, each in a fresh process (what a refresh pays: Python, dbt's import, its parse),
   with dbt pointed at the warehouse the way the refresh points it (``IOC_WAREHOUSE``,
   ``dbt_project/profiles.yml``, ``refresh.dbt.run_dbt``):
   (a) ``full_refresh``: ``dbt build --full-refresh`` of every node;
   (b) ``noop``: ``dbt build`` with nothing new;
   (c) ``october``: the simulator's clock moved to 2026-11-01 (``POST /_sim/clock``: the month
       of October is published), October landed through the connectors (timed apart as
       ``land_october``), then ``dbt build``.
   Each step runs what the refresh runs (``refresh.dq_results.build_and_record``, then
   ``refresh.publish``, as dags/tasks.py): the build file prepared (``prepare_s``: the
   serving copy copied back, ``refresh.publish.prepare_build``), one parse of the project,
   the build (``dbt_s``: parse and build), its results recorded, the gate (a blocked build
   stops the benchmark) and ``dbt run --select dq_check_result+`` (``dq_s``: recording and
   the dq run), then the build file moved into place (``publish_s``); ``stages_s`` has each
   stage apart. In October the build file is prepared beside the landing, as the refresh
   DAGs run it (``land_october``'s ``prepare_s``; the step's own is then nothing), and a
   ``month`` line adds the landing and the step: the month end to end. The warehouse before
   October is kept in ``<root>/premonth``; ``--month-only`` starts from it and times (c) alone.
   ``IOC_DBT_KEEP_OPEN=False`` in the environment times dbt the way it ran before the build
   database was kept open (see profiles.yml).

Prints one JSON line per step (dbt's run_results.json of each build is kept beside it as
``<root>/run/<step>.run_results.json``): wall seconds (the process, and dbt's own
``elapsed_time`` of the node executions), peak RSS of the dbt process (``ru_maxrss`` from
``wait4``), CPU seconds, the nodes by status, the rows of the main marts, and the load
average before and after. Wall-clock figures depend on what else runs on the 2 cores: read
``load_avg``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx
import orjson

from benchmarks.connector import PeakRss, start_simulator
from demo.environment import TELEMETRY_OFF, load_secrets
from ingest.common.settings import REPO_ROOT, SourceEndpoint, WarehousePaths
from refresh.dq_results import REFRESH_BUILD
from refresh.publish import SERVED_SCHEMAS, prepare_build

PROJECT_DIR = REPO_ROOT / "dbt_project"

LANDED_TO = datetime(2026, 10, 1)  # the history: everything published before October 2026
NEXT_MONTH_END = datetime(2026, 11, 1)  # the simulator's end of data: October published
AS_OF_BASE = "2026-10-01T00:00:00+07:00"
AS_OF_NEXT = "2026-11-01T00:00:00+07:00"
SOURCES = ("reporting", "dichvucong", "ngansach", "dulich", "giaoduc")
MARKER = "landed.json"
PREMONTH = "premonth"  # the warehouse before October, kept for --month-only
PREMONTH_STATE = ("build", "serving", "drops")  # copied into it beside the lake
MAIN_TABLES = (
    "marts.fct_dossier",
    "marts.agg_public_service_month",
    "marts.fct_public_service_index",
    "marts.agg_public_service_index_month",
    "marts.fct_indicator_value",
    "marts.fct_indicator_alert",
    "marts.fct_report_submission",
    "dq.dq_check_result",
    "dq.load_ledger",
)
CLIENT_ID = "bench"


def load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def emit(line: dict) -> None:
    print(orjson.dumps(line).decode(), flush=True)


# --- landing -------------------------------------------------------------------------------


def land(base: str, secret: str, paths: WarehousePaths, drops: Path, until: datetime) -> dict:
    """Every source through its connector's ``run`` up to ``until``, as dags/tasks.py calls
    them; returns rows and seconds per source."""
    from ingest import dichvucong, dulich, giaoduc, ngansach, reporting
    from ingest.common import lifecycle
    from ingest.common.http import SourceClient
    from ingest.common.pseudonymise import Pseudonymiser

    key = load_secrets(paths.root)["pseudonymisation_key"]  # stable across runs: same hashes
    pseudonymiser = Pseudonymiser.from_secret(key)

    def client(source: str) -> SourceClient:
        # Generating a month of scale-10 dossiers on the first request takes a while.
        return SourceClient(SourceEndpoint(f"{base}/{source}", CLIENT_ID, secret), timeout=300)

    def api(source: str, run, *args) -> list:
        with client(source) as c:
            return run(c, *args, until)

    pulls = {
        "reporting": lambda: api("reporting", reporting.run, drops / "reporting", paths),
        "dichvucong": lambda: api("dichvucong", dichvucong.run, paths, pseudonymiser),
        "ngansach": lambda: ngansach.run(drops / "ngansach", paths, until),
        "dulich": lambda: api("dulich", dulich.run, paths),
        "giaoduc": lambda: api("giaoduc", giaoduc.run, paths),
    }
    out = {}
    for source in SOURCES:
        t0 = time.perf_counter()
        results = pulls[source]()
        secs = time.perf_counter() - t0
        for r in results:  # what validate_loads does when all pass (GE is not measured here)
            if lifecycle.status(paths.meta, r.to_dict()) == "landed":
                lifecycle.promote(paths, r.to_dict())
        rows = sum(r.rows_loaded for r in results)
        out[source] = {
            "loads": len(results),
            "rows": rows,
            "quarantined": sum(r.rows_quarantined for r in results),
            "seconds": round(secs, 1),
            "rows_per_s": round(rows / secs) if secs else None,
        }
    return out


def warm_dossier_month(base: str, secret: str) -> float:
    """The simulator generates a window's dossiers on its first request, work a real portal
    has done before anyone asks: October's is requested once, page size 1, and timed apart
    (as benchmarks.connector does), so that the landing measures the connectors."""
    from ingest.common.http import SourceClient
    from ingest.common.parse import to_source_time
    from ingest.dichvucong.settings import DOSSIERS_PATH

    params = {
        "cap_nhat_tu": to_source_time(datetime(2026, 10, 1)),
        "cap_nhat_den": to_source_time(NEXT_MONTH_END),
        "page": 1,
        "page_size": 1,
    }
    t0 = time.perf_counter()
    with SourceClient(SourceEndpoint(f"{base}/dichvucong", CLIENT_ID, secret), timeout=600) as c:
        c.get_json(DOSSIERS_PATH, params)
    return time.perf_counter() - t0


def set_clock(base: str, as_of: str) -> None:
    r = httpx.post(f"{base}/_sim/clock", json={"as_of": as_of}, timeout=600)
    r.raise_for_status()


def land_base(root: Path, scale: float, seed: int) -> dict:
    """The history up to 2026-09 into ``root/base``; writes the marker when complete."""
    base_wh = root / "base"
    shutil.rmtree(base_wh, ignore_errors=True)
    base_wh.mkdir(parents=True)
    paths = WarehousePaths(base_wh)
    drops = base_wh / "drops"
    secret = secrets.token_urlsafe(16)
    before = load_avg()
    with tempfile.TemporaryDirectory(prefix="ioc-bench-sim-") as tmp:
        sim, url = start_simulator(
            Path(tmp), scale, seed, secret, ["--drop-dir", str(drops), "--as-of", AS_OF_BASE]
        )
        try:
            t0 = time.perf_counter()
            with PeakRss() as rss:
                sources = land(url, secret, paths, drops, LANDED_TO)
            secs = time.perf_counter() - t0
        finally:
            sim.terminate()
            sim.wait(timeout=60)
    lake_bytes = sum(p.stat().st_size for p in paths.lake.rglob("*") if p.is_file())
    line = {
        "step": "land_history",
        "scale": scale,
        "until": LANDED_TO.isoformat(),
        "seconds": round(secs, 1),
        "rows": sum(s["rows"] for s in sources.values()),
        "sources": sources,
        "peak_rss_mb": round(rss.peak / 2**20),
        "lake_mb": round(lake_bytes / 1e6),
        "load_avg_before": before,
        "load_avg": load_avg(),
    }
    (base_wh / MARKER).write_text(json.dumps({"scale": scale, "seed": seed, **line}, indent=2))
    return line


def snapshot_project(dest: Path, project: str) -> dict:
    """A copy of the dbt project at ``dest``: ``worktree`` (dbt_project/ as it is now) or a
    git revision (read with ``git archive``; nothing in the repository changes; with the work
    tree's profiles.yml), so that edits made meanwhile do not change the project between the
    steps timed."""
    shutil.rmtree(dest, ignore_errors=True)
    git = ["git", "-C", str(REPO_ROOT)]
    if project == "worktree":
        shutil.copytree(
            PROJECT_DIR, dest, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages")
        )
        head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "dbt_project"], capture_output=True, text=True
        ).stdout.strip()
        return {"project": "worktree", "head": head.strip()[:12], "dirty": bool(dirty)}
    with tempfile.TemporaryDirectory(prefix="ioc-bench-git-") as tmp:
        archive = subprocess.run(
            [*git, "archive", "--format=tar", project, "dbt_project"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        shutil.move(Path(tmp) / "dbt_project", dest)
    # How dbt connects (profiles.yml) is the work tree's: the revision gives the project.
    shutil.copy2(PROJECT_DIR / "profiles.yml", dest / "profiles.yml")
    sha = subprocess.run([*git, "rev-parse", project], capture_output=True, text=True).stdout
    return {"project": project, "head": sha.strip()[:12], "profiles": "worktree"}


def fresh_run_warehouse(root: Path, project: str) -> tuple[WarehousePaths, dict]:
    """``root/run``: the base lake hard-linked, secrets copied, nothing built, and a snapshot
    of the dbt project."""
    copy_warehouse(root / "base", root / "run")
    return WarehousePaths(root / "run"), snapshot_project(root / "run" / "dbt_project", project)


def copy_warehouse(source: Path, dest: Path, state: tuple[str, ...] = ()) -> None:
    """``dest`` made anew from ``source``: the lake hard-linked (the lake writer only adds
    files and renames folders), the secrets and the ``state`` folders (DuckDB files, dbt's
    target, the drop folder) copied."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    subprocess.run(["cp", "-al", str(source / "lake"), str(dest / "lake")], check=True)
    for name in state:
        if (source / name).exists():
            shutil.copytree(source / name, dest / name, ignore=shutil.ignore_patterns("dbt_logs"))
    shutil.copy2(source / "secrets.json", dest / "secrets.json")


# --- dbt in a child process ----------------------------------------------------------------


def dbt_child(root: Path, project: Path, args: list[str], out: Path) -> None:
    """In the child: what the refresh runs (dags/tasks.py ``build_marts``, ``publish_marts``
    without the digest): ``refresh.dq_results.build_and_record`` with ``dbt <args>`` as the
    build, then ``refresh.publish``."""
    t0 = time.perf_counter()
    import refresh.dbt
    from refresh.dq_results import build_and_record
    from refresh.publish import publish

    refresh.dbt.PROJECT_DIR = project  # the snapshot: the same project for every step
    paths = WarehousePaths(root)
    t1 = time.perf_counter()
    prepare_build(paths)  # the build would do it first; timed apart here
    prepared = time.perf_counter()
    outcome = build_and_record(paths, build=args)
    t2 = time.perf_counter()
    # the build's (the dq run writes none): every node's time, kept
    results = root / "build" / "dbt_target" / "run_results.json"
    build = json.loads(results.read_text())
    shutil.copy2(results, out.with_suffix(".run_results.json"))
    stages = outcome.seconds
    build_mb = _mb(paths.build_db)
    publish(paths)
    t3 = time.perf_counter()
    out.write_text(
        json.dumps(
            {
                "import_s": round(t1 - t0, 2),
                "prepare_s": round(prepared - t1, 2),
                # dbt's parse and build, as before; then recording the results + the dq run
                "dbt_s": round(stages["parse"] + stages["build"], 2),
                "dq_s": round(stages["record"] + stages["dq"], 2),
                "publish_s": round(t3 - t2, 2),
                "stages_s": stages,
                # the build file before the step (moved away by the publish), work, served
                **{f"{n}_mb": _mb(getattr(paths, n)) for n in ("work_db", "serving_db")},
                "build_db_mb": build_mb,
                "keep_open": os.environ.get("IOC_DBT_KEEP_OPEN", "True"),
                "success": outcome.success,
                "nodes": len(outcome.nodes),
                "status": dict(Counter(n.status for n in outcome.nodes)),
                # dbt's own time executing the nodes (the rest of dbt_s: parse, compile set-up)
                "dbt_exec_s": round(build.get("elapsed_time", 0.0), 2),
                "slowest": _slowest(build),
            }
        )
    )


def _slowest(run_results: dict, n: int = 8) -> list:
    """The build's slowest nodes: [name, seconds]."""
    timed = [(r["unique_id"], r.get("execution_time") or 0.0) for r in run_results["results"]]
    timed.sort(key=lambda x: -x[1])
    return [
        [uid.split(".", 2)[-1] if uid.startswith("model.") else uid, round(t, 2)]
        for uid, t in timed[:n]
    ]


def run_dbt_phase(root: Path, step: str, args: list[str], scale: float) -> dict:
    env = {**os.environ, **TELEMETRY_OFF, "IOC_WAREHOUSE": str(root)}
    env.pop("IOC_LAKE", None)
    out = root / f"{step}.json"
    log = root / f"{step}.dbt.log"
    cmd = [sys.executable, "-m", "benchmarks.build", "--_child", str(root)]
    cmd += [str(root / "dbt_project"), str(out), "--", *args]
    before = load_avg()
    t0 = time.perf_counter()
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, env=env, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed ({proc.returncode}): see {log}")
    child = json.loads(out.read_text())
    return {
        "step": step,
        "scale": scale,
        "command": "dbt " + " ".join(args),
        "wall_s": round(wall, 2),
        **child,
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "rows": count_rows(WarehousePaths(root)),
        "load_avg_before": before,
        "load_avg": load_avg(),
    }


def _mb(path: Path) -> float | None:
    return round(path.stat().st_size / 2**20, 1) if path.exists() else None


def count_rows(paths: WarehousePaths) -> dict[str, int | None]:
    import duckdb

    out: dict[str, int | None] = {}
    with duckdb.connect(str(paths.serving_db), read_only=True) as con:  # what was published
        con.execute(f"ATTACH '{paths.work_db}' AS work (READ_ONLY)")  # and what it came from
        for name in MAIN_TABLES:
            served = name.split(".")[0] in SERVED_SCHEMAS
            try:
                out[name] = con.execute(
                    f"SELECT count(*) FROM {'' if served else 'work.'}{name}"
                ).fetchone()[0]
            except duckdb.Error:
                out[name] = None
    return out


# --- the benchmark -------------------------------------------------------------------------


def bench(args: argparse.Namespace) -> None:
    scale = args.scale
    root = Path(args.root or f"/work/bench/sf{scale:g}").resolve()
    marker = root / "base" / MARKER
    if args.reland or not marker.exists():
        emit(land_base(root, scale, args.seed))
    else:
        landed = json.loads(marker.read_text())
        if landed["scale"] != scale or landed["seed"] != args.seed:
            raise SystemExit(f"{root} holds scale {landed['scale']} seed {landed['seed']}")
        emit({"step": "land_history", "reused": str(root / "base"), "rows": landed["rows"]})
    if args.land_only:
        return
    if args.month_only:
        paths, project = restored_premonth(root, args.project)
        emit({"step": "project", "scale": scale, **project, "bytecode": _bytecode()})
    else:
        paths, project = fresh_run_warehouse(root, args.project)
        emit({"step": "project", "scale": scale, **project, "bytecode": _bytecode()})
        emit(run_dbt_phase(paths.root, "full_refresh", [*REFRESH_BUILD, "--full-refresh"], scale))
        emit(run_dbt_phase(paths.root, "noop", list(REFRESH_BUILD), scale))
        copy_warehouse(paths.root, root / PREMONTH, PREMONTH_STATE)  # for --month-only
    month(paths, scale, args.seed)


def month(paths: WarehousePaths, scale: float, seed: int) -> None:
    """October landed (the build file prepared beside it) and built: the month end to end."""
    # October: the simulator with its clock at 2026-10-01, moved to 2026-11-01, then landed.
    secret = secrets.token_urlsafe(16)
    drops = paths.root / "drops"
    with tempfile.TemporaryDirectory(prefix="ioc-bench-sim-") as tmp:
        sim, url = start_simulator(
            Path(tmp), scale, seed, secret, ["--drop-dir", str(drops), "--as-of", AS_OF_BASE]
        )
        try:
            set_clock(url, AS_OF_NEXT)
            warm = warm_dossier_month(url, secret)
            before = load_avg()
            t0 = time.perf_counter()
            with ThreadPoolExecutor(1) as beside:  # as the refresh DAGs run it
                prepared = beside.submit(_timed, prepare_build, paths)
                sources = land(url, secret, paths, drops, NEXT_MONTH_END)
                secs = time.perf_counter() - t0
                prepare_s = prepared.result()
        finally:
            sim.terminate()
            sim.wait(timeout=60)
    emit(
        {
            "step": "land_october",
            "scale": scale,
            "seconds": round(secs, 1),
            "prepare_s": prepare_s,  # the build file prepared meanwhile
            "warm_first_request_s": round(warm, 1),
            "rows": sum(s["rows"] for s in sources.values()),
            "sources": sources,
            "load_avg_before": before,
            "load_avg": load_avg(),
        }
    )
    october = run_dbt_phase(paths.root, "october", list(REFRESH_BUILD), scale)
    emit(october)
    emit(
        {
            "step": "month",
            "land_s": round(secs, 1),
            "prepare_beside_landing_s": prepare_s,
            "build_publish_s": october["wall_s"],
            "end_to_end_s": round(max(secs, prepare_s) + october["wall_s"], 1),
        }
    )
    emit({"step": "done", "ru_maxrss_mb": _maxrss_mb()})


def restored_premonth(root: Path, project: str) -> tuple[WarehousePaths, dict]:
    """``root/run`` made again from ``root/premonth`` (a full run saved it there with
    ``copy_warehouse``), with a new snapshot of the dbt project: the month again on the same
    warehouse. Only the tests and the Python may differ from the project that built it; a
    changed model needs a full run."""
    keep = root / PREMONTH
    if not (keep / "serving").is_dir():
        raise SystemExit(f"{keep} is missing: run the benchmark once without --month-only")
    copy_warehouse(keep, root / "run", PREMONTH_STATE)
    return WarehousePaths(root / "run"), snapshot_project(root / "run" / "dbt_project", project)


def _timed(work, *args) -> float:
    t0 = time.perf_counter()
    work(*args)
    return round(time.perf_counter() - t0, 2)


def _bytecode() -> bool:
    """Whether the environment holds compiled ``.pyc`` (``bin/ioc`` syncs it with
    ``--compile-bytecode``). Without them, under ``PYTHONDONTWRITEBYTECODE``, every step's
    process compiles dbt, pyarrow and the rest from source: ~3 s more CPU per step."""
    import importlib.util

    cached = Path(importlib.util.find_spec("dbt.cli").origin).parent / "__pycache__"
    found = cached.is_dir() and any(cached.glob("*.pyc"))
    if not found:
        print("warning: no .pyc in the environment (uv sync --compile-bytecode)", file=sys.stderr)
    return found


def _maxrss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_child"]:
        root, project, out, _sep, *dbt_args = argv[1:]
        dbt_child(Path(root), Path(project), dbt_args, Path(out))
        return
    p = argparse.ArgumentParser(prog="python -m benchmarks.build", description=__doc__)
    p.add_argument("--scale", type=float, default=10.0)
    p.add_argument("--seed", type=int, default=56)
    p.add_argument("--root", help="benchmark folder (default /work/bench/sf<scale>)")
    p.add_argument("--reland", action="store_true", help="land the history again")
    p.add_argument("--land-only", action="store_true", help="land (or reuse) and stop")
    p.add_argument(
        "--month-only",
        action="store_true",
        help=f"only October, on the warehouse a full run saved before it (<root>/{PREMONTH})",
    )
    p.add_argument(
        "--project",
        default="worktree",
        help="the dbt project to time: worktree (a copy of dbt_project/ as it is now, the "
        "default) or a git revision such as HEAD (read with git archive)",
    )
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    bench(args)


if __name__ == "__main__":
    main()

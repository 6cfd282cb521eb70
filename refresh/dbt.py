"""Run dbt in-process (start-up paid once per refresh, not once per model)."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.common.settings import REPO_ROOT, WarehousePaths
from refresh.build_database import retire_single_file
from refresh.dbt_events import only_logged_events
from refresh.dbt_log import write_only_logged_lines
from refresh.dbt_macros import lazy_macros
from refresh.dbt_order import longest_path_first, previous_seconds
from refresh.publish import prepare_build

if TYPE_CHECKING:
    from dbt.contracts.graph.manifest import Manifest

PROJECT_DIR = REPO_ROOT / "dbt_project"
KEEP_OPEN = "IOC_DBT_KEEP_OPEN"  # read by profiles.yml
# dbt.log (build/dbt_logs) at info level: each node's start and result, every error and
# failing test with its message, the summary. At debug level dbt wrote ~20 lines a node
# (every statement, BEGIN/ROLLBACK, connection hand-overs; 8 MB a build at SF10), each
# formatted, size-checked for rotation and flushed under the handler's lock that both
# threads share (refresh/dbt_log.py: nor are the dropped lines formatted any more). The SQL
# a node ran stays in run_results.json (compiled_code) and dbt_target/compiled, /run.
LOG_FILE = ["--log-level-file", "info"]


@dataclass(frozen=True)
class NodeOutcome:
    unique_id: str
    resource_type: str
    status: str  # success | error | fail | warn | pass | skipped
    failures: int
    message: str
    # What a test checks (empty for other nodes): kind, the node it is attached to, its
    # column, severity and an optional ``meta: {dimension: ...}`` (refresh/dq_results.py).
    name: str = ""
    test_type: str = ""
    attached_to: str = ""
    column: str = ""
    severity: str = ""
    dimension: str = ""


@dataclass(frozen=True)
class BuildOutcome:
    success: bool
    nodes: list[NodeOutcome]
    invocation_id: str = ""
    # the seconds of each stage that made it (refresh.dq_results.build_and_record)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def blocking(self) -> list[NodeOutcome]:
        """Errors and error-severity test failures: they stop the publish."""
        return [n for n in self.nodes if n.status in ("error", "fail")]

    @property
    def warnings(self) -> list[NodeOutcome]:
        return [n for n in self.nodes if n.status == "warn"]


class BuildFailed(RuntimeError):
    """dbt reported errors or failing error-severity tests: nothing is published."""


def dbt_env(paths: WarehousePaths) -> dict[str, str]:
    return {
        "IOC_WAREHOUSE": str(paths.root),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }


def parse_dbt(args: list[str], paths: WarehousePaths) -> Manifest:
    """``dbt parse <args>`` (the same ``--vars`` as the invocations to follow): the manifest
    the refresh's invocations share, so the project is read once per refresh, not once per
    invocation (``run_dbt(..., manifest)``). Debug events are neither built nor sent
    (refresh/dbt_events.py), macros wrapped when looked up (refresh/dbt_macros.py)."""
    from dbt.cli.main import dbtRunner  # heavy: imported when a refresh runs, not at parse

    os.environ.update(dbt_env(paths))
    write_only_logged_lines()
    # --no-write-json: the build writes manifest.json (dashboards/dbt_docs.py) when it ends
    argv = ["parse", "--no-write-json", *args, *LOG_FILE, *_locations(paths)]
    with lazy_macros(), only_logged_events():
        result = dbtRunner().invoke(argv)
    if result.exception is not None or not result.success:
        raise BuildFailed(f"dbt parse could not run: {result.exception}")
    return result.result


def run_dbt(
    args: list[str], paths: WarehousePaths, manifest: Manifest | None = None
) -> BuildOutcome:
    """``dbt <args>`` against the private build database; never raises on test failures.
    With ``manifest`` (``parse_dbt``) dbt does not read the project again. Its threads take
    the longest chain first, weighed by the previous build's times (refresh/dbt_order.py); a
    node's macros are wrapped when it looks them up (refresh/dbt_macros.py), debug events
    neither built nor sent (refresh/dbt_events.py)."""
    from dbt.cli.main import dbtRunner  # heavy: imported when a refresh runs, not at parse

    os.environ.update(dbt_env(paths))
    write_only_logged_lines()
    paths.build_db.parent.mkdir(parents=True, exist_ok=True)
    retire_single_file(paths)
    prepare_build(paths)  # the served file copied back after a publish (a no-op otherwise)
    # One open of the build database per invocation instead of one per node (profiles.yml),
    # for this invocation only; closed below when dbt returns. Set to False beforehand to
    # run dbt the old way (benchmarks/).
    keep_open = os.environ.get(KEEP_OPEN)
    os.environ[KEEP_OPEN] = keep_open or "True"
    try:
        with (
            longest_path_first(previous_seconds(_target(paths))),
            lazy_macros(),
            only_logged_events(),
        ):
            result = dbtRunner(manifest=manifest).invoke([*args, *LOG_FILE, *_locations(paths)])
    finally:
        _close_build_database()
        if keep_open is None:
            del os.environ[KEEP_OPEN]
    if result.exception is not None:
        raise BuildFailed(f"dbt {' '.join(args)} could not run: {result.exception}")
    nodes = [_outcome(r) for r in (result.result or []) if hasattr(r, "node")]
    return BuildOutcome(bool(result.success), nodes, _invocation_id())


def release_dbt() -> None:
    """Free what dbt keeps in this process after its invocations: the adapters, and with
    them (and a manifest no longer referenced) the process-shared locks dbt makes. A task
    process that ends without running finalizers (Airflow's ``os._exit``) otherwise leaves
    them to multiprocessing's resource tracker, which logs "leaked semaphore objects" as an
    error line in every build task's log."""
    from dbt.adapters.factory import reset_adapters

    reset_adapters()
    gc.collect()


def _target(paths: WarehousePaths) -> Path:
    return paths.root / "build" / "dbt_target"


def _locations(paths: WarehousePaths) -> list[str]:
    return [
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(_target(paths)),
        "--log-path",
        str(paths.root / "build" / "dbt_logs"),
    ]


def _close_build_database() -> None:
    """Close the database dbt-duckdb kept open (``keep_open``) in this process, so that what
    follows here (recording results, the publish, the next dbt run) can open the file."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager

    with manager._LOCK:
        env, manager._ENV = manager._ENV, None
    if env is not None:
        env.close()


def _outcome(r) -> NodeOutcome:
    node = r.node
    test = getattr(node, "test_metadata", None)
    depends = list(getattr(getattr(node, "depends_on", None), "nodes", None) or [])
    config = getattr(node, "config", None)
    is_test = str(node.resource_type) in ("test", "unit_test")
    attached = (
        getattr(node, "attached_node", None)
        or getattr(node, "tested_node_unique_id", None)
        or (depends[0] if depends else "")
    )
    return NodeOutcome(
        node.unique_id,
        str(node.resource_type),
        str(r.status),
        int(r.failures or 0),
        (r.message or "")[:1000],
        name=node.name,
        test_type=test.name if test is not None else "",
        attached_to=attached if is_test else node.unique_id,
        column=getattr(node, "column_name", None) or "",
        severity=str(getattr(config, "severity", "") or "").lower(),
        dimension=str((getattr(config, "meta", None) or {}).get("dimension", "")),
    )


def _invocation_id() -> str:
    from dbt_common.invocation import get_invocation_id

    return get_invocation_id()


def raise_if_blocking(outcome: BuildOutcome, what: str) -> None:
    if outcome.blocking:
        lines = "\n".join(
            f"  - {n.unique_id}: {n.status} ({n.failures}) {n.message[:200]}"
            for n in outcome.blocking
        )
        raise BuildFailed(f"{what} blocked the publish:\n{lines}")

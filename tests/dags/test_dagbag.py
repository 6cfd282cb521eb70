"""The DAG folder parses cleanly, quickly, and without touching any connection."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from ingest.common.settings import REPO_ROOT

EXPECTED = {
    "ingest_reporting",
    "ingest_dichvucong",
    "ingest_ngansach",
    "ingest_dulich",
    "ingest_giaoduc",
    "refresh_marts",
    "close_month",
    "close_quarter",
    "close_half_year",
    "close_nine_months",
    "close_year",
    "refresh_daily",
    "ingest_provinces",
}


def test_dagbag_parses_without_errors_or_connections(tmp_path) -> None:
    # A fresh Airflow home and no AIRFLOW_CONN_*/AIRFLOW_VAR_* at all: a DAG that fetched a
    # connection or variable at parse time would fail to import here.
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW_CONN_", "AIRFLOW_VAR_"))
    }
    env |= {"AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    script = textwrap.dedent(
        f"""
        import json
        from airflow.dag_processing.dagbag import DagBag
        bag = DagBag(dag_folder={str(REPO_ROOT / "dags")!r})
        print(json.dumps({{
            "errors": {{k: str(v) for k, v in bag.import_errors.items()}},
            "dags": sorted(bag.dag_ids),
            "seconds": max(s.duration.total_seconds() if hasattr(s.duration, "total_seconds")
                           else float(s.duration) for s in bag.dagbag_stats),
            "tags": {{d: sorted(bag.dags[d].tags) for d in bag.dag_ids}},
            "files": {{d: bag.dags[d].fileloc for d in bag.dag_ids}},
        }}))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    import json

    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["errors"] == {}
    assert set(report["dags"]) >= EXPECTED
    assert report["seconds"] < 1, f"a DAG file took {report['seconds']:.1f}s to parse"
    assert all(report["tags"][d] for d in report["dags"]), "every DAG states its tags"
    # Airflow re-parses a DAG's own file to run its tasks: built by a shared factory, each
    # ingestion DAG must still point at the file that defines it.
    for dag_id, fileloc in report["files"].items():
        assert os.path.basename(fileloc) == f"{dag_id}.py"


def test_the_build_file_is_prepared_beside_the_pulls() -> None:
    """Every DAG that pulls and then builds copies the served file back to the build file
    (refresh.publish.prepare_build) while its sources are pulled: the task waits for
    nothing, nothing but the build waits for it, and the build waits for it."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(REPO_ROOT / "dags"))
    building = {
        dag_id: dag
        for dag_id, dag in bag.dags.items()
        if "pull" in dag.task_dict and "build_and_publish" in dag.task_dict
    }
    closes = {f"close_{p}" for p in ("month", "quarter", "half_year", "nine_months", "year")}
    assert set(building) == closes | {"refresh_daily", "load_history"}
    for dag_id, dag in building.items():
        prepare = dag.task_dict["prepare_build"]
        assert prepare.upstream_task_ids == set(), dag_id
        assert prepare.downstream_task_ids == {"build_and_publish"}, dag_id
        assert "prepare_build" in dag.task_dict["build_and_publish"].upstream_task_ids
        # the pulls and what follows them up to the build neither wait for it nor it for them
        landing = dag.task_dict["pull"].get_flat_relative_ids(upstream=False)
        assert "prepare_build" not in landing and "build_and_publish" in landing, dag_id


def test_the_digest_is_written_after_the_publish_in_a_task_of_its_own() -> None:
    """Every DAG that publishes writes the leaders' digest in a task after the publish and
    nothing waits for it: a digest that fails (Chromium) is retried alone, never the build
    and the publish, which have served the new figures already."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(REPO_ROOT / "dags"))
    publishing = {i: d for i, d in bag.dags.items() if "build_and_publish" in d.task_dict}
    closes = {f"close_{p}" for p in ("month", "quarter", "half_year", "nine_months", "year")}
    assert set(publishing) == closes | {"refresh_daily", "load_history", "refresh_marts"}
    for dag_id, dag in publishing.items():
        assert dag.task_dict["build_and_publish"].downstream_task_ids == {"write_digest"}
        digest = dag.task_dict["write_digest"]
        assert digest.upstream_task_ids == {"build_and_publish"}, dag_id
        assert digest.downstream_task_ids == set(), dag_id


def test_a_failed_or_skipped_pull_stops_the_build() -> None:
    """``validate`` runs whatever the pulls' outcome (trigger rule all_done), so it cannot be
    the build's only link to them: in every DAG that pulls and builds, the build waits for the
    pulls directly or through a task that needs them all to have succeeded (a daily refresh
    once built and published after a failed pull, and with no source chosen)."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(REPO_ROOT / "dags"))
    building = [d for d in bag.dags.values() if {"pull", "build_and_publish"} <= set(d.task_dict)]
    assert len(building) == 7
    for dag in building:
        assert dag.task_dict["validate"].trigger_rule == "all_done", dag.dag_id
        gates = {
            task_id
            for task_id in dag.task_dict["build_and_publish"].upstream_task_ids
            if task_id == "pull"
            or (
                "pull" in dag.task_dict[task_id].upstream_task_ids
                and dag.task_dict[task_id].trigger_rule == "all_success"
            )
        }
        assert gates, dag.dag_id

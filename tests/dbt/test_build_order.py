"""dbt's threads take the longest weighted chain first (refresh/dbt_order.py)."""

from __future__ import annotations

import inspect
import json
import threading
from datetime import datetime
from pathlib import Path

import networkx as nx
import pytest
from dbt.graph.queue import GraphQueue
from dbt.graph.thread_pool import DbtThreadPool
from dbt.task.runnable import GraphRunnableTask

from ingest.common.settings import WarehousePaths
from refresh.dbt import run_dbt
from refresh.dbt_order import (
    _take_when_free,
    longest_path_first,
    longest_path_scores,
    previous_seconds,
)
from refresh.dq_results import REFRESH_BUILD
from tests.dbt.dbt_harness import warehouse
from tests.dbt.dbt_lake import write_initial_lake

# a chain a→b→c→d of 1 s each, cheap loose nodes e, f, g, and h (cheap) before i (5 s)
SECONDS = {"a": 1, "b": 1, "c": 1, "d": 1, "e": 0.1, "f": 0.1, "g": 0.1, "h": 0.1, "i": 5}


def small_graph() -> nx.DiGraph:
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("h", "i")])
    graph.add_nodes_from("efg")
    return graph


def test_a_score_is_minus_the_longest_weighted_path_from_the_node() -> None:
    assert longest_path_scores(small_graph(), SECONDS) == pytest.approx(
        {"a": -4, "b": -3, "c": -2, "d": -1, "e": -0.1, "f": -0.1, "g": -0.1, "h": -5.1, "i": -5}
    )
    # a node the previous build did not run weighs the mean of those it ran (8.4 s / 8)
    known = {k: v for k, v in SECONDS.items() if k != "a"}
    assert longest_path_scores(small_graph(), known)["a"] == pytest.approx(-(3 + 8.4 / 8))
    # no previous build: every node weighs 1, the longest chain is the one of most nodes
    assert longest_path_scores(small_graph(), {})["a"] == -4
    assert longest_path_scores(small_graph(), {})["h"] == -2


def parameters(method) -> list[str]:
    return list(inspect.signature(method).parameters)


def test_dbts_queue_hands_out_by_these_scores_only_inside() -> None:
    # The methods replaced (tests fail here when a dbt upgrade renames or reshapes them).
    assert parameters(GraphQueue.__dict__["_get_scores"]) == ["self", "graph"]
    assert parameters(GraphRunnableTask.__dict__["run_queue"]) == ["self", "pool"]
    pool = DbtThreadPool(2)
    assert pool.max_threads == 2
    pool.close()

    def order() -> list[str]:
        queue = GraphQueue(small_graph(), manifest=None, selected=set(small_graph()))
        return [queue.inner.get()[1] for _ in range(queue.inner.qsize())]

    assert order() == ["a", "e", "f", "g", "h"]  # dbt's: depth 0, then by name
    with longest_path_first(SECONDS):
        assert order() == ["h", "a", "e", "f", "g"]
    assert order() == ["a", "e", "f", "g", "h"]  # restored


def test_a_node_is_taken_off_the_queue_only_when_a_thread_is_about_to_be_free() -> None:
    with longest_path_first(SECONDS):
        queue = GraphQueue(small_graph(), manifest=None, selected=set(small_graph()))
    queue.manifest = type("Manifest", (), {"expect": lambda self, uid: uid})()
    _take_when_free(queue, threads=1)
    assert [queue.get(), queue.get()] == ["h", "a"]  # one running, one waiting for the thread
    third = threading.Thread(target=queue.get)
    third.start()
    third.join(0.5)
    assert third.is_alive()  # not e, f or g: the next waits until a node is done
    queue.mark_done("h")
    third.join(5)
    assert not third.is_alive() and queue.in_progress == {"a", "i"}  # i, ready since h is done


def test_previous_seconds_are_the_run_results_of_nodes_that_ran(tmp_path: Path) -> None:
    assert previous_seconds(tmp_path) == {}
    results = [
        {"unique_id": "model.ioc.x", "status": "success", "execution_time": 2.5},
        {"unique_id": "test.ioc.y", "status": "pass", "execution_time": 0.25},
        {"unique_id": "model.ioc.z", "status": "skipped", "execution_time": 0.0},
    ]
    (tmp_path / "run_results.json").write_text(json.dumps({"results": results}))
    assert previous_seconds(tmp_path) == {"model.ioc.x": 2.5, "test.ioc.y": 0.25}


def started(result: dict) -> datetime:
    return min(datetime.fromisoformat(t["started_at"]) for t in result["timing"])


def test_the_head_of_the_slowest_chain_starts_before_the_cheap_first_generation(
    tmp_path: Path,
) -> None:
    """fct_dossier took a minute in the previous build: the next one starts it as soon as its
    parents (and their tests) are done, ahead of the other nodes without parents, which all
    go first in dbt's own order (by depth: they are depth 0, fct_dossier is not)."""
    with warehouse(tmp_path) as wh:
        write_initial_lake(wh.lake)
        paths = WarehousePaths(wh.root)
        target = wh.root / "build" / "dbt_target"
        assert run_dbt(list(REFRESH_BUILD), paths).success
        previous = json.loads((target / "run_results.json").read_text())
        for result in previous["results"]:
            if result["unique_id"] == "model.ioc.fct_dossier":
                result["execution_time"] = 60.0
        (target / "run_results.json").write_text(json.dumps(previous))

        assert run_dbt(list(REFRESH_BUILD), paths).success
        ran = {
            r["unique_id"]: started(r)
            for r in json.loads((target / "run_results.json").read_text())["results"]
            if r["timing"]
        }
        manifest = json.loads((target / "manifest.json").read_text())
    nodes = {**manifest["nodes"], **manifest.get("exposures", {})}
    parents = {n: set(nodes[n].get("depends_on", {}).get("nodes", [])) & ran.keys() for n in ran}
    ancestors, todo = set(), ["model.ioc.fct_dossier"]
    while todo:
        for parent in parents[todo.pop()] - ancestors:
            ancestors.add(parent)
            todo.append(parent)
    first_generation = {n for n, p in parents.items() if not p} - ancestors
    assert parents["model.ioc.fct_dossier"] and len(first_generation) >= 8
    head = ran["model.ioc.fct_dossier"]
    later = [n for n in first_generation if ran[n] > head]
    assert len(later) >= 0.75 * len(first_generation), (head, sorted(first_generation - set(later)))

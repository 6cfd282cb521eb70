"""dbt hands its threads the ready node with the longest remaining path first.

dbt (1.11) runs nodes about in the order of their depth in the graph: its loop
(``dbt.task.runnable.GraphRunnableTask.run_queue``) hands every node that becomes ready to its
thread pool at once, and the pool runs them first in, first out (the queue's scores,
``dbt.graph.queue.GraphQueue._get_scores``: the depth, only order nodes ready together). So
hundreds of cheap shallow tests go before the node at the head of the longest chain: in an
SF10 month ``fct_dossier`` could start at 1.6 s and started at 11.4 s, and one thread idled at
the end waiting for its chain. Here a node's score is minus its longest path to the end of the
graph, each node weighted by its seconds in the previous build of this warehouse (its
``run_results.json``; the mean of those for a node it did not run, 1 for each node when there
is none), and dbt's loop takes a node off its queue only when a thread is about to be free,
so the chain that decides how long a build takes starts as soon as it can. dbt's queue still
hands out a node only when all it depends on is done: what is built is the same.

dbt has no setting for this: ``longest_path_first`` replaces the two methods for one
invocation. Should dbt drop them, its own order stays (tests/dbt/test_build_order.py then
fails, so an upgrade is noticed).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

import networkx as nx


def previous_seconds(target: Path) -> dict[str, float]:
    """Each node's execution seconds in the run whose results are in ``target`` ({} if none;
    nodes it skipped are left out)."""
    try:
        results = json.loads((target / "run_results.json").read_text())["results"]
        return {
            r["unique_id"]: float(r["execution_time"])
            for r in results
            if r.get("status") != "skipped"
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def longest_path_scores(graph: nx.DiGraph, seconds: Mapping[str, float]) -> dict[str, float]:
    """Minus each node's longest weighted path to a node without successors (itself
    included): lower scores go first in dbt's queue."""
    default = statistics.fmean(seconds.values()) if seconds else 1.0
    remaining: dict[str, float] = {}
    for node in reversed(list(nx.topological_sort(graph))):
        after = max((remaining[c] for c in graph.successors(node)), default=0.0)
        remaining[node] = seconds.get(node, default) + after
    return {node: -path for node, path in remaining.items()}


@contextmanager
def longest_path_first(seconds: Mapping[str, float]) -> Iterator[None]:
    """dbt invoked inside orders its ready nodes by ``longest_path_scores`` and takes one off
    its queue only when a thread is (about to be) free: dbt's own loop hands every ready node
    to its thread pool at once, whose first-in-first-out queue, not the scores, then decides
    (nodes in the order they became ready, about the order of their depth)."""
    from dbt.graph.queue import GraphQueue
    from dbt.task.runnable import GraphRunnableTask

    get_scores = GraphQueue.__dict__.get("_get_scores")
    run_queue = GraphRunnableTask.__dict__.get("run_queue")
    if get_scores is None or run_queue is None:  # dbt changed: its own order
        yield
        return

    def run_queue_when_free(task: GraphRunnableTask, pool) -> None:
        with suppress(AttributeError):  # dbt changed: its own order
            _take_when_free(task.job_queue, pool.max_threads)
        run_queue(task, pool)

    GraphQueue._get_scores = lambda self, graph: longest_path_scores(graph, seconds)
    GraphRunnableTask.run_queue = run_queue_when_free
    try:
        yield
    finally:
        GraphQueue._get_scores = get_scores
        GraphRunnableTask.run_queue = run_queue


def _take_when_free(queue, threads: int) -> None:
    """``queue.get`` waits while every thread is busy and one more node waits for one (so
    a thread finishing finds its next node without waiting for dbt's loop)."""
    get, done = queue.get, queue.some_task_done  # a Condition on the queue's lock

    def get_when_free(*args, **kwargs):
        with done:
            while len(queue.in_progress) > threads:
                done.wait()
        return get(*args, **kwargs)

    queue.get = get_when_free

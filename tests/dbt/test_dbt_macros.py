"""refresh/dbt_macros.py: dbt wraps a node's macros when looked up; it renders, runs and logs
the same."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dbt.clients.jinja import MacroGenerator
from dbt.compilation import Compiler
from dbt.context.base import Var
from dbt.context.macros import MacroNamespaceBuilder
from dbt.context.manifest import ManifestContext
from dbt.contracts.graph.nodes import Macro
from dbt.include.global_project import PROJECT_NAME
from dbt_common.clients.jinja import MacroFuzzTemplate, NativeSandboxTemplate

from refresh.dbt_events import only_logged_events
from refresh.dbt_macros import lazy_macros
from tests.dbt.dbt_harness import Warehouse, warehouse
from tests.dbt.dbt_lake import write_initial_lake


def parameters(method) -> list[str]:
    return list(inspect.signature(method).parameters)


def test_the_methods_replaced_are_dbts_and_are_restored() -> None:
    # (fails here when a dbt upgrade renames or reshapes them)
    build_namespace = MacroNamespaceBuilder.__dict__["build_namespace"]
    to_dict = ManifestContext.__dict__["to_dict"]
    assert parameters(build_namespace) == ["self", "macros_by_package", "ctx"]
    assert parameters(to_dict) == ["self"]
    assert parameters(MacroNamespaceBuilder.__init__) == [
        "self",
        "root_package",
        "search_package",
        "thread_ctx",
        "internal_packages",
        "node",
    ]
    builder = MacroNamespaceBuilder("ioc", "ioc", None, ["dbt_duckdb", "dbt"], None)
    assert builder.internal_package_names_order == ["dbt_duckdb", "dbt"]
    assert (builder.root_package, builder.search_package, builder.node) == ("ioc", "ioc", None)
    assert hasattr(builder, "thread_ctx")
    assert Var({}, {})._context == {}
    assert "new_context" not in NativeSandboxTemplate.__dict__  # Jinja's: it copies
    assert parameters(MacroFuzzTemplate.__dict__["new_context"]) == [
        "self",
        "vars",
        "shared",
        "locals",
    ]
    with lazy_macros():
        assert MacroNamespaceBuilder.build_namespace is not build_namespace
        assert ManifestContext.to_dict is not to_dict
        assert "new_context" in NativeSandboxTemplate.__dict__
    assert MacroNamespaceBuilder.__dict__["build_namespace"] is build_namespace
    assert ManifestContext.__dict__["to_dict"] is to_dict
    assert "new_context" not in NativeSandboxTemplate.__dict__


def macro(name: str, package: str) -> Macro:
    return Macro(
        name=name,
        resource_type="macro",
        package_name=package,
        path=f"macros/{name}.sql",
        original_file_path=f"macros/{name}.sql",
        unique_id=f"macro.{package}.{name}",
        macro_sql=f"{{% macro {name}() %}}{package}{{% endmacro %}}",
    )


def test_names_resolve_to_the_macros_dbt_would_wrap() -> None:
    by_package = {
        "ioc": {"m": macro("m", "ioc"), "shared": macro("shared", "ioc")},
        "pkg": {"m": macro("m", "pkg"), "p": macro("p", "pkg")},
        "dbt_duckdb": {"a": macro("a", "dbt_duckdb")},
        "dbt": {"a": macro("a", "dbt"), "shared": macro("shared", "dbt"), "d": macro("d", "dbt")},
    }

    def namespace(search: str) -> dict:
        builder = MacroNamespaceBuilder("ioc", search, None, ["dbt_duckdb", "dbt"], None)
        ns = builder.build_namespace(by_package, {})
        resolved = {}
        for name in ["m", "p", "a", "d", "shared", "ioc", "pkg", PROJECT_NAME]:
            value = ns.get(name)
            if value is None or isinstance(value, MacroGenerator):
                resolved[name] = value and value.macro.unique_id
            else:  # a package
                resolved[name] = {k: value[k].macro.unique_id for k in value}
        resolved["from dbt"] = ns.get_from_package(PROJECT_NAME, "a").macro.unique_id
        resolved["from pkg"] = ns.get_from_package("pkg", "m").macro.unique_id
        return resolved

    for search in ("ioc", "pkg"):
        eager = namespace(search)
        with lazy_macros():
            assert namespace(search) == eager
        assert eager["a"] == "macro.dbt_duckdb.a"  # the adapter's first
        assert eager["shared"] == "macro.ioc.shared"  # the root project's over dbt's
    assert eager["m"] == "macro.pkg.m"  # the node's own package first, then the root's
    assert eager["p"] == "macro.pkg.p"  # the node's package's only
    with lazy_macros():
        assert namespace("ioc")["p"] is None  # another package's: by its name only


@contextmanager
def contexts_made() -> Iterator[list]:
    """The contexts dbt renders the nodes of a build with (``Compiler._create_node_context``)."""
    made: list = []
    create = Compiler._create_node_context

    def keep(self, *args, **kwargs):
        context = create(self, *args, **kwargs)
        made.append(context)
        return context

    Compiler._create_node_context = keep
    try:
        yield made
    finally:
        Compiler._create_node_context = create


def generators_held(context) -> int:
    """The macros a context holds wrapped (not counting a unit test's overrides of one,
    ``UnitTestMacroGenerator``, which dbt adds to the context itself)."""
    layers = getattr(context, "maps", [context])
    return sum(
        type(v) is MacroGenerator for layer in layers if type(layer) is dict for v in layer.values()
    )


# what differs from one build to the next: run ids, times, durations, threads, the folder
_VARYING = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<id>"),
    (re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?Z?"), "<timestamp>"),
    (re.compile(r"\d\d:\d\d:\d\d(\.\d+)?"), "<time>"),
    (re.compile(r"\d+\.\d+s?"), "<seconds>"),
    (re.compile(r"\d+ minutes"), "<minutes>"),
    (re.compile(r"Thread-\d+"), "Thread-<n>"),
    (re.compile(r"dbt_tmp\d+"), "dbt_tmp"),
    (re.compile(r"\b\d+ of (\d+) "), r"<i> of \1 "),  # a node's place in the run (below)
]


def same_from_build_to_build(text: str, root: Path) -> str:
    text = text.replace(str(root), "<root>")
    for pattern, stands_for in _VARYING:
        text = pattern.sub(stands_for, text)
    return text


def built(root: Path, patched: bool) -> tuple[Warehouse, list]:
    """The project built on the small lake, as the refresh logs it (dbt.log at info), one
    thread, with or without the patches of refresh/dbt.py."""
    with warehouse(root) as wh, contexts_made() as made:
        write_initial_lake(wh.lake)
        args = ("build", "--threads", "1", "--log-level-file", "info")
        if patched:
            with lazy_macros(), only_logged_events():
                wh.dbt(*args)
        else:
            wh.dbt(*args)
        return wh, made


def sql_files(root: Path) -> dict[str, str]:
    target = root / "dbt_target"
    return {
        str(p.relative_to(target)): same_from_build_to_build(p.read_text(), root)
        for p in sorted(target.rglob("*.sql"))
        if p.relative_to(target).parts[0] in ("compiled", "run")
    }


def log_lines(root: Path) -> list[str]:
    """dbt.log's lines, sorted: even with one thread, dbt's main loop takes the next ready
    node while the worker's callback is still freeing the last one's children, so two builds
    may run independent nodes in another order (seen under load)."""
    text = (root / "dbt_logs" / "dbt.log").read_text()
    return sorted(same_from_build_to_build(text, root).splitlines())


def test_a_build_renders_runs_and_logs_the_same_without_wrapping_every_macro(
    tmp_path: Path,
) -> None:
    eager, eager_contexts = built(tmp_path / "eager", patched=False)
    lazy, lazy_contexts = built(tmp_path / "lazy", patched=True)

    eager_sql = sql_files(eager.root)
    assert len(eager_sql) > 1000  # every model and test, compiled and run
    assert sql_files(lazy.root) == eager_sql
    eager_log = log_lines(eager.root)
    assert sum(" START " in line for line in eager_log) > 600
    assert log_lines(lazy.root) == eager_log
    dossiers = "select * exclude (processed_at) from marts.fct_dossier order by all"  # build time
    assert lazy.query(dossiers) == eager.query(dossiers)
    # dbt's own contexts hold every macro wrapped; these none, and still find them
    assert len(lazy_contexts) == len(eager_contexts) > 600
    assert min(generators_held(c) for c in eager_contexts) > 500
    assert max(generators_held(c) for c in lazy_contexts) == 0
    assert isinstance(lazy_contexts[0]["should_full_refresh"], MacroGenerator)

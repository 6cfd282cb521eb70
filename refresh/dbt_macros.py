"""dbt's macros wrapped for a node when its templates look them up, not all up front.

dbt (1.11) builds a Jinja context twice for every node it runs (compiling it, then running
its materialization or test), and each time wraps every macro of the project and its
packages — 615 here — in a ``MacroGenerator`` and copies them all into the context dict
(``dbt.context.macros.MacroNamespaceBuilder.build_namespace``,
``dbt.context.manifest.ManifestContext.to_dict``), though a node calls a dozen. That is
~1200 objects a node bound to each other and to the context (garbage only the cycle
collector frees), most of the Python a ~30 ms test node spends besides its query.

dbt 1.12 does it lazily (dbt-labs/dbt-core#15526, with the fix of #15557): the namespace is a
``ChainMap`` over the manifest's own macro dicts that makes a ``MacroGenerator`` when a
name is looked up, and the context layers it over the builtins instead of copying it.
``lazy_macros`` installs the same for one invocation. The laziness must survive Jinja: a
template's context is layered over its globals by ``dbt_common``'s ``MacroFuzzTemplate``,
but the native templates that render each test's arguments use Jinja's own
``new_context``, which copies both into a dict (``dict(globals, **vars)``: every name looked
up, every macro wrapped, for each argument of each test); they get ``MacroFuzzTemplate``'s
layering too.
The search order is dbt 1.11's (the node's package, the root project, the packages by name,
``dbt`` and the internal packages, the adapter's first), a macro still overrides a builtin of
its name, ``var`` renders with the whole context, and what a build renders, runs and logs is
the same (tests/dbt/test_dbt_macros.py). Should dbt change the methods replaced, its own
stay (the test then fails, so an upgrade is noticed).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from functools import cache
from typing import Any


@cache
def _namespace_class() -> type:
    from dbt.clients.jinja import MacroGenerator
    from dbt.contracts.graph.nodes import Macro
    from dbt.exceptions import PackageNotFoundForMacroError

    class LazyMacroNamespace(ChainMap):
        """dbt's ``MacroNamespace``: macros by name, then packages by name, over the
        manifest's ``{package: {name: Macro}}`` dicts; a macro is wrapped when looked up."""

        def __init__(self, ctx: Any, node: Any, thread_ctx: Any, maps: list[Mapping]) -> None:
            self.ctx = ctx  # the node's context, set by to_dict: what its macros see
            self.node = node
            self.thread_ctx = thread_ctx
            super().__init__(*maps)

        def __getitem__(self, key: str) -> Any:
            value = super().__getitem__(key)
            if isinstance(value, Macro):
                return MacroGenerator(value, self.ctx, self.node, self.thread_ctx)
            if isinstance(value, Mapping):  # a package: its macros, wrapped the same way
                return LazyMacroNamespace(self.ctx, self.node, self.thread_ctx, [value])
            return value

        def get_from_package(self, package_name: str | None, name: str) -> Any:
            if package_name is None:
                return self.get(name)
            # the package, not a macro of the same name (dbt-core#15557)
            for mapping in self.maps:
                member = mapping.get(package_name)
                if isinstance(member, Mapping) and not isinstance(member, Macro):
                    return LazyMacroNamespace(self.ctx, self.node, self.thread_ctx, [member]).get(
                        name
                    )
            raise PackageNotFoundForMacroError(package_name)

    return LazyMacroNamespace


def _build_namespace(
    builder: Any, macros_by_package: Mapping[str, MutableMapping[str, Any]], ctx: Any
) -> Any:
    """``MacroNamespaceBuilder.build_namespace`` of dbt 1.11, lazily: the same search order
    (local package, root package, packages by name, ``dbt``, internal packages)."""
    from dbt.include.global_project import PROJECT_NAME as GLOBAL_PROJECT_NAME

    internal = builder.internal_package_names_order  # the adapter's first: it wins
    internals = ChainMap(*[macros_by_package[p] for p in internal if p in macros_by_package])
    search, root = builder.search_package, builder.root_package
    maps: list[Mapping] = [
        macros_by_package.get(search, {}) if search not in internal else {},
        macros_by_package.get(root, {}) if root not in internal else {},
        {p: m for p, m in macros_by_package.items() if p not in internal},
        {GLOBAL_PROJECT_NAME: internals},
        internals,
    ]
    return _namespace_class()(ctx, builder.node, builder.thread_ctx, maps)


def _to_dict(context: Any) -> Any:
    """``ManifestContext.to_dict``: the builtins (its base class's ``to_dict``) under the
    lazy namespace (a macro overrides a builtin of its name, as ``dict.update`` did), the
    context's ``context`` and what its macros and ``var`` render with the whole of it."""
    from dbt.context.base import Var
    from dbt.context.manifest import ManifestContext

    builtins = super(ManifestContext, context).to_dict()
    layered = ChainMap({}, context.namespace, builtins)
    layered["context"] = layered
    context.namespace.ctx = layered
    context._ctx = layered
    var = builtins.get("var")
    if isinstance(var, Var):  # renders a var's Jinja with the whole context, macros too
        var._context = layered
    return layered


def _layered_context(
    template: Any, vars: Any = None, shared: bool = False, locals: Any = None
) -> Any:
    """``MacroFuzzTemplate.new_context`` (dbt_common) for the native templates too: the
    context layered over the template's globals, not copied into a dict with them (Jinja's
    ``new_context``: every name looked up, every macro wrapped, for each test argument)."""
    if shared or locals:
        return _jinja_new_context(template, vars, shared, locals)
    vars = {} if vars is None else vars
    parent = ChainMap(vars, template.globals) if template.globals else vars
    return template.environment.context_class(
        template.environment, parent, template.name, template.blocks
    )


def _jinja_new_context(template: Any, *args: Any) -> Any:
    import jinja2

    return jinja2.Template.new_context(template, *args)


@contextmanager
def lazy_macros() -> Iterator[None]:
    """Inside, dbt's node contexts wrap a macro when it is looked up; native templates
    (a test's arguments) layer their context as dbt's other templates do."""
    from dbt.context.macros import MacroNamespaceBuilder
    from dbt.context.manifest import ManifestContext
    from dbt_common.clients.jinja import NativeSandboxTemplate

    build_namespace = MacroNamespaceBuilder.__dict__.get("build_namespace")
    to_dict = ManifestContext.__dict__.get("to_dict")
    if (
        build_namespace is None
        or to_dict is None
        or "new_context" in NativeSandboxTemplate.__dict__
    ):
        yield  # dbt changed: its own contexts
        return
    namespace_class = _namespace_class()

    def lazy_to_dict(self: Any) -> Any:
        if not isinstance(self.namespace, namespace_class):
            return to_dict(self)  # a test's parse-time namespace (TestMacroNamespace)
        return _to_dict(self)

    MacroNamespaceBuilder.build_namespace = _build_namespace
    ManifestContext.to_dict = lazy_to_dict
    NativeSandboxTemplate.new_context = _layered_context
    try:
        yield
    finally:
        MacroNamespaceBuilder.build_namespace = build_namespace
        ManifestContext.to_dict = to_dict
        del NativeSandboxTemplate.new_context

"""Drop what the project no longer builds.

A model that was renamed or removed keeps its table: the next build continues from a copy of
the served file, and the work database is the last build's. In the served copy it would stay
with the figures of the day it stopped being built, readable by any chart or role as if
current. After a build that passed, every table and view in a schema the project builds
into (``ioc.marts``, ``ioc.dq``, ``work.staging``, …) that no model, seed or snapshot of the
manifest names is dropped, and named in the log. Other schemas are not touched.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ingest.common.settings import WarehousePaths
from refresh.build_database import connect_build
from refresh.changes import FIGURE_CHANGES

if TYPE_CHECKING:
    from dbt.contracts.graph.manifest import Manifest

log = logging.getLogger(__name__)

BUILT = ("model", "seed", "snapshot")
# Written into the build file by the publish, not by dbt (refresh/changes.py)
NOT_DBT = {FIGURE_CHANGES}

Relation = tuple[str, str, str]  # database, schema, name (lower case)


def built_relations(manifest: Manifest) -> set[Relation]:
    """What the project's enabled models, seeds and snapshots build."""
    return {
        (n.database.lower(), n.schema.lower(), (n.alias or n.name).lower())
        for n in manifest.nodes.values()
        if n.resource_type in BUILT and n.config.materialized != "ephemeral"
    }


def drop_unbuilt(paths: WarehousePaths, built: set[Relation]) -> list[str]:
    """Drop the tables and views of the project's schemas that it does not build; their
    names."""
    schemas = {(database, schema) for database, schema, _ in built}
    dropped = []
    with connect_build(paths, read_only=False) as con:
        found = con.execute(
            "SELECT database_name, schema_name, table_name, 'TABLE' FROM duckdb_tables() "
            "UNION ALL SELECT database_name, schema_name, view_name, 'VIEW' FROM duckdb_views() "
            "WHERE NOT internal"
        ).fetchall()
        for database, schema, name, kind in found:
            relation = (database.lower(), schema.lower(), name.lower())
            if relation[:2] not in schemas or relation in built:
                continue
            if f"{relation[1]}.{relation[2]}" in NOT_DBT:
                continue
            con.execute(f'DROP {kind} "{database}"."{schema}"."{name}"')
            dropped.append(".".join((database, schema, name)))
    if dropped:
        log.warning("dropped, no longer built by the project: %s", ", ".join(sorted(dropped)))
    return dropped

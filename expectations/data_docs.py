"""Build the Data Docs site with every suite, not only those of this run.

Each run validates with its own in-memory GE context, and GE rebuilds the whole site from
what that context holds: the docs showed the last run's suites only (three of eleven). So
every build first keeps this run's suites and newest validation result per suite as JSON
beside the site (``<dq>/gx_results/``), then loads back the ones this run did not touch, so
the site shows every suite with its newest validation; then it is made to work offline
(``data_docs_offline.localise``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import great_expectations as gx
from great_expectations.data_context.types.resource_identifiers import (
    ValidationResultIdentifier,
)

from expectations.data_docs_offline import localise

SITE = "ioc"


def store_dir(site_dir: Path) -> Path:
    return site_dir.parent / "gx_results"


def build(context: Any, site_dir: Path) -> Path:
    """Keep, restore, build, localise; return the index page."""
    kept = store_dir(site_dir)
    kept.mkdir(parents=True, exist_ok=True)
    _keep(context, kept)
    _restore(context, kept)
    context.build_data_docs(site_names=[SITE])
    localise(site_dir)
    return site_dir / "index.html"


def _write(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)  # a concurrent build reads the old or the new, never half


def _keep(context: Any, kept: Path) -> None:
    store = context.validation_results_store
    newest: dict[str, ValidationResultIdentifier] = {}
    for key in store.list_keys():
        suite = key.expectation_suite_identifier.name
        if suite not in newest or key.to_tuple() > newest[suite].to_tuple():
            newest[suite] = key
    for suite in context.suites.all():
        payload: dict[str, Any] = {"suite": suite.to_json_dict()}
        if suite.name in newest:
            key = newest[suite.name]
            payload["key"] = list(key.to_tuple())
            payload["result"] = store.serialize(store.get(key))
        _write(kept / f"{suite.name}.json", payload)


def _restore(context: Any, kept: Path) -> None:
    present = {suite.name for suite in context.suites.all()}
    store = context.validation_results_store
    for path in sorted(kept.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        suite = payload["suite"]
        if suite["name"] in present:
            continue
        context.suites.add(gx.ExpectationSuite(**suite))
        if "result" in payload:
            key = ValidationResultIdentifier.from_tuple(tuple(payload["key"]))
            store.set(key, store.deserialize(payload["result"]))

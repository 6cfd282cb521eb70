"""Which suite validates which raw dataset, and the parameters of one load.

The suite of ``<source>.<dataset>`` lives in its source's package, found through the registry
of sources (``ioc/sources.py``): ``ingest/<source>/suite_<dataset>.py`` with
``build(province: str) -> ExpectationSuite``, and optionally ``ROW_ID``: the columns
that name a row for a steward (default: its ``_source_ref``), and ``VOLUME``: the plausible
range of a load's volume against the loads before it (see ``volume.py``). A dataset without
such a module has no suite (yet).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from datetime import datetime
from functools import partial
from types import ModuleType
from typing import Any

from ioc.sources import SOURCES


def _module(source: str, dataset: str) -> ModuleType | None:
    """The dataset's suite module, or None (an unknown source or a dataset without one)."""
    known = SOURCES.get(source)
    if known is None:
        return None
    name = known.suite_module(dataset)
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def suite_for(source: str, dataset: str, province: str) -> Callable[[], Any] | None:
    """A builder of the dataset's suite, or None if the dataset has none."""
    module = _module(source, dataset)
    return None if module is None else partial(module.build, province)


def row_id(source: str, dataset: str) -> tuple[str, ...]:
    """Columns that name one row of the dataset in quarantine entries."""
    return tuple(getattr(_module(source, dataset), "ROW_ID", ("_source_ref",)))


def volume_range(source: str, dataset: str) -> tuple[float, float] | None:
    """The plausible range of a load's volume against its history (``VOLUME``), if any."""
    return getattr(_module(source, dataset), "VOLUME", None)


def parameter_names(suite: Callable[[], Any]) -> set[str]:
    """The expectation parameters (``{"$PARAMETER": name}``) the suite's checks need."""
    import great_expectations as gx

    # GE builds a suite only with a context about (telemetry off, as the Validator does)
    gx.get_context(mode="ephemeral").enable_analytics(False)
    return {
        value["$PARAMETER"]
        for expectation in suite().expectations
        for value in expectation.configuration.kwargs.values()
        if isinstance(value, dict) and "$PARAMETER" in value
    }


def parameters(window: list[str] | None) -> dict[str, Any]:
    """Expectation parameters of a load: its window [start, end)."""
    if not window:
        return {}
    start, end = (datetime.fromisoformat(w) for w in window)
    return {"window_start": start, "window_end": end}

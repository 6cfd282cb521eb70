"""Which suite validates which raw dataset, and the parameters of one load.

By convention the suite of ``<source>.<dataset>`` is ``expectations/<source>_<dataset>.py``
with ``build(province: str) -> ExpectationSuite``, and optionally ``ROW_ID``: the columns
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
from typing import Any


def suite_for(source: str, dataset: str, province: str) -> Callable[[], Any] | None:
    """A builder of the dataset's suite, or None if the dataset has none."""
    name = f"expectations.{source}_{dataset}"
    if importlib.util.find_spec(name) is None:
        return None
    return partial(importlib.import_module(name).build, province)


def row_id(source: str, dataset: str) -> tuple[str, ...]:
    """Columns that name one row of the dataset in quarantine entries."""
    name = f"expectations.{source}_{dataset}"
    if importlib.util.find_spec(name) is None:
        return ("_source_ref",)
    return tuple(getattr(importlib.import_module(name), "ROW_ID", ("_source_ref",)))


def volume_range(source: str, dataset: str) -> tuple[float, float] | None:
    """The plausible range of a load's volume against its history (``VOLUME``), if any."""
    name = f"expectations.{source}_{dataset}"
    if importlib.util.find_spec(name) is None:
        return None
    return getattr(importlib.import_module(name), "VOLUME", None)


def parameters(window: list[str] | None) -> dict[str, Any]:
    """Expectation parameters of a load: its window [start, end)."""
    if not window:
        return {}
    start, end = (datetime.fromisoformat(w) for w in window)
    return {"window_start": start, "window_end": end}

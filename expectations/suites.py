"""Which suite validates which raw dataset, and the parameters of one load."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from expectations import dichvucong_ho_so
from expectations.reference import province_unit_codes


def suite_for(source: str, dataset: str, province: str) -> Callable[[], Any] | None:
    """A builder of the dataset's suite, or None if the dataset has none yet."""
    if (source, dataset) == ("dichvucong", "ho_so"):
        return partial(dichvucong_ho_so.build, province_unit_codes(province))
    return None


def parameters(window: list[str] | None) -> dict[str, Any]:
    """Expectation parameters of a load: its window [start, end)."""
    if not window:
        return {}
    start, end = (datetime.fromisoformat(w) for w in window)
    return {"window_start": start, "window_end": end}

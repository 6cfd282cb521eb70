"""Which suite validates which raw dataset."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from expectations import dichvucong_ho_so
from expectations.reference import province_unit_codes

SuiteFactory = Callable[[list[str]], Any]


def factory(source: str, dataset: str, window: list[str] | None) -> SuiteFactory | None:
    """The suite builder for a load (given its columns), or None if none is defined."""
    if (source, dataset) == ("dichvucong", "ho_so") and window:
        start, end = (datetime.fromisoformat(w) for w in window)
        units = province_unit_codes(os.environ.get("IOC_PROVINCE", "56"))
        return partial(_with_columns, dichvucong_ho_so.build, start, end, units)
    return None


def _with_columns(
    build: Callable, start: datetime, end: datetime, units: list[str], columns: list[str]
) -> Any:
    return build(columns, start, end, units)

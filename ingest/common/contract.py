"""The contract of one raw dataset, declared once in its source's ``contracts.py`` and read by
the connector (what it writes), the dataset's Great Expectations suite (what it checks) and
the tests' fixtures (what they build)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from ingest.common.lake import LOAD_COLUMNS


@dataclass(frozen=True)
class Contract:
    source: str
    dataset: str
    schema: pa.Schema  # its columns as landed, before the load's own columns
    key: tuple[str, ...] = ()  # the columns naming one row of a load
    required: tuple[str, ...] = ()  # the columns a row cannot lack
    codes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # code lists by column

    @property
    def name(self) -> str:
        return f"{self.source}.{self.dataset}"

    @property
    def columns(self) -> list[str]:
        """Every column of a landed file, the load's own (``_load_id``, …) included."""
        return [*self.schema.names, *(f.name for f in LOAD_COLUMNS)]

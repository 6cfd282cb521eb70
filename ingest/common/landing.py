"""One load from its first row to its ledger entry, the same way for every connector.

``landing`` wraps a ``LoadWriter``: when the block ends, the load is staged beside the live
lake, the rows it set aside go to the quarantine and a ``landed`` entry to the ledger (the
validation promotes it or not: ``ingest.common.lifecycle``); if the block (or the commit)
raises, the writer is aborted, a ``failed`` entry records the attempt and the error goes on.
``Landing.result()`` is what the connector hands on (``LoadResult``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.common import lifecycle
from ingest.common.lake import LoadWriter
from ingest.common.ledger import LedgerEntry
from ingest.common.parse import now_local
from ingest.common.results import LoadResult
from ingest.common.windows import Window

log = logging.getLogger(__name__)


@dataclass
class Landing:
    """A load under way: what the ledger will say of it, filled in as the rows come."""

    source: str
    dataset: str
    load_id: str
    started_at: datetime
    window_start: datetime | None = None
    window_end: datetime | None = None
    # how far its data reach (ingest.common.ledger); a window of changes reaches its end,
    # a connector whose window is a period, a file or a snapshot says so itself
    data_until: datetime | None = None
    rows_in: int = 0
    rows_loaded: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)  # its quarantine rows
    duplicates: int = 0  # repeated records skipped (reported in the result)
    message: str = ""
    raw_location: str = ""  # what the ledger names; by default where the load landed
    location: Path | None = None

    @classmethod
    def of(cls, writer: LoadWriter, window: Window | None) -> Landing:
        start, end = (window.start, window.end) if window else (None, None)
        return cls(
            writer.source, writer.dataset, writer.load_id, writer.extracted_at, start, end, end
        )

    @property
    def window(self) -> Window | None:
        if self.window_start is None or self.window_end is None:
            return None
        return Window(self.window_start, self.window_end)

    def settle(self, meta: Path, status: str) -> None:
        """Record the attempt as ``landed`` (or ``failed``: nothing could land) with its
        quarantine (replacing an earlier run's)."""
        entry = self._entry(status, len(self.rejected), self.message)
        lifecycle.settle(meta, entry, self.rejected)

    def fail(self, meta: Path, error: BaseException) -> None:
        """Record an attempt that broke off: nothing landed, nothing was quarantined."""
        lifecycle.settle(meta, self._entry("failed", 0, str(error)[:2000]), [])

    def result(self) -> LoadResult:
        assert self.location is not None, "the load has not landed"
        return LoadResult(
            self.source,
            self.dataset,
            self.load_id,
            self.rows_in,
            self.rows_loaded,
            len(self.rejected),
            self.location,
            self.window,
            self.duplicates,
            self.started_at,
        )

    def _entry(self, status: str, quarantined: int, message: str) -> LedgerEntry:
        landed = str(self.location) if self.location else ""
        return LedgerEntry(
            self.load_id,
            self.source,
            self.dataset,
            self.window_start,
            self.window_end,
            self.started_at,
            now_local(),
            status,
            self.rows_in,
            self.rows_loaded,
            quarantined,
            self.raw_location or landed,
            message,
            self.data_until,
        )


@contextmanager
def landing(meta: Path, writer: LoadWriter, window: Window | None = None) -> Iterator[Landing]:
    """Land what the block writes with ``writer`` as one load, recorded in the ledger."""
    load = Landing.of(writer, window)
    try:
        yield load
        load.location = writer.commit()
    except Exception as exc:
        writer.abort()
        load.fail(meta, exc)
        raise
    load.rows_loaded = writer.rows
    load.settle(meta, "landed")
    log.info(
        "landed %s: %d rows, %d quarantined, %d repeated",
        load.load_id,
        load.rows_loaded,
        len(load.rejected),
        load.duplicates,
    )

"""What a connector reports about each load it made (handed from extract to validate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ingest.common.windows import Window


@dataclass(frozen=True)
class LoadResult:
    source: str
    dataset: str
    load_id: str
    rows_in: int
    rows_loaded: int
    rows_quarantined: int
    location: Path
    window: Window | None = None
    duplicates: int = 0
    started_at: datetime | None = None  # names the attempt in the ledger

    def to_dict(self) -> dict:
        """A JSON-able summary (Airflow XCom) that ``validate_loads`` reads."""
        return {
            "source": self.source,
            "dataset": self.dataset,
            "load_id": self.load_id,
            "path": str(self.location),
            "rows": self.rows_loaded,
            "quarantined": self.rows_quarantined,
            "window": [self.window.start.isoformat(), self.window.end.isoformat()]
            if self.window
            else None,
            "started_at": self.started_at.isoformat() if self.started_at else None,
        }

"""The load ledger and the quarantine, kept in the lake beside the data they describe.

Each load attempt has one ledger file, rewritten as the attempt moves from state to state
(``ingest.common.lifecycle`` says which moves there are, and is the only writer of both);
each load's rejected rows one quarantine file per stage (replaced when the load is re-run).
dbt reads both into the ``dq`` schema.

``data_until`` says how far a load's data reach (exclusive), for the stewards' "Dữ liệu
đến": a window of changes (dossiers, reports), its end; a period's figures (a month of
tourism, a school or exam year), the period's end, no later than when the source was asked
(an open period's figures are as of then), and nothing when the source had none for it; a
dropped file (an Excel report, a budget export), the end of the newest period its rows are
for; a catalog snapshot, the time it stands for (the run's ``until``). The connector records
it when the load lands; ledger files written before it existed read it as null.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

LEDGER_SCHEMA = pa.schema(
    [
        ("load_id", pa.string()),
        ("source", pa.string()),
        ("dataset", pa.string()),
        ("window_start", pa.timestamp("us")),
        ("window_end", pa.timestamp("us")),
        ("started_at", pa.timestamp("us")),
        ("finished_at", pa.timestamp("us")),
        ("status", pa.string()),
        ("rows_in", pa.int64()),
        ("rows_loaded", pa.int64()),
        ("rows_quarantined", pa.int64()),
        ("raw_location", pa.string()),
        ("message", pa.string()),
        ("data_until", pa.timestamp("us")),  # last, so older files read it as null
    ]
)

QUARANTINE_SCHEMA = pa.schema(
    [
        ("load_id", pa.string()),
        ("dataset", pa.string()),
        ("reason", pa.string()),
        ("raw_location", pa.string()),
        ("record", pa.string()),
        ("quarantined_at", pa.timestamp("us")),
    ]
)


@dataclass
class LedgerEntry:
    load_id: str
    source: str
    dataset: str
    window_start: datetime | None
    window_end: datetime | None
    started_at: datetime
    finished_at: datetime | None = None
    status: str = "landed"
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    raw_location: str = ""
    message: str = ""
    data_until: datetime | None = None  # how far its data reach (see the module's docstring)


@dataclass(frozen=True)
class Ledger:
    meta: Path

    @property
    def folder(self) -> Path:
        return self.meta / "load_ledger"

    def path(self, source: str, load_id: str, started_at: datetime) -> Path:
        """The file of one attempt (a load id and when the attempt started)."""
        stamp = started_at.strftime("%Y%m%dT%H%M%S%f")
        return self.folder / f"{source}__{load_id}__{stamp}.parquet"

    def record(self, entry: LedgerEntry) -> None:
        """Write the attempt's entry, replacing what it said before (one row per attempt)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(entry.source, entry.load_id, entry.started_at)
        tmp = path.with_name(f".{path.name}.tmp")
        pq.write_table(pa.Table.from_pylist([asdict(entry)], LEDGER_SCHEMA), tmp)
        tmp.replace(path)

    def attempt(self, source: str, load_id: str, started_at: datetime) -> LedgerEntry | None:
        path = self.path(source, load_id, started_at)
        if not path.exists():
            return None
        return LedgerEntry(**pq.read_table(path, schema=LEDGER_SCHEMA).to_pylist()[0])

    def all(self) -> pa.Table:
        """Every attempt's entry (a column older files lack reads as null)."""
        if not self.folder.exists():
            return LEDGER_SCHEMA.empty_table()
        return ds.dataset(self.folder, schema=LEDGER_SCHEMA, format="parquet").to_table()

    def entries(self, source: str, dataset: str) -> pa.Table:
        table = self.all()
        mask = pc.and_(pc.equal(table["source"], source), pc.equal(table["dataset"], dataset))
        return table.filter(mask)

    def watermark(self, source: str, dataset: str) -> datetime | None:
        """Where the next pull starts: the start of the earliest window to pull again, else
        the end of the newest window loaded successfully. Of each load, the latest success
        or rejection decides; a window is pulled again when that is a rejection, or when
        the load never succeeded and its latest attempt failed (say, it quarantined too
        much: later windows of the same run may have gone live). A failed attempt at a load
        that succeeded before changes nothing: it never replaced what was live."""
        latest: dict[str, dict] = {}
        failed: dict[str, dict] = {}
        for entry in self.entries(source, dataset).to_pylist():
            held = latest if entry["status"] in ("success", "rejected") else failed
            if entry["status"] not in ("success", "rejected", "failed"):
                continue
            other = held.get(entry["load_id"])
            if other is None or entry["started_at"] > other["started_at"]:
                held[entry["load_id"]] = entry
        again = [
            e["window_start"]
            for e in [*latest.values(), *(f for k, f in failed.items() if k not in latest)]
            if e["status"] != "success" and e["window_start"] is not None
        ]
        if again:
            return min(again)
        done = [e["window_end"] for e in latest.values() if e["status"] == "success"]
        return max(done) if done else None


@dataclass(frozen=True)
class Quarantine:
    meta: Path

    def path(self, source: str, dataset: str, load_id: str) -> Path:
        return self.meta / "quarantine" / f"{source}__{dataset}" / f"{load_id}.parquet"

    def write(self, source: str, dataset: str, load_id: str, rows: list[dict]) -> Path | None:
        """Replace the load's quarantine with ``rows`` (dicts of QUARANTINE_SCHEMA)."""
        path = self.path(source, dataset, load_id)
        if not rows:
            path.unlink(missing_ok=True)
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        pq.write_table(pa.Table.from_pylist(rows, QUARANTINE_SCHEMA), tmp)
        tmp.replace(path)
        return path

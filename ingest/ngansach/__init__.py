"""Connector for budget revenue (ngansach): monthly CSV exports dropped to a folder.

``load_file`` turns one dropped file into one lake load (load id = name + content hash,
``DropFile.load_id``): archived as received, parsed, bad rows quarantined by file, line
and column. ``run`` loads every pending file (new name or new content). A re-exported file
is a new load; the earlier one stays as history (the newest ``ngay_lap`` wins downstream).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ingest.common.drops import DropFile, archive, list_drops, pending
from ingest.common.lake import LoadWriter
from ingest.common.ledger import Ledger, LedgerEntry, Quarantine
from ingest.common.parse import now_local
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.windows import Window
from ingest.ngansach import settings
from ingest.ngansach.helpers import Line, UnreadableFile, data_lines, parse_file
from ingest.ngansach.settings import DATASET, DICTIONARY_COLUMNS, FILE_PATTERN, SCHEMA, SOURCE

__all__ = ["file_window", "load_file", "run", "settings"]

log = logging.getLogger(__name__)


def file_window(file: DropFile) -> Window:
    """The months a file may carry: from 1 January of its year to the end of its month."""
    match = FILE_PATTERN.fullmatch(file.path.name)
    if match is None:
        raise ValueError(f"{file.path.name} is not a budget revenue export")
    year, month = int(match["year"]), int(match["month"])
    end = datetime(year + month // 12, month % 12 + 1, 1)
    return Window(datetime(year, 1, 1), end)


def _quarantine(
    name: str, load_id: str, rejected: list[tuple[Line, str, str]], now: datetime
) -> list[dict]:
    return [
        {
            "load_id": load_id,
            "dataset": DATASET,
            "reason": f"{name} line {line.number}, column {column}: {problem}",
            "raw_location": f"{name}#line={line.number}",
            "record": line.text,
            "quarantined_at": now,
        }
        for line, column, problem in rejected
    ]


def load_file(file: DropFile, paths: WarehousePaths) -> LoadResult:
    """One dropped file → one load folder (replaced whole when the same bytes are re-run)."""
    name, load_id, window = file.path.name, file.load_id, file_window(file)
    started = now_local()
    raw = archive(file, paths.lake, SOURCE)
    entry = LedgerEntry(load_id, SOURCE, DATASET, window.start, window.end, started)
    entry.raw_location = str(raw)
    data = raw.read_bytes()
    try:
        parsed = parse_file(data)
    except UnreadableFile as exc:
        return _unreadable(file, paths, entry, data, str(exc))
    writer = LoadWriter(
        paths.lake, SOURCE, DATASET, load_id, SCHEMA, started, dictionary_columns=DICTIONARY_COLUMNS
    )
    try:
        refs = pc.binary_join_element_wise(f"{name}#line=", pc.cast(parsed.lines, pa.string()), "")
        writer.write(parsed.table, refs)
        location = writer.commit()
    except Exception as exc:
        writer.abort()
        entry.status, entry.finished_at, entry.message = "failed", now_local(), str(exc)[:2000]
        entry.rows_in = parsed.rows_in
        Ledger(paths.meta).record(entry)
        raise
    rejected = _quarantine(name, load_id, parsed.rejected, now_local())
    Quarantine(paths.meta).write(SOURCE, DATASET, load_id, rejected)
    entry.status, entry.finished_at = "success", now_local()
    entry.rows_in, entry.rows_loaded = parsed.rows_in, writer.rows
    entry.rows_quarantined = len(rejected)
    Ledger(paths.meta).record(entry)
    log.info("loaded %s: %d rows, %d quarantined", load_id, writer.rows, len(rejected))
    return LoadResult(
        SOURCE, DATASET, load_id, parsed.rows_in, writer.rows, len(rejected), location, window
    )


def _unreadable(
    file: DropFile, paths: WarehousePaths, entry: LedgerEntry, data: bytes, reason: str
) -> LoadResult:
    """The whole file to quarantine, line by line, with the reason; nothing lands."""
    name = file.path.name
    rejected = [(line, "*", f"file cannot be read: {reason}") for line in data_lines(data)]
    rows = _quarantine(name, file.load_id, rejected, now_local())
    Quarantine(paths.meta).write(SOURCE, DATASET, file.load_id, rows)
    entry.status, entry.finished_at = "failed", now_local()
    entry.rows_in = entry.rows_quarantined = len(rows)
    entry.message = f"{name} cannot be read: {reason}"[:2000]
    Ledger(paths.meta).record(entry)
    log.warning("quarantined %s whole: %s", name, reason)
    return LoadResult(
        SOURCE,
        DATASET,
        file.load_id,
        len(rows),
        0,
        len(rows),
        Path(entry.raw_location),
        file_window(file),
    )


def run(
    drop_dir: Path, paths: WarehousePaths, until: datetime, since: datetime | None = None
) -> list[LoadResult]:
    """Load the pending files of months that ended by ``until``.

    A file is pending when its name and content were not loaded before. With ``since``,
    every file of a month ending after ``since`` is loaded again (a re-run: same load ids,
    the same lake)."""
    files = [f for f in list_drops(drop_dir, FILE_PATTERN) if file_window(f).end <= until]
    if since is None:
        files = pending(files, Ledger(paths.meta), SOURCE, DATASET)
    else:
        files = [f for f in files if file_window(f).end > since]
    return [load_file(f, paths) for f in files]

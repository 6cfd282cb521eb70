"""Connector for budget revenue (ngansach): monthly CSV exports (or the workbooks they came
from) dropped to a folder.

``load_file`` turns one dropped file into one lake load (load id = name + content hash,
``DropFile.load_id``): archived as received, parsed, bad rows quarantined by file, line
and column. ``run`` loads every pending file (new name or new content). A re-exported file
is a new load; the earlier one stays as history (the newest ``ngay_lap`` wins downstream).
Every file in the drop folder is loaded or quarantined: one whose name does not say its
month, or that cannot be read (empty, no text, a column missing), is quarantined whole with
the reason and recorded in the ledger as failed; an unreadable file is tried again on the next
run, a misnamed one is not (the log says it is still there) until it is renamed.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ingest.common.drops import (
    ANY_NAME,
    DropFile,
    archive,
    list_drops,
    pending,
    quarantined_once,
)
from ingest.common.lake import LoadWriter
from ingest.common.landing import Landing, landing
from ingest.common.ledger import Ledger
from ingest.common.parse import now_local
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.when import Period
from ingest.common.windows import Window
from ingest.ngansach import settings
from ingest.ngansach.contracts import DICTIONARY_COLUMNS, SCHEMA, THU_NGAN_SACH
from ingest.ngansach.helpers import Row, UnreadableFile, data_lines, parse_file
from ingest.ngansach.settings import FILE_NAME, FILE_PATTERN, SOURCE

__all__ = ["file_window", "load_file", "run", "settings"]

DATASET = THU_NGAN_SACH.dataset

log = logging.getLogger(__name__)


def file_window(file: DropFile) -> Window | None:
    """The months a file may carry: from 1 January of its year to the end of its month;
    ``None`` for a file whose name does not fit."""
    match = FILE_PATTERN.fullmatch(file.path.name)
    if match is None:
        return None
    year, month = int(match["year"]), int(match["month"])
    end = datetime(year + month // 12, month % 12 + 1, 1)
    return Window(datetime(year, 1, 1), end)


def _quarantine(
    name: str, load_id: str, rejected: list[tuple[Row, str, str]], now: datetime
) -> list[dict]:
    return [
        {
            "load_id": load_id,
            "dataset": DATASET,
            "reason": f"{name} {row.where}, column {column}: {problem}",
            "raw_location": f"{name}{row.ref}",
            "record": row.text,
            "quarantined_at": now,
        }
        for row, column, problem in rejected
    ]


def load_file(file: DropFile, paths: WarehousePaths) -> LoadResult:
    """One dropped file → one load folder (replaced whole when the same bytes are re-run)."""
    name, load_id, window = file.path.name, file.load_id, file_window(file)
    started = now_local()
    raw = archive(file, paths.lake, SOURCE)
    data = raw.read_bytes()
    if window is None:
        reason = f"the name does not fit {FILE_NAME} (rename the file to say its month)"
        return _unreadable(file, paths, started, raw, data, reason)
    try:
        parsed = parse_file(data)
    except UnreadableFile as exc:
        return _unreadable(file, paths, started, raw, data, str(exc))
    writer = LoadWriter(
        paths.lake, SOURCE, DATASET, load_id, SCHEMA, started, dictionary_columns=DICTIONARY_COLUMNS
    )
    with landing(paths.meta, writer, window) as load:
        load.raw_location, load.rows_in = str(raw), parsed.rows_in
        writer.write(parsed.table, pa.array([f"{name}{ref}" for ref in parsed.refs], pa.string()))
        load.rejected = _quarantine(name, load_id, parsed.rejected, now_local())
        load.data_until = _month_after(pc.max(parsed.table["ky_thang"]).as_py())
    return load.result()


def _month_after(month: date | None) -> datetime | None:
    """Where the rows' newest month ends (the file's name may say a later one)."""
    if month is None:
        return None
    return Period("THANG", month.year, month.month).end


def _unreadable(
    file: DropFile, paths: WarehousePaths, started: datetime, raw: Path, data: bytes, reason: str
) -> LoadResult:
    """The whole file to quarantine, line by line (or as one record if it has no lines), with
    the reason; nothing lands."""
    name, window = file.path.name, file_window(file)
    rejected = [(line, "*", f"file cannot be read: {reason}") for line in data_lines(data)]
    rows = _quarantine(name, file.load_id, rejected, now_local())
    if not rows:
        rows = [
            {
                "load_id": file.load_id,
                "dataset": DATASET,
                "reason": f"{name}: file cannot be read: {reason}",
                "raw_location": name,
                "record": f"{file.size} bytes, sha256 {file.sha256}",
                "quarantined_at": now_local(),
            }
        ]
    start, end = (window.start, window.end) if window else (None, None)
    load = Landing(SOURCE, DATASET, file.load_id, started, start, end)
    load.rows_in, load.rejected, load.location = len(rows), rows, raw
    load.message = f"{name} cannot be read: {reason}"[:2000]
    load.settle(paths.meta, "failed")
    log.warning("quarantined %s whole: %s", name, reason)
    return load.result()


def run(
    drop_dir: Path, paths: WarehousePaths, until: datetime, since: datetime | None = None
) -> list[LoadResult]:
    """Load the pending files of months that ended by ``until``, and quarantine every other
    file in the folder whose name does not say its month (once: see ``quarantined_once``).

    A file is pending when its name and content were not loaded before. With ``since``,
    every file of a month ending after ``since`` is loaded again (a re-run: same load ids,
    the same lake)."""
    files = list_drops(drop_dir, ANY_NAME)
    windows = {f.path: file_window(f) for f in files}
    ledger = Ledger(paths.meta)
    misnamed = quarantined_once(
        [f for f in files if windows[f.path] is None], ledger, SOURCE, DATASET
    )
    files = [f for f in files if windows[f.path] is not None and windows[f.path].end <= until]
    if since is None:
        files = pending(files, ledger, SOURCE, DATASET)
    else:
        files = [f for f in files if windows[f.path].end > since]
    return [load_file(f, paths) for f in [*files, *misnamed]]

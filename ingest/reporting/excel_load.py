"""One dropped Excel file → archived raw → one ``so_lieu_excel`` load (id = the file's
name and content hash). A file that cannot be read as a report (a name that does not fit,
no ``BaoCao`` sheet, a header that contradicts the name, bytes that are no workbook) goes
to quarantine whole, with the reason, and the ledger records the load as failed (it is
tried again on the next run); the run goes on."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from ingest.common.drops import DropFile, archive
from ingest.common.lake import LoadWriter
from ingest.common.landing import Landing, landing
from ingest.common.parse import now_local
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.when import Period
from ingest.reporting.contracts import EXCEL_SCHEMA
from ingest.reporting.excel import FileError, parse_file
from ingest.reporting.loads import quarantine_rows
from ingest.reporting.settings import SOURCE

log = logging.getLogger(__name__)
DATASET = "so_lieu_excel"


def load_excel(file: DropFile, paths: WarehousePaths) -> LoadResult:
    started = now_local()  # the drop time we know: the sheet has none
    raw = archive(file, paths.lake, SOURCE)
    try:
        parsed = parse_file(raw, file.path.name)
    except FileError as exc:
        return _quarantine_file(file, paths, started, raw, str(exc))
    writer = LoadWriter(paths.lake, SOURCE, DATASET, file.load_id, EXCEL_SCHEMA, started)
    with landing(paths.meta, writer) as load:
        load.message = f"sha256={file.sha256}"
        rows = [row | {"ngay_nhan_tep": file.modified_at} for row in parsed.rows]
        table = pa.Table.from_pylist(rows, EXCEL_SCHEMA)
        writer.write(table, pa.array(parsed.refs, pa.string()))
        load.rows_in = len(parsed.rows) + len(parsed.rejected)
        load.rejected = quarantine_rows(parsed.rejected, file.load_id, DATASET)
        load.data_until = max((_period(row).end for row in rows), default=None)
    return load.result()


def _period(row: dict) -> Period:
    return Period(row["ky_loai"], row["ky_nam"], row["ky_so"])


def _quarantine_file(
    file: DropFile, paths: WarehousePaths, started: datetime, raw: Path, problem: str
) -> LoadResult:
    reason = f"{file.path.name}: {problem}"
    record = {"file": file.path.name, "sha256": file.sha256, "size": file.size}
    load = Landing(SOURCE, DATASET, file.load_id, started)
    load.rows_in, load.location = 1, raw
    load.rejected = quarantine_rows([(record, str(raw), reason)], file.load_id, DATASET)
    load.message = f"sha256={file.sha256}; tệp bị cách ly: {problem}"[:2000]
    load.settle(paths.meta, "failed")
    log.warning("file quarantined: %s", reason)
    return load.result()

"""One dropped Excel file → archived raw → one ``so_lieu_excel`` load (id = the file's
name and content hash). An unreadable file goes to quarantine whole; the run goes on."""

from __future__ import annotations

import logging

import pyarrow as pa

from ingest.common.drops import DropFile, archive
from ingest.common.lake import LoadWriter
from ingest.common.landing import landing
from ingest.common.parse import now_local
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.reporting.excel import FileError, parse_file
from ingest.reporting.loads import quarantine_rows
from ingest.reporting.settings import EXCEL_SCHEMA, SOURCE

log = logging.getLogger(__name__)
DATASET = "so_lieu_excel"


def load_excel(file: DropFile, paths: WarehousePaths) -> LoadResult:
    started = now_local()  # the drop time we know: the sheet has none
    load_id = file.load_id
    writer = LoadWriter(paths.lake, SOURCE, DATASET, load_id, EXCEL_SCHEMA, started)
    with landing(paths.meta, writer) as load:
        raw = archive(file, paths.lake, SOURCE)
        load.message = f"sha256={file.sha256}"
        try:
            parsed = parse_file(raw, file.path.name)
        except FileError as exc:
            reason = f"{file.path.name}: {exc}"
            record = {"file": file.path.name, "sha256": file.sha256, "size": file.size}
            load.rows_in = 1
            load.rejected = quarantine_rows([(record, str(raw), reason)], load_id, DATASET)
            load.message += f"; tệp bị cách ly: {exc}"
            log.warning("file quarantined: %s", reason)
        else:
            rows = [row | {"ngay_nhan_tep": file.modified_at} for row in parsed.rows]
            table = pa.Table.from_pylist(rows, EXCEL_SCHEMA)
            writer.write(table, pa.array(parsed.refs, pa.string()))
            load.rows_in = len(parsed.rows) + len(parsed.rejected)
            load.rejected = quarantine_rows(parsed.rejected, load_id, DATASET)
    return load.result()

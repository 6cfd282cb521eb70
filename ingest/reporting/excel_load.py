"""One dropped Excel file → archived raw → one ``so_lieu_excel`` load (id = the file's
name and content hash). An unreadable file goes to quarantine whole; the run goes on."""

from __future__ import annotations

import logging

import pyarrow as pa

from ingest.common.drops import DropFile, archive
from ingest.common.lake import LoadWriter
from ingest.common.parse import now_local
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.reporting.excel import FileError, parse_file
from ingest.reporting.loads import failed, finish, quarantine_rows
from ingest.reporting.settings import EXCEL_SCHEMA, SOURCE

log = logging.getLogger(__name__)
DATASET = "so_lieu_excel"


def load_excel(file: DropFile, paths: WarehousePaths) -> LoadResult:
    started = now_local()  # the drop time we know: the sheet has none
    load_id = file.load_id
    writer = LoadWriter(paths.lake, SOURCE, DATASET, load_id, EXCEL_SCHEMA, started)
    try:
        raw = archive(file, paths.lake, SOURCE)
        try:
            parsed = parse_file(raw, file.path.name)
        except FileError as exc:
            reason = f"{file.path.name}: {exc}"
            record = {"file": file.path.name, "sha256": file.sha256, "size": file.size}
            rejected = quarantine_rows([(record, str(raw), reason)], load_id, DATASET)
            location = writer.commit()
            log.warning("file quarantined: %s", reason)
            return finish(
                paths.meta,
                DATASET,
                load_id,
                started,
                None,
                1,
                0,
                rejected,
                location,
                f"sha256={file.sha256}; tệp bị cách ly: {exc}",
            )
        rows = [row | {"ngay_nhan_tep": file.modified_at} for row in parsed.rows]
        writer.write(pa.Table.from_pylist(rows, EXCEL_SCHEMA), pa.array(parsed.refs, pa.string()))
        location = writer.commit()
    except Exception as exc:
        writer.abort()
        failed(paths.meta, DATASET, load_id, started, None, 0, exc)
        raise
    rejected = quarantine_rows(parsed.rejected, load_id, DATASET)
    return finish(
        paths.meta,
        DATASET,
        load_id,
        started,
        None,
        len(parsed.rows) + len(parsed.rejected),
        writer.rows,
        rejected,
        location,
        f"sha256={file.sha256}",
    )

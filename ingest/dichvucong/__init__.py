"""Connector for the public-services portal (dichvucong): dossiers and the procedure catalog.

``load_dossiers`` pulls one window of the dossier change stream into one lake load;
``run`` pulls everything since the ledger's watermark, month by month, and snapshots the
procedure catalog. Personal data is replaced by a keyed token before any byte is written.
"""

from __future__ import annotations

import logging
from datetime import datetime

import pyarrow as pa

from ingest.common.http import SourceClient
from ingest.common.lake import LoadWriter
from ingest.common.ledger import Ledger, LedgerEntry, Quarantine
from ingest.common.parse import now_local, to_source_time
from ingest.common.pseudonymise import Pseudonymiser
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.windows import Window, month_windows
from ingest.dichvucong.helpers import convert_page, decode_page, quarantine_rows
from ingest.dichvucong.settings import (
    DICTIONARY_FIELDS,
    DOSSIER_SCHEMA,
    DOSSIERS_PATH,
    HISTORY_START,
    PAGE_SIZE,
    PREFETCH_PAGES,
    PROCEDURE_SCHEMA,
    PROCEDURES_PATH,
    SOURCE,
)

log = logging.getLogger(__name__)


def load_dossiers(
    client: SourceClient,
    paths: WarehousePaths,
    window: Window,
    pseudonymiser: Pseudonymiser,
    page_size: int = PAGE_SIZE,
) -> LoadResult:
    """One window of the change stream → one load folder (replaced whole on re-run)."""
    dataset, load_id = "ho_so", f"ho_so_{window.key}"
    started = now_local()
    entry = LedgerEntry(load_id, SOURCE, dataset, window.start, window.end, started)
    writer = LoadWriter(
        paths.lake,
        SOURCE,
        dataset,
        load_id,
        DOSSIER_SCHEMA,
        started,
        dictionary_columns=DICTIONARY_FIELDS,
    )
    seen: set[int] = set()
    rows_in = duplicates = 0
    rejected: list[dict] = []
    params = {
        "cap_nhat_tu": to_source_time(window.start),
        "cap_nhat_den": to_source_time(window.end),
    }
    try:
        # The next pages are fetched and parsed (into Arrow) in a background thread while
        # this one is converted and written; owner data is replaced by its token in
        # convert_page, before the writer sees the rows.
        pages = client.pages(
            DOSSIERS_PATH, params, page_size, decode=decode_page, prefetch=PREFETCH_PAGES
        )
        for page in pages:
            rows_in += len(page.records)
            result = convert_page(page.records, page.ref, seen, pseudonymiser)
            duplicates += result.duplicates
            writer.write(result.table, result.refs)
            rejected += quarantine_rows(result.rejected, load_id, dataset, now_local())
        location = writer.commit()
    except Exception as exc:
        writer.abort()
        entry.status, entry.finished_at, entry.message = "failed", now_local(), str(exc)[:2000]
        entry.rows_in = rows_in
        Ledger(paths.meta).record(entry)
        raise
    Quarantine(paths.meta).write(SOURCE, dataset, load_id, rejected)
    entry.status, entry.finished_at = "success", now_local()
    entry.rows_in, entry.rows_loaded, entry.rows_quarantined = rows_in, writer.rows, len(rejected)
    entry.raw_location = str(location)
    entry.message = f"{duplicates} repeated records skipped" if duplicates else ""
    Ledger(paths.meta).record(entry)
    log.info(
        "loaded %s: %d rows, %d quarantined, %d repeated",
        load_id,
        writer.rows,
        len(rejected),
        duplicates,
    )
    return LoadResult(
        SOURCE, dataset, load_id, rows_in, writer.rows, len(rejected), location, window, duplicates
    )


def load_procedures(client: SourceClient, paths: WarehousePaths, as_of: datetime) -> LoadResult:
    """Snapshot of the procedure catalog, one load per refresh."""
    dataset, load_id = "thu_tuc", f"thu_tuc_{as_of:%Y%m%dT%H%M}"
    started = now_local()
    records = client.get_json(PROCEDURES_PATH)
    records = records["data"] if isinstance(records, dict) else records
    table = pa.Table.from_pylist(
        [{k: r.get(k) for k in PROCEDURE_SCHEMA.names} for r in records], PROCEDURE_SCHEMA
    )
    writer = LoadWriter(paths.lake, SOURCE, dataset, load_id, PROCEDURE_SCHEMA, started)
    writer.write(table, pa.array([f"GET {PROCEDURES_PATH}"] * table.num_rows, pa.string()))
    location = writer.commit()
    Ledger(paths.meta).record(
        LedgerEntry(
            load_id,
            SOURCE,
            dataset,
            None,
            as_of,
            started,
            now_local(),
            "success",
            len(records),
            table.num_rows,
            0,
            str(location),
        )
    )
    return LoadResult(SOURCE, dataset, load_id, len(records), table.num_rows, 0, location)


def run(
    client: SourceClient,
    paths: WarehousePaths,
    pseudonymiser: Pseudonymiser,
    until: datetime,
    since: datetime | None = None,
) -> list[LoadResult]:
    """Everything changed since ``since`` (default: the ledger's watermark) up to ``until``."""
    start = since or Ledger(paths.meta).watermark(SOURCE, "ho_so") or HISTORY_START
    results = [
        load_dossiers(client, paths, window, pseudonymiser)
        for window in month_windows(start, until)
    ]
    results.append(load_procedures(client, paths, until))
    return results

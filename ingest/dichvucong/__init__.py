"""Connector for the public-services portal (dichvucong): dossiers and the procedure catalog.

``load_dossiers`` pulls one window of the dossier change stream into one lake load, and keeps
its pages, owners pseudonymised, in the raw archive (``_raw/``: a load can be parsed again);
``run`` pulls everything since the ledger's watermark, month by month, and snapshots the
procedure catalog. Personal data is replaced by a keyed token before any byte is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime

import pyarrow as pa

from ingest.common.arrow_pool import reusing_memory
from ingest.common.http import Page, SourceClient
from ingest.common.lake import LoadWriter
from ingest.common.landing import landing
from ingest.common.ledger import Ledger
from ingest.common.parse import now_local, to_source_time
from ingest.common.pseudonymise import Pseudonymiser
from ingest.common.raw import RawArchive, raw_path
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.windows import Window, month_windows
from ingest.dichvucong.archive import BackgroundArchive, archived
from ingest.dichvucong.contracts import DICTIONARY_FIELDS, DOSSIER_SCHEMA, HO_SO, THU_TUC
from ingest.dichvucong.helpers import convert_pages, decode_page, quarantine_rows
from ingest.dichvucong.settings import (
    DOSSIERS_PATH,
    HISTORY_START,
    PAGE_SIZE,
    PREFETCH_PAGES,
    PROCEDURES_PATH,
    SOURCE,
)
from ingest.dichvucong.versions import BATCH_ROWS, Copies


@reusing_memory()  # the pages' buffers reused, not faulted in anew for each page
def load_dossiers(
    client: SourceClient,
    paths: WarehousePaths,
    window: Window,
    pseudonymiser: Pseudonymiser,
    page_size: int = PAGE_SIZE,
) -> LoadResult:
    """One window of the change stream → one load folder (replaced whole on re-run)."""
    dataset, load_id = HO_SO.dataset, f"ho_so_{window.key}"
    writer = LoadWriter(
        paths.lake,
        SOURCE,
        dataset,
        load_id,
        DOSSIER_SCHEMA,
        now_local(),
        dictionary_columns=DICTIONARY_FIELDS,
    )
    copies = Copies()
    raw = BackgroundArchive(RawArchive(raw_path(paths.lake, SOURCE, dataset, load_id)))
    params = {
        "cap_nhat_tu": to_source_time(window.start),
        "cap_nhat_den": to_source_time(window.end),
    }
    try:
        with landing(paths.meta, writer, window) as load:
            # The next pages are fetched and parsed (into Arrow) in a background thread while
            # these are converted and written, a batch of BATCH_ROWS rows at a time (the
            # batch Copies tells apart); owner data is replaced by its token in
            # convert_pages, before the writer sees the rows, and before the archive keeps
            # a page.
            pages = client.pages(
                DOSSIERS_PATH, params, page_size, decode=decode_page, prefetch=PREFETCH_PAGES
            )
            for batch in _batches(pages, BATCH_ROWS):
                for page, result in zip(batch, convert_pages(batch, pseudonymiser), strict=True):
                    load.rows_in += len(page.records)
                    raw.add(replace(page, raw=archived(page, result, pseudonymiser)))
                    rejected = copies.new_rejects(result.rejected)
                    load.rejected += quarantine_rows(rejected, load_id, dataset, now_local())
                    _write(writer, copies.add(result.table, page.ref, result.positions))
            _write(writer, copies.flush())
            load.duplicates = copies.repeats
            load.raw_location = str(raw.commit())
            load.message = "; ".join(
                text
                for n, text in [
                    (copies.repeats, f"{copies.repeats} identical repeats skipped"),
                    (
                        copies.conflicts,
                        f"{copies.conflicts} conflicting copies kept (same update time, other"
                        " content: dbt takes the copy received last)",
                    ),
                ]
                if n
            )
    except BaseException:
        raw.abort()  # nothing landed: no archive either
        raise
    return load.result()


def _batches(pages: Iterable[Page], rows: int) -> Iterator[list[Page]]:
    """The pages in order, in lists of at least ``rows`` records (the last one may be short)."""
    batch: list[Page] = []
    gathered = 0
    for page in pages:
        batch.append(page)
        gathered += len(page.records)
        if gathered >= rows:
            yield batch
            batch, gathered = [], 0
    if batch:
        yield batch


def _write(writer: LoadWriter, rows: pa.Table | None) -> None:
    if rows is not None:
        writer.write(rows.drop_columns(["_source_ref"]), rows["_source_ref"].combine_chunks())


def load_procedures(client: SourceClient, paths: WarehousePaths, as_of: datetime) -> LoadResult:
    """Snapshot of the procedure catalog, one load per refresh."""
    dataset, load_id = THU_TUC.dataset, f"thu_tuc_{as_of:%Y%m%dT%H%M}"
    writer = LoadWriter(paths.lake, SOURCE, dataset, load_id, THU_TUC.schema, now_local())
    with landing(paths.meta, writer) as load:
        # a snapshot: the ledger dates it (its data reach as_of), no window to check
        load.window_end = load.data_until = as_of
        records = client.get_json(PROCEDURES_PATH)
        records = records["data"] if isinstance(records, dict) else records
        load.rows_in = len(records)
        table = pa.Table.from_pylist(
            [{k: r.get(k) for k in THU_TUC.schema.names} for r in records], THU_TUC.schema
        )
        writer.write(table, pa.array([f"GET {PROCEDURES_PATH}"] * table.num_rows, pa.string()))
    return load.result()


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

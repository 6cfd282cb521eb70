"""One window of report changes → a ``bao_cao`` load and a ``so_lieu`` load."""

from __future__ import annotations

import orjson
import pyarrow as pa

from ingest.common.http import SourceClient
from ingest.common.lake import LoadWriter
from ingest.common.landing import landing
from ingest.common.parse import now_local, to_source_time
from ingest.common.raw import RawArchive, raw_path
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.windows import Window
from ingest.reporting.contracts import FIGURE_SCHEMA, REPORT_SCHEMA
from ingest.reporting.loads import quarantine_rows
from ingest.reporting.records import Rejected, convert, copy_ref, updated_at
from ingest.reporting.settings import PAGE_SIZE, REPORTS_PATH, SOURCE


def load_reports(
    client: SourceClient, paths: WarehousePaths, window: Window, page_size: int = PAGE_SIZE
) -> list[LoadResult]:
    """Report versions with window.start <= ngay_cap_nhat < window.end. A record that comes
    again identical (a page sent twice) is a repeat, skipped; a different record with the same
    (ma_bao_cao, phien_ban, ngay_cap_nhat) is a conflict: both land, dbt settles it. Every page
    is kept as received (``_raw/bao_cao/<load_id>.pages.zst``)."""
    started = now_local()
    header_writer, figure_writer = (
        LoadWriter(paths.lake, SOURCE, name, f"{name}_{window.key}", schema, started)
        for name, schema in (("bao_cao", REPORT_SCHEMA), ("so_lieu", FIGURE_SCHEMA))
    )
    raw = RawArchive(raw_path(paths.lake, SOURCE, "bao_cao", f"bao_cao_{window.key}"))
    try:
        return _land(client, paths, window, page_size, raw, header_writer, figure_writer)
    except BaseException:
        raw.abort()
        raise


def _land(
    client: SourceClient,
    paths: WarehousePaths,
    window: Window,
    page_size: int,
    raw: RawArchive,
    header_writer: LoadWriter,
    figure_writer: LoadWriter,
) -> list[LoadResult]:
    rejected_headers: list[Rejected] = []
    rejected_figures: list[Rejected] = []
    seen: set[bytes] = set()  # every distinct record (its content)
    with (
        landing(paths.meta, header_writer, window) as bao_cao,
        landing(paths.meta, figure_writer, window) as so_lieu,
    ):
        params = {"cap_nhat_tu": to_source_time(window.start)}
        for page in client.pages(REPORTS_PATH, params, page_size):
            raw.add(page)
            headers, header_refs, figures, figure_refs = [], [], [], []
            for position, record in enumerate(page.records):
                at = updated_at(record)
                content = orjson.dumps(record, option=orjson.OPT_SORT_KEYS, default=str)
                if content in seen:
                    bao_cao.duplicates += 1  # an identical repeat (a page sent twice)
                    continue
                seen.add(content)
                if at is not None and not window.start <= at < window.end:
                    continue  # a later window's (or the API's filter was loose)
                bao_cao.rows_in += 1
                so_lieu.rows_in += len(record.get("so_lieu") or [])
                c = convert(record, page.ref, position)
                if c.header is not None:
                    headers.append(c.header)
                    header_refs.append(
                        copy_ref(page.ref, position, c.header["ma_bao_cao"], c.header["phien_ban"])
                    )
                for row, ref in c.figures:
                    figures.append(row)
                    figure_refs.append(ref)
                rejected_headers += c.rejected_header
                rejected_figures += c.rejected_figures
            header_writer.write(
                pa.Table.from_pylist(headers, REPORT_SCHEMA), pa.array(header_refs, pa.string())
            )
            figure_writer.write(
                pa.Table.from_pylist(figures, FIGURE_SCHEMA), pa.array(figure_refs, pa.string())
            )
        if bao_cao.duplicates:
            bao_cao.message = f"{bao_cao.duplicates} identical repeats skipped"
            so_lieu.message = bao_cao.message
        bao_cao.raw_location = so_lieu.raw_location = str(raw.commit())
        bao_cao.rejected = quarantine_rows(rejected_headers, bao_cao.load_id, "bao_cao")
        so_lieu.rejected = quarantine_rows(rejected_figures, so_lieu.load_id, "so_lieu")
    return [bao_cao.result(), so_lieu.result()]

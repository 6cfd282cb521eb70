"""One window of report changes → a ``bao_cao`` load and a ``so_lieu`` load."""

from __future__ import annotations

import logging

import pyarrow as pa

from ingest.common.http import SourceClient
from ingest.common.lake import LoadWriter
from ingest.common.parse import now_local, to_source_time
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.windows import Window
from ingest.reporting.loads import failed, finish, quarantine_rows
from ingest.reporting.records import convert, updated_at
from ingest.reporting.settings import (
    FIGURE_SCHEMA,
    PAGE_SIZE,
    REPORT_SCHEMA,
    REPORTS_PATH,
    SOURCE,
)

log = logging.getLogger(__name__)


def load_reports(
    client: SourceClient, paths: WarehousePaths, window: Window, page_size: int = PAGE_SIZE
) -> list[LoadResult]:
    """Report versions with window.start <= ngay_cap_nhat < window.end (each version once:
    a page sent twice is deduplicated on (ma_bao_cao, phien_ban, ngay_cap_nhat))."""
    started = now_local()
    ids = {"bao_cao": f"bao_cao_{window.key}", "so_lieu": f"so_lieu_{window.key}"}
    writers = {
        name: LoadWriter(paths.lake, SOURCE, name, ids[name], schema, started)
        for name, schema in (("bao_cao", REPORT_SCHEMA), ("so_lieu", FIGURE_SCHEMA))
    }
    rows_in = {"bao_cao": 0, "so_lieu": 0}
    rejected: dict[str, list] = {"bao_cao": [], "so_lieu": []}
    seen: set[tuple] = set()
    duplicates = 0
    try:
        params = {"cap_nhat_tu": to_source_time(window.start)}
        for page in client.pages(REPORTS_PATH, params, page_size):
            headers, header_refs, figures, figure_refs = [], [], [], []
            for record in page.records:
                at = updated_at(record)
                key = (record.get("ma_bao_cao"), record.get("phien_ban"), at)
                if key in seen:
                    duplicates += 1  # a page sent twice
                    continue
                seen.add(key)
                if at is not None and not window.start <= at < window.end:
                    continue  # a later window's (or the API's filter was loose)
                rows_in["bao_cao"] += 1
                rows_in["so_lieu"] += len(record.get("so_lieu") or [])
                c = convert(record, page.ref)
                if c.header is not None:
                    headers.append(c.header)
                    header_refs.append(
                        f"{page.ref}#ma_bao_cao={c.header['ma_bao_cao']}"
                        f"&phien_ban={c.header['phien_ban']}"
                    )
                for row, ref in c.figures:
                    figures.append(row)
                    figure_refs.append(ref)
                rejected["bao_cao"] += c.rejected_header
                rejected["so_lieu"] += c.rejected_figures
            writers["bao_cao"].write(
                pa.Table.from_pylist(headers, REPORT_SCHEMA), pa.array(header_refs, pa.string())
            )
            writers["so_lieu"].write(
                pa.Table.from_pylist(figures, FIGURE_SCHEMA), pa.array(figure_refs, pa.string())
            )
        locations = {name: w.commit() for name, w in writers.items()}
    except Exception as exc:
        for name, w in writers.items():
            w.abort()
            failed(paths.meta, name, ids[name], started, window, rows_in[name], exc)
        raise
    message = f"{duplicates} repeated report versions skipped" if duplicates else ""
    results = [
        finish(
            paths.meta,
            name,
            ids[name],
            started,
            window,
            rows_in[name],
            writers[name].rows,
            quarantine_rows(rejected[name], ids[name], name),
            locations[name],
            message,
            duplicates if name == "bao_cao" else 0,
        )
        for name in ("bao_cao", "so_lieu")
    ]
    log.info(
        "loaded %s: %d reports, %d figures",
        window.key,
        results[0].rows_loaded,
        results[1].rows_loaded,
    )
    return results

"""Connector for the provincial reporting system (reporting): reports over the API, the
indicator catalog, and the Excel reports of units that send files.

``load_reports`` pulls one window of report changes into two loads (``bao_cao`` headers,
``so_lieu`` figures). The API filters only from ``cap_nhat_tu``: a window asks from its start
and keeps the versions with ``ngay_cap_nhat`` before its end; the next window gets the rest.
``load_excel`` lands one dropped file (``so_lieu_excel``). ``run`` does all of it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from ingest.common.drops import ANY_NAME, pending, quarantined_once
from ingest.common.drops import list_drops as _list_drops
from ingest.common.http import SourceClient
from ingest.common.ledger import Ledger
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.windows import month_windows
from ingest.reporting.catalog import load_catalog
from ingest.reporting.excel_load import load_excel
from ingest.reporting.reports import load_reports
from ingest.reporting.settings import FILE_PATTERN, HISTORY_START, SOURCE

log = logging.getLogger(__name__)

__all__ = ["list_drops", "load_catalog", "load_excel", "load_reports", "run"]


def list_drops(drop_dir: Path) -> list:
    """Every file in the drop folder (loaded or not): one whose name does not fit the
    pattern is quarantined by ``load_excel`` (once: ``run`` leaves it alone afterwards, and
    says so in the log), never left there silently."""
    return _list_drops(drop_dir, ANY_NAME)


def run(
    client: SourceClient | None,
    drop_dir: Path | None,
    paths: WarehousePaths,
    until: datetime,
    since: datetime | None = None,
) -> list[LoadResult]:
    """Report changes since ``since`` (default: the ledger's watermark) up to ``until``, month
    by month; a catalog snapshot; then every dropped file not loaded yet. A province without
    the API (``client`` None) or without Excel reports (``drop_dir`` None) runs the other part."""
    results: list[LoadResult] = []
    if client is not None:
        start = since or Ledger(paths.meta).watermark(SOURCE, "bao_cao") or HISTORY_START
        for window in month_windows(start, until):
            results += load_reports(client, paths, window)
        results += load_catalog(client, paths, until)
    if drop_dir is None:
        return results
    ledger, dataset = Ledger(paths.meta), "so_lieu_excel"
    files = pending(list_drops(drop_dir), ledger, SOURCE, dataset)
    misnamed = [f for f in files if not FILE_PATTERN.fullmatch(f.path.name)]
    kept = {f.path for f in quarantined_once(misnamed, ledger, SOURCE, dataset)}
    results += [load_excel(f, paths) for f in files if f not in misnamed or f.path in kept]
    return results

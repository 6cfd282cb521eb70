"""Connector for the tourism statistics system (dulich): monthly figures by area.

A month is first published as an estimate (``UOC_TINH``) and replaced by the official
figures (``CHINH_THUC``) one or two months later. Each pull asks the months since the
ledger's watermark plus every month whose newest landed figures are still an estimate (or
had not appeared yet); a month asked again lands as a new load, so the estimate stays as
history. The last ``REVISION_MONTHS`` months are asked again on every pull: an official
figure republished with a newer ``ngay_cong_bo`` replaces the earlier one in the marts.
Load id ``thong_ke_<YYYYMM>__asof_<YYYYMMDD of until>``: re-running the same refresh
replaces its loads with identical ones.
"""

from __future__ import annotations

import logging
from datetime import datetime

import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest.common.http import SourceClient
from ingest.common.lake import live_dir
from ingest.common.ledger import Ledger
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.windows import Window
from ingest.dulich import settings
from ingest.dulich.contracts import ESTIMATE, THONG_KE_THANG
from ingest.dulich.listing import Listing, LoadSpec, asof_stamp, latest_loads, load_listing
from ingest.dulich.settings import (
    HISTORY_START,
    MONTHLY_PATH,
    PAGE_SIZE,
    REVISION_MONTHS,
    SOURCE,
)

__all__ = ["LISTING", "load_month", "months_to_ask", "run", "settings"]

log = logging.getLogger(__name__)

DATASET, CONTRACT = THONG_KE_THANG.dataset, THONG_KE_THANG
LISTING = Listing(SOURCE, DATASET, MONTHLY_PATH, CONTRACT.schema, CONTRACT.key, CONTRACT.required)


def month_window(month: datetime) -> Window:
    start = month.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return Window(start, end)


def load_month(
    client: SourceClient,
    paths: WarehousePaths,
    month: datetime,
    until: datetime,
    page_size: int = PAGE_SIZE,
) -> LoadResult:
    """One month's figures as the source lists them now → one load."""
    window = month_window(month)
    spec = LoadSpec(
        load_id=f"thong_ke_{window.start:%Y%m}__{asof_stamp(until)}",
        params={"nam": window.start.year, "thang": window.start.month},
        window=window,
        as_of=until,
    )
    return load_listing(client, paths, LISTING, spec, page_size)


def pending_estimates(paths: WarehousePaths) -> list[datetime]:
    """Months whose newest landed load holds an estimate, or nothing yet (not published)."""
    newest: dict[datetime, dict] = {}
    for load_id, e in latest_loads(paths, SOURCE, DATASET).items():
        month = e["window_start"]
        if month is None:
            continue
        held = newest.get(month)
        if held is None or (load_id, e["started_at"]) > (held["load_id"], held["started_at"]):
            newest[month] = e
    out = []
    for month, e in sorted(newest.items()):
        folder = live_dir(paths.lake, SOURCE, DATASET, e["load_id"])
        if e["status"] != "success" or not folder.exists():
            out.append(month)
            continue
        kinds = pq.read_table(folder, columns=["loai_so_lieu"])["loai_so_lieu"]
        if len(kinds) == 0 or pc.any(pc.equal(kinds, ESTIMATE)).as_py():
            out.append(month)
    return out


def months_to_ask(paths: WarehousePaths, until: datetime, since: datetime | None) -> list[datetime]:
    """From ``since`` (default: the watermark, else 2022-01) to the month before ``until``'s,
    plus (unless ``since`` is given) the last ``REVISION_MONTHS`` months (republished figures)
    and the months still holding an estimate."""
    start = since or Ledger(paths.meta).watermark(SOURCE, DATASET) or HISTORY_START
    last = month_window(until).start  # exclusive: the month ``until`` falls in
    if since is None:
        back = last.year * 12 + last.month - 1 - REVISION_MONTHS
        start = min(start, max(datetime(back // 12, back % 12 + 1, 1), HISTORY_START))
    asked: set[datetime] = set()
    cursor = month_window(start).start
    while cursor < last:
        asked.add(cursor)
        cursor = month_window(cursor).end
    asked.update(m for m in pending_estimates(paths) if m < last)
    return sorted(asked)


def run(
    client: SourceClient,
    paths: WarehousePaths,
    until: datetime,
    since: datetime | None = None,
    *,
    page_size: int = PAGE_SIZE,
) -> list[LoadResult]:
    """The months to ask (see ``months_to_ask``), one load each."""
    return [
        load_month(client, paths, month, until, page_size)
        for month in months_to_ask(paths, until, since)
    ]

"""Connector for the education database (giaoduc): schools by school year, exam results.

``truong``: one load per school year per pull (``truong_<2023_2024>__asof_<YYYYMMDD>``);
a pull asks every started school year that is not closed yet (its figures may still be
updated), closed less than ``REVISION_YEARS`` ago (corrections) or never landed.
``ket_qua_tot_nghiep``: one load per exam year from July of that year
(``ket_qua_<YYYY>__asof_<YYYYMMDD>``), asked until results have landed and for
``REVISION_YEARS`` after their publication. Every version lands; dbt takes the newest. ``since``
re-asks every period ending after it. Re-running the same refresh gives the same loads.
"""

from __future__ import annotations

from datetime import datetime

from ingest.common.http import SourceClient
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.windows import Window
from ingest.dulich.listing import Listing, LoadSpec, asof_stamp, latest_loads, load_listing
from ingest.giaoduc import settings
from ingest.giaoduc.contracts import KET_QUA_TOT_NGHIEP, TRUONG
from ingest.giaoduc.settings import (
    CLOSES_MONTH,
    EXAM_PATH,
    FIRST_EXAM_YEAR,
    FIRST_SCHOOL_YEAR,
    PAGE_SIZE,
    REVISION_YEARS,
    SCHOOLS_PATH,
    SOURCE,
)

__all__ = ["EXAMS", "SCHOOLS", "load_exam_year", "load_school_year", "run", "settings"]

SCHOOLS_DATASET, EXAM_DATASET = TRUONG.dataset, KET_QUA_TOT_NGHIEP.dataset
SCHOOLS = Listing(SOURCE, SCHOOLS_DATASET, SCHOOLS_PATH, TRUONG.schema, TRUONG.key, TRUONG.required)
EXAMS = Listing(
    SOURCE,
    EXAM_DATASET,
    EXAM_PATH,
    KET_QUA_TOT_NGHIEP.schema,
    KET_QUA_TOT_NGHIEP.key,
    KET_QUA_TOT_NGHIEP.required,
)


def school_year_window(start: int) -> Window:
    return Window(datetime(start, 9, 1), datetime(start + 1, 9, 1))


def load_school_year(
    client: SourceClient,
    paths: WarehousePaths,
    start: int,
    until: datetime,
    page_size: int = PAGE_SIZE,
) -> LoadResult:
    spec = LoadSpec(
        load_id=f"truong_{start}_{start + 1}__{asof_stamp(until)}",
        params={"nam_hoc": f"{start}-{start + 1}"},
        window=school_year_window(start),
        as_of=until,
    )
    return load_listing(client, paths, SCHOOLS, spec, page_size)


def load_exam_year(
    client: SourceClient,
    paths: WarehousePaths,
    year: int,
    until: datetime,
    page_size: int = PAGE_SIZE,
) -> LoadResult:
    spec = LoadSpec(
        load_id=f"ket_qua_{year}__{asof_stamp(until)}",
        params={"nam": year},
        window=Window(datetime(year, 1, 1), datetime(year + 1, 1, 1)),
        as_of=until,
        check_window=False,  # results carry no date to check against the year
    )
    return load_listing(client, paths, EXAMS, spec, page_size)


def _landed(paths: WarehousePaths, dataset: str) -> dict[datetime, dict]:
    """Per period (window start): the newest load still in the lake (success) or None if
    its newest load was rejected."""
    newest: dict[datetime, dict] = {}
    for load_id, e in latest_loads(paths, SOURCE, dataset).items():
        start = e["window_start"]
        held = newest.get(start)
        if held is None or (load_id, e["started_at"]) > (held["load_id"], held["started_at"]):
            newest[start] = e
    return {k: v for k, v in newest.items() if v["status"] == "success"}


def school_years_to_ask(
    paths: WarehousePaths, until: datetime, since: datetime | None
) -> list[int]:
    landed = _landed(paths, SCHOOLS_DATASET)
    out = []
    for start in range(FIRST_SCHOOL_YEAR, until.year + 1):
        window = school_year_window(start)
        if window.start > until:
            break
        entry = landed.get(window.start)
        closes = datetime(start + 1 + REVISION_YEARS, CLOSES_MONTH, 1)
        closed = entry is not None and entry["load_id"].split("__asof_")[1] >= f"{closes:%Y%m%d}"
        if not closed or (since is not None and window.end > since):
            out.append(start)
    return out


def exam_years_to_ask(paths: WarehousePaths, until: datetime, since: datetime | None) -> list[int]:
    landed = _landed(paths, EXAM_DATASET)
    out = []
    for year in range(FIRST_EXAM_YEAR, until.year + 1):
        if until < datetime(year, 7, 1):
            break
        entry = landed.get(datetime(year, 1, 1))
        done = (
            entry is not None
            and entry["rows_loaded"] + entry["rows_quarantined"] > 0
            and entry["load_id"].split("__asof_")[1] >= f"{year + REVISION_YEARS}0701"
        )
        if not done or (since is not None and datetime(year + 1, 1, 1) > since):
            out.append(year)
    return out


def run(
    client: SourceClient,
    paths: WarehousePaths,
    until: datetime,
    since: datetime | None = None,
    *,
    page_size: int = PAGE_SIZE,
) -> list[LoadResult]:
    """The open school years and the exam years without results, one load each."""
    years = school_years_to_ask(paths, until, since)
    exams = exam_years_to_ask(paths, until, since)
    return [load_school_year(client, paths, y, until, page_size) for y in years] + [
        load_exam_year(client, paths, y, until, page_size) for y in exams
    ]

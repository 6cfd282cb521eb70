"""HTTP endpoints of the giaoduc source (sources.md §5), served under /giaoduc.

``GET /api/v1/truong?nam_hoc=2023-2024`` lists the schools of a school year as last updated
by the world clock's time (empty before its opening); ``GET /api/v1/ket-qua-tot-nghiep?nam=``
the graduation exam results of a year, from their publication in July. ``report(lo, hi)``
covers the school years starting (1 September) in [lo, hi) and the exams of the years
whose 1 July lies in [lo, hi).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from simulator.admin_units import load_demo_units
from simulator.clock import from_local_seconds, local_seconds
from simulator.dulich.listing import SpoilRules, listing_report, respond
from simulator.dulich.versions import VersionRules
from simulator.giaoduc.corrections import late_corrections
from simulator.giaoduc.figures import (
    EXAM_RESULTS,
    EducationWorld,
    parse_school_year,
    school_year,
)
from simulator.giaoduc.schools import FIRST_YEAR, LAST_YEAR
from simulator.web import SourceContext, error, token_endpoint

SCHOOLS_PATH = "/api/v1/truong"
EXAM_PATH = "/api/v1/ket-qua-tot-nghiep"
SCHOOL_RULES = SpoilRules(
    key_fields=("ma_truong", "ngay_cap_nhat"),
    number_fields=(
        "so_lop",
        "so_hoc_sinh",
        "so_hoc_sinh_nu",
        "so_giao_vien",
        "so_giao_vien_dat_chuan",
    ),
    code_field="ma_dvhc",
    unknown_prefix="99",
    unknown_digits=3,
    versions=VersionRules(
        key_fields=("ma_truong",),
        adjust=("so_hoc_sinh", "so_hoc_sinh_nu"),
        time_field="ngay_cap_nhat",
    ),
)
EXAM_RULES = SpoilRules(
    key_fields=("ma_truong",),
    number_fields=("thi_sinh_du_thi", "thi_sinh_tot_nghiep"),
    code_field="ma_truong",
    unknown_prefix="99",
    unknown_digits=6,
    versions=VersionRules(
        key_fields=("ma_truong",), adjust=("thi_sinh_du_thi", "thi_sinh_tot_nghiep")
    ),
)


class GiaoDucService:
    name = "giaoduc"

    def __init__(self, ctx: SourceContext, world: EducationWorld | None = None) -> None:
        self.ctx = ctx
        self._world = world

    @property
    def world(self) -> EducationWorld:
        if self._world is None:  # built on first use: the app starts fast
            self._world = EducationWorld(self.ctx.seed, load_demo_units(province=self.ctx.province))
        return self._world

    def schools(self, start: int) -> tuple[tuple, list[dict]]:
        as_of = self.ctx.clock.as_of_sec
        key = ("truong", start, self.world.version(start, as_of))
        rows = self.world.served(start, as_of)
        return key, late_corrections(self.world, start, rows, self.ctx.faults.config, as_of)

    def exams(self, year: int) -> tuple[tuple, list[dict]]:
        rows = self.world.exam_served(year, self.ctx.clock.as_of_sec)
        return ("ket-qua", year, bool(rows)), rows

    def report(self, lo: int, hi: int) -> dict:
        """What is held as of the clock, spoiled by the current faults, and served."""
        years, exams, malformed, unknown = [], [], [], []
        for start in range(FIRST_YEAR, LAST_YEAR + 1):
            if lo <= local_seconds(datetime(start, 9, 1)) < hi:
                key, rows = self.schools(start)
                one = listing_report(self.ctx, key, rows, SCHOOL_RULES)
                years.append({"nam_hoc": school_year(start), "phien_ban": key[-1], **_counts(one)})
                malformed += [{"nam_hoc": school_year(start), **m} for m in one["malformed"]]
                unknown += [{"nam_hoc": school_year(start), **m} for m in one["unknown_codes"]]
        for year in sorted(EXAM_RESULTS):
            if lo <= local_seconds(datetime(year, 7, 1)) < hi:
                key, rows = self.exams(year)
                one = listing_report(self.ctx, key, rows, EXAM_RULES)
                exams.append({"nam": year, **_counts(one)})
                malformed += [{"nam": year, **m} for m in one["malformed"]]
                unknown += [{"nam": year, **m} for m in one["unknown_codes"]]
        return {
            "as_of": from_local_seconds(self.ctx.clock.as_of_sec).isoformat(),
            "truong": years,
            "ket_qua_tot_nghiep": exams,
            "records": sum(y["records"] for y in years) + sum(e["records"] for e in exams),
            "malformed": malformed,
            "unknown_codes": unknown,
            "faults": self.ctx.faults.config.to_dict(),
            "injected": dict(self.ctx.faults.counts),
        }

    def router(self) -> APIRouter:
        r = APIRouter(prefix=f"/{self.name}")

        @r.post("/oauth/token")
        async def token(request: Request) -> Response:
            return await token_endpoint(self.ctx, request)

        @r.get(SCHOOLS_PATH)
        async def truong(request: Request) -> Response:
            try:
                start = parse_school_year(request.query_params.get("nam_hoc", ""))
            except ValueError as e:
                return error(400, "invalid_parameter", str(e))
            key, rows = await run_in_threadpool(self.schools, start)
            return await respond(self.ctx, request, key, lambda: rows, SCHOOL_RULES)

        @r.get(EXAM_PATH)
        async def ket_qua(request: Request) -> Response:
            try:
                year = int(request.query_params["nam"])
            except (KeyError, ValueError):
                return error(400, "invalid_parameter", "Thiếu hoặc sai tham số nam (số nguyên).")
            key, rows = await run_in_threadpool(self.exams, year)
            return await respond(self.ctx, request, key, lambda: rows, EXAM_RULES)

        return r


def _counts(one: dict) -> dict:
    return {"records": one["records"], "served": one["served"]}

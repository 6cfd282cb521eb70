"""HTTP endpoints of the dulich source (sources.md §4), served under /dulich.

``GET /api/v1/thong-ke-thang?nam=&thang=`` lists a month's figures as published at the
world clock's time: nothing before the estimate, then the estimate, then only the official
figures. ``report(lo, hi)`` covers the months whose first day lies in [lo, hi).
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response

from simulator.clock import day_number, from_local_seconds
from simulator.dulich.listing import SpoilRules, listing_report, respond
from simulator.dulich.versions import VersionRules
from simulator.dulich.world import TourismWorld
from simulator.web import SourceContext, error, token_endpoint

PATH = "/api/v1/thong-ke-thang"
RULES = SpoilRules(
    key_fields=("ky", "ma_dvhc", "loai_so_lieu"),
    number_fields=(
        "tong_luot_khach",
        "khach_quoc_te",
        "khach_noi_dia",
        "khach_luu_tru",
        "ngay_khach_luu_tru",
        "doanh_thu_ty_dong",
        "cong_suat_phong_pct",
        "so_co_so_luu_tru",
    ),
    code_field="ma_dvhc",
    unknown_prefix="99",
    unknown_digits=3,
    versions=VersionRules(
        key_fields=("ky", "ma_dvhc", "loai_so_lieu"),
        adjust=("tong_luot_khach", "khach_noi_dia"),
        time_field="ngay_cong_bo",
    ),
)


def month_params(request: Request) -> tuple[int, int]:
    q = request.query_params
    try:
        year, month = int(q["nam"]), int(q["thang"])
    except KeyError as e:
        raise ValueError("Thiếu tham số nam hoặc thang.") from e
    except ValueError as e:
        raise ValueError("nam và thang phải là số nguyên.") from e
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError("nam phải trong khoảng 2000..2100, thang trong khoảng 1..12.")
    return year, month


class DuLichService:
    name = "dulich"

    def __init__(self, ctx: SourceContext, world: TourismWorld | None = None) -> None:
        self.ctx = ctx
        self.world = world or TourismWorld(ctx.seed, ctx.province)

    def listing(self, year: int, month: int) -> tuple[tuple, list[dict]]:
        """The listing key (month and version) and rows as of the clock."""
        as_of = self.ctx.clock.as_of_sec
        kind = self.world.version(year, month, as_of)
        return ("thong-ke-thang", year, month, kind), self.world.served(year, month, as_of)

    def report(self, lo: int, hi: int) -> dict:
        """Per month starting in [lo, hi): the version published and rows held as of the
        clock, the values spoiled by the current faults, and what was served of it."""
        out_months, malformed, unknown = [], [], []
        first = from_local_seconds(lo).date().replace(day=1)
        y, m = first.year, first.month
        while day_number(date(y, m, 1)) * 86_400 < hi:
            if day_number(date(y, m, 1)) * 86_400 >= lo:
                key, rows = self.listing(y, m)
                one = listing_report(self.ctx, key, rows, RULES)
                estimate, official = self.world.published(y, m)
                out_months.append(
                    {
                        "ky": f"{y}-{m:02d}",
                        "loai_so_lieu": key[-1],
                        "records": one["records"],
                        "uoc_tinh_cong_bo": from_local_seconds(estimate).isoformat(),
                        "chinh_thuc_cong_bo": from_local_seconds(official).isoformat(),
                        "served": one["served"],
                    }
                )
                malformed += one["malformed"]
                unknown += one["unknown_codes"]
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return {
            "as_of": from_local_seconds(self.ctx.clock.as_of_sec).isoformat(),
            "records": sum(x["records"] for x in out_months),
            "months": out_months,
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

        @r.get(PATH)
        async def thong_ke_thang(request: Request) -> Response:
            try:
                year, month = month_params(request)
            except ValueError as e:
                return error(400, "invalid_parameter", str(e))
            key, rows = self.listing(year, month)
            return await respond(self.ctx, request, key, lambda: rows, RULES)

        return r

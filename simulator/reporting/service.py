"""HTTP endpoints of the reporting source (sources.md §1), served under /reporting, and its
Excel drop (files of the units that do not use the API)."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict

import orjson
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from simulator.admin_units import load_demo_units
from simulator.clock import parse_instant
from simulator.paging import page_slice
from simulator.reporting import corrupt
from simulator.reporting.catalog import indicators_json, sets_json
from simulator.reporting.drop import write_drop
from simulator.reporting.report import window_report
from simulator.reporting.rows import Query, Row, row_json
from simulator.reporting.versions import listing
from simulator.reporting.world import ReportingWorld
from simulator.web import (
    BadRequest,
    SourceContext,
    error,
    guard,
    json_bytes,
    paging,
    token_endpoint,
)

KINDS = ("THANG", "QUY", "6THANG", "9THANG", "NAM")


def parse_query(request: Request) -> Query:
    q = request.query_params
    try:
        nam = int(q["nam"]) if q.get("nam") else None
        so_ky = int(q["so_ky"]) if q.get("so_ky") else None
    except ValueError as e:
        raise BadRequest("nam và so_ky phải là số nguyên.") from e
    kind = q.get("ky_bao_cao") or None
    if kind is not None and kind not in KINDS:
        raise BadRequest(f"ky_bao_cao phải là một trong {', '.join(KINDS)}.")
    since = None
    if q.get("cap_nhat_tu"):
        try:
            since = parse_instant(q["cap_nhat_tu"])
        except ValueError as e:
            raise BadRequest("cap_nhat_tu phải theo ISO 8601 (…+07:00).") from e
    return Query(nam, kind, so_ky, since)


def envelope(items: list, page: int, size: int, total: int, pages: int) -> bytes:
    return orjson.dumps(
        {"data": items, "page": page, "page_size": size, "total": total, "total_pages": pages}
    )


class ReportingService:
    name = "reporting"

    def __init__(self, ctx: SourceContext, world: ReportingWorld | None = None) -> None:
        self.ctx = ctx
        self.world = world or ReportingWorld(ctx.seed, load_demo_units(province=ctx.province))
        self._cache: OrderedDict[tuple, list[Row]] = OrderedDict()
        self._lock = threading.Lock()
        self._served: Counter[tuple[str, int, int]] = Counter()  # (ma_bao_cao, phien_ban, at)
        self._served_version = -1

    # -- data ------------------------------------------------------------------------
    def rows(self, q: Query) -> list[Row]:
        key = (self.ctx.clock.as_of_sec, q, self.ctx.faults.version)
        with self._lock:
            hit = self._cache.get(key)
        if hit is None:
            hit = listing(self.world, key[0], q, self.ctx.faults.config)
            with self._lock:
                self._cache[key] = hit
                while len(self._cache) > 16:
                    self._cache.popitem(last=False)
        return hit

    def render(self, rows: list[Row]) -> list[dict]:
        cfg = self.ctx.faults.config
        bad, unknown = corrupt.decide(cfg, [r.key for r in rows])
        out = []
        for i, row in enumerate(rows):
            clean = row_json(row, self.ctx.seed)
            found = corrupt.for_row(cfg, row.key, clean, bool(bad[i]), bool(unknown[i]))
            if found:
                self.ctx.faults.count("spoiled_reports")
            out.append(corrupt.apply(clean, found))
        return out

    def page(self, q: Query, page: int, size: int, attempt: int) -> bytes:
        rows = self.rows(q)
        faults = self.ctx.faults
        qkey = (self.name, q.nam, q.ky_bao_cao, q.so_ky, q.cap_nhat_tu)
        sl = page_slice(len(rows), faults.page_layout(qkey, len(rows), size), page, size)
        chosen = sl.rows
        if not sl.is_last:
            chosen = chosen[: faults.short_length((*qkey, page, size), attempt, len(chosen))]
            if len(chosen) < len(sl.rows):
                faults.count("short_page")
        sent = [rows[i] for i in chosen.tolist()]
        self._mark(sent)
        return envelope(self.render(sent), page, size, sl.total, sl.total_pages)

    def _mark(self, sent: list[Row]) -> None:
        with self._lock:
            if self._served_version != self.ctx.faults.version:
                self._served.clear()
                self._served_version = self.ctx.faults.version
            self._served.update((r.report.code, r.version, r.step.at) for r in sent)

    def served(self, lo: int, hi: int) -> dict:
        with self._lock:
            hits = {k: n for k, n in self._served.items() if lo <= k[2] < hi}
        return {"rows": sum(hits.values()), "distinct": len(hits)}

    def report(self, lo: int, hi: int) -> dict:
        out = window_report(self.world, self.ctx.faults.config, self.ctx.clock.as_of_sec, lo, hi)
        out["injected"] = dict(self.ctx.faults.counts)
        out["served"] = self.served(lo, hi)
        return out

    def drop(self, as_of_sec: int) -> list[str]:
        assert self.ctx.drop_dir is not None
        return write_drop(self.world, self.ctx.faults.config, as_of_sec, self.ctx.drop_dir)

    # -- HTTP ------------------------------------------------------------------------
    def _catalog(self, items: list[dict]):
        async def endpoint(request: Request) -> Response:
            try:
                page, size = paging(request, default_size=1000)
            except BadRequest as e:
                return error(400, "invalid_parameter", str(e))
            key = (request.url.path, page, size)
            attempt = await guard(self.ctx, request, key)
            if isinstance(attempt, Response):
                return attempt
            total = len(items)
            body = envelope(
                items[(page - 1) * size : page * size], page, size, total, -(-total // size)
            )
            return json_bytes(body)

        return endpoint

    def router(self) -> APIRouter:
        r = APIRouter(prefix=f"/{self.name}")

        @r.post("/oauth/token")
        async def token(request: Request) -> Response:
            return await token_endpoint(self.ctx, request)

        r.add_api_route("/api/v1/bo-chi-tieu", self._catalog(sets_json()), methods=["GET"])
        r.add_api_route("/api/v1/chi-tieu", self._catalog(indicators_json()), methods=["GET"])

        @r.get("/api/v1/bao-cao")
        async def bao_cao(request: Request) -> Response:
            try:
                q = parse_query(request)
                page, size = paging(request)
            except BadRequest as e:
                return error(400, "invalid_parameter", str(e))
            key = ("bao-cao", q.nam, q.ky_bao_cao, q.so_ky, q.cap_nhat_tu, page, size)
            attempt = await guard(self.ctx, request, key)
            if isinstance(attempt, Response):
                return attempt
            return json_bytes(await run_in_threadpool(self.page, q, page, size, attempt))

        return r

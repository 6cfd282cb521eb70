"""HTTP endpoints of the dichvucong source (sources.md §2), served under /dichvucong.

Pages are rendered in a worker thread; after serving page p the next page is rendered ahead
(as a first attempt would see it), so the server builds page p+1 while the client parses p.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import orjson
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from simulator.admin_units import load_demo_units
from simulator.dichvucong.api import procedures
from simulator.dichvucong.corrupt import corruptions, overrides
from simulator.dichvucong.jsonpage import fragments, page_bytes, records_json
from simulator.dichvucong.report import window_report
from simulator.dichvucong.versions import revisions, with_copies
from simulator.dichvucong.window import WindowRecords
from simulator.dichvucong.world import DossierWorld
from simulator.paging import PageSlice, page_slice
from simulator.web import (
    BadRequest,
    SourceContext,
    error,
    guard,
    json_bytes,
    paging,
    token_endpoint,
    window_bounds,
)

READY_AHEAD = 4  # rendered pages kept waiting for their request


class DichVuCongService:
    name = "dichvucong"

    def __init__(self, ctx: SourceContext, world: DossierWorld | None = None) -> None:
        self.ctx = ctx
        self.world = world or DossierWorld(
            ctx.seed, ctx.scale, units=load_demo_units(province=ctx.province)
        )
        self.frag = fragments(self.world)
        self.catalog = procedures()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dichvucong-ahead")
        self._ready: OrderedDict[tuple, Future[tuple[bytes, int]]] = OrderedDict()
        self._lock = threading.Lock()

    def _plan(
        self, lo: int, hi: int, page: int, size: int, attempt: int
    ) -> tuple[WindowRecords, PageSlice, np.ndarray, tuple]:
        """The window, the page, the rows this attempt sends and a key for its bytes."""
        w = self.world.window(lo, hi)
        faults = self.ctx.faults
        sl = page_slice(w.n, faults.page_layout((self.name, lo, hi), w.n, size), page, size)
        rows = sl.rows
        if not sl.is_last:
            rows = rows[: faults.short_length((self.name, lo, hi, page, size), attempt, len(rows))]
        first = int(rows[0]) if len(rows) else -1
        return w, sl, rows, (lo, hi, page, size, first, len(rows), faults.version)

    def _render(self, w: WindowRecords, sl: PageSlice, rows: np.ndarray) -> tuple[bytes, int]:
        spoiled = overrides(corruptions(self.world, w, rows, self.ctx.faults))
        recs = records_json(self.world, self.frag, w, rows, spoiled)
        recs = with_copies(self.world, w, rows, recs, self.ctx.faults.config)
        if sl.is_last:  # revisions of dossiers closed before the window: after its records
            recs += revisions(self.world, w.lo, w.hi, self.ctx.faults.config)
        return page_bytes(recs, sl.page, sl.page_size, sl.total, sl.total_pages), len(spoiled)

    def page(self, lo: int, hi: int, page: int, size: int, attempt: int) -> bytes:
        w, sl, rows, key = self._plan(lo, hi, page, size, attempt)
        with self._lock:
            ahead = self._ready.pop(key, None)
        body, spoiled = ahead.result() if ahead else self._render(w, sl, rows)
        if len(rows) < len(sl.rows):
            self.ctx.faults.count("short_page")
        if spoiled:
            self.ctx.faults.count("spoiled_records", spoiled)
        self.ctx.served.mark((self.name, lo, hi), w.n, rows)
        if not sl.is_last:
            self._render_ahead(lo, hi, page + 1, size)
        return body

    def _render_ahead(self, lo: int, hi: int, page: int, size: int) -> None:
        w, sl, rows, key = self._plan(lo, hi, page, size, 0)
        with self._lock:
            if key in self._ready:
                return
            self._ready[key] = self._pool.submit(self._render, w, sl, rows)
            while len(self._ready) > READY_AHEAD:
                self._ready.popitem(last=False)

    def report(self, lo: int, hi: int) -> dict:
        out = window_report(self.world, self.ctx.faults, lo, hi)
        out["served"] = self.ctx.served.summary((self.name, lo, hi))
        return out

    def router(self) -> APIRouter:
        r = APIRouter(prefix=f"/{self.name}")

        @r.post("/oauth/token")
        async def token(request: Request) -> Response:
            return await token_endpoint(self.ctx, request)

        @r.get("/api/v1/ho-so")
        async def ho_so(request: Request) -> Response:
            try:
                lo, hi = window_bounds(request)
                page, size = paging(request)
            except BadRequest as e:
                return error(400, "invalid_parameter", str(e))
            attempt = await guard(self.ctx, request, ("ho-so", lo, hi, page, size))
            if isinstance(attempt, Response):
                return attempt
            return json_bytes(await run_in_threadpool(self.page, lo, hi, page, size, attempt))

        @r.get("/api/v1/thu-tuc")
        async def thu_tuc(request: Request) -> Response:
            try:
                page, size = paging(request, default_size=1000)
            except BadRequest as e:
                return error(400, "invalid_parameter", str(e))
            attempt = await guard(self.ctx, request, ("thu-tuc", page, size))
            if isinstance(attempt, Response):
                return attempt
            items = self.catalog[(page - 1) * size : page * size]
            total = len(self.catalog)
            pages = -(-total // size)
            return json_bytes(
                orjson.dumps(
                    {
                        "data": items,
                        "page": page,
                        "page_size": size,
                        "total": total,
                        "total_pages": pages,
                    }
                )
            )

        return r

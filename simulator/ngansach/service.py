"""The ngansach source: monthly CSV exports dropped into a folder (no HTTP data endpoints;
the token endpoint is kept so the source looks like the others to the app)."""

from __future__ import annotations

import threading

from fastapi import APIRouter, Request, Response

from simulator.admin_units import load_demo_units
from simulator.ngansach.api import drop_files, report, write_drop
from simulator.ngansach.world import BudgetWorld
from simulator.web import SourceContext, token_endpoint


class NganSachService:
    name = "ngansach"

    def __init__(self, ctx: SourceContext) -> None:
        self.ctx = ctx
        # a province's units are fixed: scale is not used
        self.world = BudgetWorld(ctx.seed, load_demo_units(province=ctx.province))
        self._lock = threading.Lock()

    def drop(self, as_of_sec: int) -> list[str]:
        """Write the files published by ``as_of_sec`` with the current fault config."""
        if self.ctx.drop_dir is None:
            return []
        with self._lock:
            files = drop_files(self.world, as_of_sec, self.ctx.faults.config)
            written = write_drop(self.ctx.drop_dir, files)
            for f in files:
                if f.name in written:
                    self._count(f)
            return written

    def _count(self, f) -> None:
        r = self.ctx.faults
        if f.rendered.file_defect:
            r.count(f.rendered.file_defect)
        for s in (*f.rendered.malformed, *f.rendered.unknown_codes):
            r.count(s.kind)

    def report(self, lo: int, hi: int) -> dict:
        """File versions exported in [lo, hi) by the clock's now, as ``drop`` writes them."""
        return report(self.world, lo, hi, self.ctx.clock.as_of_sec, self.ctx.faults.config)

    def router(self) -> APIRouter:
        r = APIRouter(prefix=f"/{self.name}")

        @r.post("/oauth/token")
        async def token(request: Request) -> Response:
            return await token_endpoint(self.ctx, request)

        return r

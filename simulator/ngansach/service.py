"""HTTP endpoints of the ngansach source (placeholder: token endpoint only, being built)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from simulator.web import SourceContext, token_endpoint


class NganSachService:
    name = "ngansach"

    def __init__(self, ctx: SourceContext) -> None:
        self.ctx = ctx

    def report(self, lo: int, hi: int) -> dict:
        return {}

    def router(self) -> APIRouter:
        r = APIRouter(prefix=f"/{self.name}")

        @r.post("/oauth/token")
        async def token(request: Request) -> Response:
            return await token_endpoint(self.ctx, request)

        return r

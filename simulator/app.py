"""The FastAPI app: every enabled source under /<source>, plus /healthz and /_sim admin."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import orjson
from fastapi import APIRouter, FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from simulator.auth import TokenStore
from simulator.faults import FaultConfig, FaultState
from simulator.paging import ServedLog
from simulator.web import BadRequest, SourceContext, error, json_bytes, window_bounds

# One module per source; add the other sources of sources.md here as they are built.
SOURCE_FACTORIES: Mapping[str, str] = {
    "dichvucong": "simulator.dichvucong.service:DichVuCongService",
}


class SourceService(Protocol):
    name: str
    ctx: SourceContext

    def router(self) -> APIRouter: ...

    def report(self, lo: int, hi: int) -> dict: ...


@dataclass(frozen=True)
class Settings:
    client_id: str
    client_secret: str
    seed: int = 56
    scale: float = 0.1
    token_ttl: float = 3600.0
    sources: tuple[str, ...] = tuple(SOURCE_FACTORIES)
    faults: Mapping[str, FaultConfig] = field(default_factory=dict)


def make_service(name: str, settings: Settings) -> SourceService:
    if name not in SOURCE_FACTORIES:
        raise ValueError(f"unknown source {name!r}; known: {', '.join(SOURCE_FACTORIES)}")
    module, _, cls = SOURCE_FACTORIES[name].partition(":")
    ctx = SourceContext(
        name=name,
        seed=settings.seed,
        scale=settings.scale,
        tokens=TokenStore(settings.client_id, settings.client_secret, settings.token_ttl),
        faults=FaultState(settings.faults.get(name)),
        served=ServedLog(),
    )
    return getattr(importlib.import_module(module), cls)(ctx)


def parse_faults(
    data: Mapping[str, object], known: set[str] | None = None
) -> dict[str, FaultConfig]:
    """{source: {setting: value}} -> {source: FaultConfig}; None/{} resets a source."""
    out = {}
    for name, cfg in data.items():
        if known is not None and name not in known:
            raise ValueError(f"unknown source {name!r}")
        if cfg is not None and not isinstance(cfg, dict):
            raise ValueError(f"faults of {name!r} must be an object")
        out[name] = FaultConfig.from_dict(cfg)
    return out


def build_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="IOC source simulator", docs_url=None, redoc_url=None, openapi_url=None)
    services = {name: make_service(name, settings) for name in settings.sources}
    for service in services.values():
        app.include_router(service.router())
    app.state.services = services

    def all_faults() -> Response:
        return json_bytes(
            orjson.dumps(
                {
                    n: {
                        "config": s.ctx.faults.config.to_dict(),
                        "injected": dict(s.ctx.faults.counts),
                    }
                    for n, s in services.items()
                }
            )
        )

    @app.get("/healthz")
    async def healthz() -> Response:
        return json_bytes(
            orjson.dumps(
                {
                    "status": "ok",
                    "sources": list(services),
                    "seed": settings.seed,
                    "scale": settings.scale,
                }
            )
        )

    @app.get("/_sim/faults")
    async def get_faults() -> Response:
        return all_faults()

    @app.post("/_sim/faults")
    async def set_faults(request: Request) -> Response:
        try:
            body = orjson.loads(await request.body())
            if not isinstance(body, dict):
                raise ValueError("body must be a JSON object {source: {setting: value}}")
            configs = parse_faults(body, set(services))
        except (ValueError, TypeError, orjson.JSONDecodeError) as e:
            return error(400, "invalid_parameter", str(e))
        for name, cfg in configs.items():
            services[name].ctx.faults.set(cfg)
            services[name].ctx.served.clear()
        return all_faults()

    @app.delete("/_sim/faults")
    async def reset_faults() -> Response:
        for service in services.values():
            service.ctx.faults.set(FaultConfig())
            service.ctx.served.clear()
        return all_faults()

    @app.get("/_sim/{source}/report")
    async def report(source: str, request: Request) -> Response:
        if source not in services:
            return error(404, "not_found", f"Không có nguồn {source}.")
        try:
            lo, hi = window_bounds(request)
        except BadRequest as e:
            return error(400, "invalid_parameter", str(e))
        out = await run_in_threadpool(services[source].report, lo, hi)
        return json_bytes(orjson.dumps(out))

    return app

"""The FastAPI app: every enabled source under /<source>, plus /healthz and /_sim admin."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

import orjson
from fastapi import APIRouter, FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from simulator.auth import TokenStore
from simulator.clock import AS_OF, WorldClock, from_local_seconds, local_seconds, parse_instant
from simulator.faults import FaultConfig, FaultState
from simulator.paging import ServedLog
from simulator.web import BadRequest, SourceContext, error, json_bytes, window_bounds

# One module per source of sources.md.
SOURCE_FACTORIES: Mapping[str, str] = {
    "reporting": "simulator.reporting.service:ReportingService",
    "dichvucong": "simulator.dichvucong.service:DichVuCongService",
    "ngansach": "simulator.ngansach.service:NganSachService",
    "dulich": "simulator.dulich.service:DuLichService",
    "giaoduc": "simulator.giaoduc.service:GiaoDucService",
}


class SourceService(Protocol):
    name: str
    ctx: SourceContext

    def router(self) -> APIRouter: ...

    def report(self, lo: int, hi: int) -> dict: ...


class DropSource(Protocol):
    """A source that delivers files: ``drop`` writes every file published by ``as_of_sec``
    into ``ctx.drop_dir`` (atomically, unchanged files left alone) and returns their names."""

    def drop(self, as_of_sec: int) -> list[str]: ...


@dataclass(frozen=True)
class Settings:
    client_id: str
    client_secret: str
    seed: int = 56
    scale: float = 0.1
    token_ttl: float = 3600.0
    sources: tuple[str, ...] = tuple(SOURCE_FACTORIES)
    faults: Mapping[str, FaultConfig] = field(default_factory=dict)
    as_of: datetime = AS_OF  # the simulated "now" (POST /_sim/clock moves it)
    drop_dir: Path | None = None  # file sources drop into <drop_dir>/<source>/
    province: str = "56"  # whose systems these are (GSO code after 2025-07-01)
    # Multi-province mode (simulator/provinces.py): these provinces' systems, each under
    # /<code>/<source>, volumes by population; empty = the one province at /<source>.
    provinces: tuple[str, ...] = ()


def make_services(settings: Settings) -> dict[str, SourceService]:
    clock = WorldClock(local_seconds(settings.as_of))
    return {name: make_service(name, settings, clock) for name in settings.sources}


def make_service(name: str, settings: Settings, clock: WorldClock) -> SourceService:
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
        clock=clock,
        drop_dir=settings.drop_dir / name if settings.drop_dir else None,
        province=settings.province,
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
    if settings.provinces:
        return build_provinces_app(settings)
    app = FastAPI(title="IOC source simulator", docs_url=None, redoc_url=None, openapi_url=None)
    services = make_services(settings)
    for service in services.values():
        app.include_router(service.router())
    app.state.services = services
    clock = next(iter(services.values())).ctx.clock if services else WorldClock()

    def drop_all() -> dict[str, list[str]]:
        """Every file source writes what is published by the clock's time."""
        return {
            name: s.drop(clock.as_of_sec)  # type: ignore[attr-defined]
            for name, s in services.items()
            if hasattr(s, "drop") and s.ctx.drop_dir is not None
        }

    def clock_body(dropped: dict[str, list[str]] | None = None) -> Response:
        out: dict = {"as_of": from_local_seconds(clock.as_of_sec).isoformat()}
        if dropped is not None:
            out["dropped"] = dropped
        return json_bytes(orjson.dumps(out))

    drop_all()

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

    @app.get("/_sim/clock")
    async def get_clock() -> Response:
        return clock_body()

    @app.post("/_sim/clock")
    async def set_clock(request: Request) -> Response:
        """Move the simulated "now" ({"as_of": ISO 8601}); file sources drop what is due."""
        try:
            body = orjson.loads(await request.body())
            clock.set(parse_instant(str(body["as_of"])))
        except (ValueError, TypeError, KeyError, orjson.JSONDecodeError) as e:
            return error(400, "invalid_parameter", f"as_of: {e}")
        return clock_body(await run_in_threadpool(drop_all))

    @app.post("/_sim/drops")
    async def drops() -> Response:
        """Write the file sources' drops again (restores files a test removed or spoiled)."""
        return clock_body(await run_in_threadpool(drop_all))

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


def build_provinces_app(settings: Settings) -> FastAPI:
    """Every province of ``settings.provinces`` as its own simulator under /<code>/ (its
    sources, faults, clock and drops: <drop_dir>/<code>/<source>/), at its population's
    volume; /healthz lists them."""
    from simulator.provinces import province_scale

    app = FastAPI(title="IOC source simulator", docs_url=None, redoc_url=None, openapi_url=None)
    served: dict[str, list[str]] = {}
    for code in settings.provinces:
        one = replace(
            settings,
            provinces=(),
            province=code,
            scale=province_scale(settings.scale, code),
            drop_dir=settings.drop_dir / code if settings.drop_dir else None,
        )
        app.mount(f"/{code}", build_app(one))
        served[code] = list(one.sources)

    @app.get("/healthz")
    async def healthz() -> Response:
        body = {"status": "ok", "provinces": served, "seed": settings.seed}
        return json_bytes(orjson.dumps({**body, "scale": settings.scale}))

    return app

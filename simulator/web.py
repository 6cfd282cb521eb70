"""HTTP conventions shared by the simulated sources (sources.md, "Common HTTP conventions")."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

import orjson
from fastapi import Request, Response

from simulator.auth import AuthError, TokenStore
from simulator.clock import DAY, WorldClock, parse_instant
from simulator.faults import FaultState
from simulator.paging import ServedLog

MAX_PAGE_SIZE = 1000
MAX_WINDOW_DAYS = 366
JSON = "application/json"


@dataclass(frozen=True)
class SourceContext:
    """What every simulated source gets from the app: identity, data settings and state."""

    name: str
    seed: int
    scale: float
    tokens: TokenStore
    faults: FaultState
    served: ServedLog
    clock: WorldClock = field(default_factory=WorldClock)
    drop_dir: Path | None = None  # where this source drops its files (file sources only)
    province: str = "56"  # the GSO code of the province whose system this is


class BadRequest(ValueError):
    """A request parameter is wrong: answered with 400 invalid_parameter."""


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = orjson.dumps({"error": {"code": code, "message": message}})
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def auth_error(e: AuthError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if e.status == 401 else None
    return error(e.status, e.code, e.message, headers)


def json_bytes(body: bytes) -> Response:
    return Response(body, media_type=JSON)


async def token_form(request: Request) -> dict[str, str]:
    """Form fields of a token request; HTTP Basic client credentials are accepted too."""
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            cid, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            cid, secret = "", ""
        form.setdefault("client_id", cid)
        form.setdefault("client_secret", secret)
    return form


async def token_endpoint(ctx: SourceContext, request: Request) -> Response:
    form = await token_form(request)
    refused = await transient(ctx, ("token",))
    if isinstance(refused, Response):
        return refused
    answer = ctx.tokens.issue(form)
    if isinstance(answer, AuthError):
        return error(answer.status, answer.code, answer.message)
    return json_bytes(orjson.dumps(answer))


async def transient(ctx: SourceContext, key: tuple) -> Response | int:
    """Apply transient faults for this attempt of ``key``: a refusal, or the attempt number."""
    n = ctx.faults.attempt(key)
    t = ctx.faults.transient(key, n)
    if t is None:
        return n
    cfg = ctx.faults.config
    if t.kind == "rate_limit":
        return error(
            429,
            "rate_limited",
            "Vượt quá số yêu cầu cho phép, vui lòng thử lại sau.",
            {"Retry-After": str(cfg.retry_after)},
        )
    if t.kind == "error":
        return error(t.status, "server_error", "Lỗi hệ thống, vui lòng thử lại sau.")
    await asyncio.sleep(cfg.slow_seconds)
    return n


async def guard(ctx: SourceContext, request: Request, key: tuple) -> Response | int:
    """Authorise, then apply transient faults: a refusal, or the attempt number."""
    refused = ctx.tokens.check(request.headers.get("authorization"), ctx.faults.config)
    if refused is not None:
        return auth_error(refused)
    return await transient(ctx, key)


def paging(request: Request, default_size: int = 500) -> tuple[int, int]:
    q = request.query_params
    try:
        page = int(q.get("page", "1"))
        size = int(q.get("page_size", str(default_size)))
    except ValueError as e:
        raise BadRequest("page và page_size phải là số nguyên.") from e
    if page < 1:
        raise BadRequest("page phải lớn hơn hoặc bằng 1.")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise BadRequest(f"page_size phải trong khoảng 1..{MAX_PAGE_SIZE}.")
    return page, size


def window_bounds(request: Request, max_days: int = MAX_WINDOW_DAYS) -> tuple[int, int]:
    """cap_nhat_tu / cap_nhat_den as local seconds (an incremental window [tu, den))."""
    q = request.query_params
    try:
        lo, hi = parse_instant(q["cap_nhat_tu"]), parse_instant(q["cap_nhat_den"])
    except KeyError as e:
        raise BadRequest("Thiếu tham số cap_nhat_tu hoặc cap_nhat_den.") from e
    except ValueError as e:
        raise BadRequest("cap_nhat_tu, cap_nhat_den phải theo ISO 8601 (…+07:00).") from e
    if hi <= lo:
        raise BadRequest("cap_nhat_den phải sau cap_nhat_tu.")
    if hi - lo > max_days * DAY:
        raise BadRequest(f"Khoảng thời gian tối đa {max_days} ngày.")
    return lo, hi

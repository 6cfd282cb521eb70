"""Serving a small listing (a month of tourism figures, a school year of schools) with faults.

Shared by the ``dulich`` and ``giaoduc`` sources. A listing is a list of plain dict rows in a
fixed order; every request for it sees the same rows. Page faults (duplicated and short
pages) come from ``FaultState`` exactly as for dichvucong; the value faults spoil a row the
same way on every request, decided by (fault seed, the row's key):

- ``vn_number``: a number sent as text in Vietnamese format (``"1.234.567"``, ``"1.234,5"``);
  a correct client reads it as the number it is;
- ``text_number``: text where a number belongs (``"chưa có số liệu"``); quarantine;
- ``unknown_code``: the listing's code field sent as a code outside the reference lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import orjson
from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from simulator.dulich.versions import VersionRules, with_versions
from simulator.faults import FaultState
from simulator.hashing import integers, key_of
from simulator.paging import page_slice
from simulator.web import BadRequest, SourceContext, error, guard, json_bytes, paging

NUMBER_TEXTS = ("chưa có số liệu", "đang cập nhật", "không rõ", "N/A")


@dataclass(frozen=True)
class SpoilRules:
    """How a listing's rows may be spoiled: which fields, and how an unknown code looks."""

    key_fields: tuple[str, ...]  # identify a row (its fault decisions hang on these)
    number_fields: tuple[str, ...]  # may be sent malformed
    code_field: str  # may be sent unknown
    unknown_prefix: str  # an unknown code is this prefix + digits
    unknown_digits: int
    versions: VersionRules | None = None  # how a row may come again (versions.py)


def as_sent(ctx: SourceContext, rows: Sequence[dict], rules: SpoilRules) -> list[dict]:
    """The listing with the copies and revisions the faults add (before paging)."""
    if rules.versions is None:
        return list(rows)
    return with_versions(rows, rules.versions, ctx.faults.config, ctx.clock.as_of_sec)


@dataclass(frozen=True)
class Spoiled:
    position: int  # index of the row in the listing
    field: str
    kind: str  # vn_number | text_number | unknown_code
    sent: object
    expected: object


def vn_format(value: int | float) -> str:
    """A number as a Vietnamese spreadsheet shows it: ``.`` thousands, ``,`` decimals."""
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    whole, _, frac = repr(float(value)).partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return grouped if frac in ("", "0") else f"{grouped},{frac}"


def row_keys(rows: Sequence[dict], rules: SpoilRules) -> np.ndarray:
    return np.array([key_of(*(str(r[f]) for f in rules.key_fields)) for r in rows], dtype=np.int64)


def spoil(rows: Sequence[dict], rules: SpoilRules, faults: FaultState) -> list[Spoiled]:
    """Every deliberately spoiled value of the listing (the same on every request)."""
    cfg = faults.config
    if not (cfg.malformed_rate or cfg.unknown_code_rate) or not rows:
        return []
    keys = row_keys(rows, rules)
    bad = faults.record_mask("malformed", keys, cfg.malformed_rate)
    unknown = faults.record_mask("unknown-code", keys, cfg.unknown_code_rate)
    field = integers(cfg.seed, "malformed-field", keys, len(rules.number_fields))
    kind = integers(cfg.seed, "malformed-kind", keys, 2)
    text = integers(cfg.seed, "malformed-text", keys, len(NUMBER_TEXTS))
    number = integers(cfg.seed, "unknown-number", keys, 10**rules.unknown_digits)
    out: list[Spoiled] = []
    for i in np.flatnonzero(bad | unknown).tolist():
        row = rows[i]
        if bad[i]:
            name = rules.number_fields[int(field[i])]
            value = row[name]
            if kind[i] == 0:
                out.append(Spoiled(i, name, "vn_number", vn_format(value), value))
            else:
                out.append(Spoiled(i, name, "text_number", NUMBER_TEXTS[int(text[i])], value))
        if unknown[i]:
            code = f"{rules.unknown_prefix}{int(number[i]):0{rules.unknown_digits}d}"
            out.append(Spoiled(i, rules.code_field, "unknown_code", code, row[rules.code_field]))
    return out


def spoiled_dicts(rows: Sequence[dict], found: list[Spoiled], rules: SpoilRules) -> list[dict]:
    """The report's view of spoiled values: the row's key fields, field, kind, sent, expected."""
    return [
        {
            **{f: rows[s.position][f] for f in rules.key_fields},
            "field": s.field,
            "kind": s.kind,
            "sent": s.sent,
            "expected": s.expected,
        }
        for s in found
    ]


def page_body(
    ctx: SourceContext,
    key: tuple,
    rows: Sequence[dict],
    rules: SpoilRules,
    page: int,
    size: int,
    attempt: int,
) -> bytes:
    """One page of the listing ``key`` (the paged envelope), faults applied; logged as served.

    An empty listing is one empty page (``total_pages`` 1), as most real APIs answer."""
    faults = ctx.faults
    rows = as_sent(ctx, rows, rules)
    n = len(rows)
    sl = page_slice(n, faults.page_layout((ctx.name, *key), n, size), page, size)
    picked = sl.rows
    if not sl.is_last:
        picked = picked[: faults.short_length((ctx.name, *key, page, size), attempt, len(picked))]
        if len(picked) < len(sl.rows):
            faults.count("short_page")
    changes: dict[int, dict[str, object]] = {}
    for s in spoil(rows, rules, faults):
        changes.setdefault(s.position, {})[s.field] = s.sent
    data = [rows[i] | changes.get(i, {}) for i in picked.tolist()]
    hit = sum(1 for i in picked.tolist() if i in changes)
    if hit:
        faults.count("spoiled_records", hit)
    ctx.served.mark((ctx.name, *key), n, picked)
    return orjson.dumps(
        {
            "data": data,
            "page": page,
            "page_size": size,
            "total": sl.total,
            "total_pages": max(sl.total_pages, 1),
        }
    )


def listing_report(ctx: SourceContext, key: tuple, rows: Sequence[dict], rules: SpoilRules) -> dict:
    """What the simulator holds for one listing as of now, what it spoils and what it served."""
    rows = as_sent(ctx, rows, rules)
    found = spoil(rows, rules, ctx.faults)
    spoiled = spoiled_dicts(rows, found, rules)
    return {
        "records": len(rows),
        "malformed": [s for s in spoiled if s["kind"] != "unknown_code"],
        "unknown_codes": [s for s in spoiled if s["kind"] == "unknown_code"],
        "served": ctx.served.summary((ctx.name, *key)),
    }


async def respond(
    ctx: SourceContext,
    request: Request,
    key: tuple,
    rows: Callable[[], Sequence[dict]],
    rules: SpoilRules,
) -> Response:
    """Answer a list request: paging parameters, token and transient faults, then the page."""
    try:
        page, size = paging(request)
    except BadRequest as e:
        return error(400, "invalid_parameter", str(e))
    attempt = await guard(ctx, request, (*key, page, size))
    if isinstance(attempt, Response):
        return attempt
    body = await run_in_threadpool(lambda: page_body(ctx, key, rows(), rules, page, size, attempt))
    return json_bytes(body)

"""Python API of the dichvucong simulator, for tests and for computing expected figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pyarrow as pa

from simulator.admin_units import load_demo_units
from simulator.clock import day_number, local_seconds, parse_instant
from simulator.dichvucong.catalog import FIELDS, PROCEDURES
from simulator.dichvucong.report import window_report
from simulator.dichvucong.serialize import arrow_table
from simulator.dichvucong.tables import code_tables
from simulator.dichvucong.world import DossierWorld
from simulator.faults import FaultConfig, FaultState

Instant = str | datetime | date


def instant(value: Instant) -> int:
    """Local seconds of an ISO string, a datetime (naive = local +07:00) or a date (00:00)."""
    if isinstance(value, str):
        return parse_instant(value)
    if isinstance(value, datetime):
        return local_seconds(value)
    return day_number(value) * 86_400


def records(
    start: Instant,
    end: Instant,
    *,
    seed: int = 56,
    scale: float = 0.1,
    owner: bool = True,
    world: DossierWorld | None = None,
) -> pa.Table:
    """Every record with start <= NgayCapNhat < end (and < as_of), in the served order.

    Columns are the source's fields; times are naive local ``timestamp[us]`` (wall time in
    +07:00), ``ChuHoSo`` a struct {HoTen, SoGiayTo, SoDienThoai, DiaChi} (left out if
    ``owner`` is false). Pass ``world`` to reuse a DossierWorld's caches across calls.
    """
    world = world or DossierWorld(seed, scale)
    return arrow_table(world, world.window(instant(start), instant(end)), owner=owner)


def iter_records(
    start: Instant,
    end: Instant,
    *,
    seed: int = 56,
    scale: float = 0.1,
    owner: bool = True,
    world: DossierWorld | None = None,
    days: int = 31,
) -> Iterator[pa.Table]:
    """``records`` in consecutive windows of ``days`` days: a long period at a large scale
    without holding it all in memory. The tables concatenate to ``records(start, end)``."""
    world = world or DossierWorld(seed, scale, window_cache=1)
    lo, hi = instant(start), instant(end)
    while lo < hi:
        step = min(hi, lo + days * 86_400)
        yield arrow_table(world, world.window(lo, step), owner=owner)
        lo = step


def procedures() -> list[dict[str, str]]:
    """The catalog as GET /api/v1/thu-tuc serves it (CapThucHien as of today: no HUYEN)."""
    return [
        {
            "MaTTHC": p.code,
            "TenTTHC": p.name,
            "MaLinhVuc": p.field,
            "CapThucHien": p.level_now,
            "MucDo": p.mode,
        }
        for p in PROCEDURES
    ]


def fields() -> dict[str, str]:
    """MaLinhVuc -> TenLinhVuc."""
    return dict(FIELDS)


def agencies() -> list[dict[str, str | None]]:
    """Every MaCoQuan the source uses, with name, level, unit and validity [from, to)."""
    return [
        {
            "MaCoQuan": a.code,
            "TenCoQuan": a.name,
            "CapThucHien": a.level,
            "MaDVHC": a.unit_code,
            "hieu_luc_tu": a.valid_from,
            "hieu_luc_den": a.valid_to,
        }
        for a in code_tables(load_demo_units(), 0).agencies
    ]


def report(
    start: Instant,
    end: Instant,
    *,
    seed: int = 56,
    scale: float = 0.1,
    faults: FaultConfig | dict | None = None,
    world: DossierWorld | None = None,
) -> dict:
    """Records, dossiers and states of a window, and (given a fault config) the records the
    server spoils in it: ``malformed`` and ``unknown_codes`` lists of
    {MaHoSo, NgayCapNhat, field, kind, sent, expected}."""
    world = world or DossierWorld(seed, scale)
    cfg = faults if isinstance(faults, FaultConfig) else FaultConfig.from_dict(faults)
    return window_report(world, FaultState(cfg), instant(start), instant(end))

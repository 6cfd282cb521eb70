"""Malformed values and unknown codes, switched on by the fault config.

Which report versions are hit, and how, is a pure function of (fault seed, version key), so
every fetch sends the same bad value. API kinds: ``text_number`` (a figure's ``thuc_hien``
as text), ``bad_date`` (``ngay_gui`` or ``han_gui`` not ISO 8601), ``unknown_indicator``
(a figure's ``ma_chi_tieu`` not in the catalog), ``unknown_unit`` (a figure's ``ma_dvhc``
not a GSO code). Excel kinds: ``text_number`` in a number cell, ``unknown_indicator``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.faults import FaultConfig
from simulator.hashing import integers, uniform

NUMBER_TEXTS = ("chưa có số liệu", "N/A", "đang cập nhật", "x", "1.234,5,6", "12..5")


@dataclass(frozen=True)
class Corruption:
    field: str
    index: int | None  # figure index in so_lieu (None: a header field)
    kind: str
    sent: object
    expected: object


def _bad_date(value: str, variant: int) -> str:
    day, _, clock = value.partition("T")
    y, m, d = day.split("-")
    if variant == 0:
        return f"{d}/{m}/{y}" + (f" {clock[:5]}" if clock else "")
    if variant == 1:
        return f"{y}-{m}-32" + (f"T{clock}" if clock else "")
    return "00/00/0000"


def decide(cfg: FaultConfig, keys: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(malformed, unknown) masks over version keys."""
    k = np.asarray(keys, dtype=np.int64)
    bad = uniform(cfg.seed, "reporting-malformed", k) < cfg.malformed_rate
    unknown = uniform(cfg.seed, "reporting-unknown", k) < cfg.unknown_code_rate
    return bad, unknown


def for_row(cfg: FaultConfig, key: int, row: dict, bad: bool, unknown: bool) -> list[Corruption]:
    """What to spoil in one report's JSON (``row`` is the clean JSON; not modified)."""
    out: list[Corruption] = []
    figures = row["so_lieu"]
    k = np.array([key], dtype=np.int64)
    pick = int(integers(cfg.seed, "reporting-figure", k, max(len(figures), 1))[0])
    variant = int(integers(cfg.seed, "reporting-variant", k, 6)[0])
    if bad:
        if integers(cfg.seed, "reporting-kind", k, 3)[0] < 2 and figures:
            sent = NUMBER_TEXTS[variant]
            out.append(
                Corruption("thuc_hien", pick, "text_number", sent, figures[pick]["thuc_hien"])
            )
        else:
            field = "ngay_gui" if variant % 2 == 0 else "han_gui"
            sent = _bad_date(row[field], variant % 3)
            out.append(Corruption(field, None, "bad_date", sent, row[field]))
    if unknown and figures:
        other = (pick + 1) % len(figures)
        n = int(integers(cfg.seed, "reporting-unknown-n", k, 1000)[0])
        if variant % 2 == 0:
            old = figures[other]["ma_chi_tieu"]
            out.append(Corruption("ma_chi_tieu", other, "unknown_indicator", f"XX_{n:03d}", old))
        else:
            old = figures[other]["ma_dvhc"]
            out.append(Corruption("ma_dvhc", other, "unknown_unit", f"99{n:03d}", old))
    return out


def apply(row: dict, found: list[Corruption]) -> dict:
    if not found:
        return row
    out = {**row, "so_lieu": [dict(f) for f in row["so_lieu"]]}
    for c in found:
        if c.index is None:
            out[c.field] = c.sent
        else:
            out["so_lieu"][c.index][c.field] = c.sent
    return out

"""The malformed-value and unknown-code faults of dichvucong records.

Which records are hit, and how, is a pure function of (fault seed, record key), so every
fetch of a record sends the same bad value, whatever window or page it comes in.
Kinds: ``vn_number`` (PhiLePhi as "1.234.000"), ``text_number`` (PhiLePhi as text),
``bad_date`` (NgayTiepNhan or NgayHenTra not an ISO 8601 instant), ``unknown_unit``
(MaDVHC not a GSO code), ``unknown_procedure`` (MaTTHC not in the catalog).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.dichvucong.serialize import columns
from simulator.dichvucong.window import WindowRecords
from simulator.dichvucong.world import DossierWorld
from simulator.faults import FaultState
from simulator.hashing import integers

FEE_TEXTS = ("Miễn phí", "không thu", "chưa xác định", "N/A")
MALFORMED_KINDS = ("vn_number", "text_number", "bad_date")
UNKNOWN_KINDS = ("unknown_unit", "unknown_procedure")


@dataclass(frozen=True)
class Corruption:
    position: int  # index into the rows asked for
    field: str
    kind: str
    sent: object
    expected: object


def _bad_date(iso: str, variant: int) -> str:
    date, _, clock = iso.partition("T")
    y, m, d = date.split("-")
    if variant == 0:
        return f"{y}-{m}-32T{clock}"  # impossible day
    if variant == 1:
        return f"{d}/{m}/{y} {clock[:5]}"  # Vietnamese display format, not ISO 8601
    return "0000-00-00 00:00:00"


def corruptions(
    world: DossierWorld, w: WindowRecords, rows: np.ndarray, faults: FaultState
) -> list[Corruption]:
    cfg = faults.config
    if not (cfg.malformed_rate or cfg.unknown_code_rate) or len(rows) == 0:
        return []
    keys = w.keys()[rows]
    bad = faults.record_mask("malformed", keys, cfg.malformed_rate)
    unknown = faults.record_mask("unknown-code", keys, cfg.unknown_code_rate)
    hit = np.flatnonzero(bad | unknown)
    if len(hit) == 0:
        return []
    true = columns(world, w, rows[hit], owner=False)
    kind = integers(cfg.seed, "malformed-kind", keys[hit], 4)  # bad_date twice as likely
    variant = integers(cfg.seed, "malformed-variant", keys[hit], 4)
    ukind = integers(cfg.seed, "unknown-kind", keys[hit], 2)
    number = integers(cfg.seed, "unknown-number", keys[hit], 1000)
    out: list[Corruption] = []
    for i, pos in enumerate(hit.tolist()):
        if bad[pos]:
            k = MALFORMED_KINDS[min(int(kind[i]), 2)]
            if k == "vn_number":
                fee = true["PhiLePhi"][i]
                out.append(Corruption(pos, "PhiLePhi", k, f"{fee:,}".replace(",", "."), fee))
            elif k == "text_number":
                fee = true["PhiLePhi"][i]
                out.append(Corruption(pos, "PhiLePhi", k, FEE_TEXTS[int(variant[i])], fee))
            else:
                field = "NgayTiepNhan" if variant[i] % 2 == 0 else "NgayHenTra"
                iso = true[field][i]
                out.append(Corruption(pos, field, k, _bad_date(iso, int(variant[i]) % 3), iso))
        if unknown[pos]:
            if ukind[i] == 0:
                out.append(
                    Corruption(
                        pos, "MaDVHC", "unknown_unit", f"99{number[i]:03d}", true["MaDVHC"][i]
                    )
                )
            else:
                out.append(
                    Corruption(
                        pos,
                        "MaTTHC",
                        "unknown_procedure",
                        f"9.99{number[i]:04d}",
                        true["MaTTHC"][i],
                    )
                )
    return out


def overrides(found: list[Corruption]) -> dict[int, dict[str, object]]:
    out: dict[int, dict[str, object]] = {}
    for c in found:
        out.setdefault(c.position, {})[c.field] = c.sent
    return out

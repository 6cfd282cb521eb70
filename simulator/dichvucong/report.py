"""What the simulator holds for a window, and which records it deliberately spoils."""

from __future__ import annotations

import numpy as np

from simulator.clock import from_local_seconds
from simulator.dichvucong.corrupt import corruptions
from simulator.dichvucong.serialize import columns
from simulator.dichvucong.tables import STATES
from simulator.dichvucong.world import DossierWorld
from simulator.faults import FaultState


def window_report(world: DossierWorld, faults: FaultState | None, lo: int, hi: int) -> dict:
    w = world.window(lo, hi)
    dossier_keys = w.day.astype(np.int64) << 24 | w.seq
    states = np.bincount(w.state.astype(np.int64), minlength=len(STATES))
    found = corruptions(world, w, np.arange(w.n), faults) if faults else []
    ids = columns(world, w, np.array([c.position for c in found], dtype=np.int64), owner=False)
    spoiled = [
        {
            "MaHoSo": ids["MaHoSo"][i],
            "NgayCapNhat": ids["NgayCapNhat"][i],
            "field": c.field,
            "kind": c.kind,
            "sent": c.sent,
            "expected": c.expected,
        }
        for i, c in enumerate(found)
    ]
    return {
        "window": {
            "cap_nhat_tu": from_local_seconds(lo).isoformat(),
            "cap_nhat_den": from_local_seconds(hi).isoformat(),
        },
        "records": w.n,
        "dossiers": len(np.unique(dossier_keys)),
        "by_state": {s: int(n) for s, n in zip(STATES, states.tolist(), strict=True)},
        "malformed": [s for s in spoiled if not s["kind"].startswith("unknown")],
        "unknown_codes": [s for s in spoiled if s["kind"].startswith("unknown")],
        "faults": faults.config.to_dict() if faults else None,
        "injected": dict(faults.counts) if faults else {},
    }

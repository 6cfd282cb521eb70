"""The dichvucong revision faults (simulator/dichvucong/versions.py): each kind of copy is
what it says, and the same on every request."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import orjson
from simkit import SCALE

from simulator.clock import local_seconds
from simulator.dichvucong import DossierWorld
from simulator.dichvucong.jsonpage import fragments, records_json
from simulator.dichvucong.versions import REVISED_AFTER, STALE_BEFORE, revisions, with_copies
from simulator.faults import FaultConfig

CFG = FaultConfig(
    seed=4, revision_rate=0.2, stale_copy_rate=0.1, repeat_rate=0.1, conflict_rate=0.1
)


def _window(world: DossierWorld):
    lo, hi = local_seconds(datetime(2024, 4, 1)), local_seconds(datetime(2024, 5, 1))
    return world.window(lo, hi)


def test_copies_are_what_they_say_and_stable() -> None:
    world = DossierWorld(56, SCALE)
    w = _window(world)
    rows = np.arange(min(w.n, 400))
    recs = records_json(world, fragments(world), w, rows)
    sent = with_copies(world, w, rows, recs, CFG)
    assert sent == with_copies(world, w, rows, recs, CFG)  # the same on every request
    assert len(sent) > len(recs)
    kinds = {"repeat": 0, "conflict": 0, "stale": 0}
    parsed = [orjson.loads(r) for r in sent]
    for before, after, raw_before, raw_after in zip(
        parsed, parsed[1:], sent, sent[1:], strict=False
    ):
        if before["MaHoSo"] != after["MaHoSo"]:
            continue
        if raw_before == raw_after:
            kinds["repeat"] += 1
        elif before["NgayCapNhat"] == after["NgayCapNhat"]:
            assert after["DaSoHoa"] == (not before["DaSoHoa"])
            kinds["conflict"] += 1
        elif after["NgayCapNhat"] < before["NgayCapNhat"]:
            assert after["TrangThai"] == "DANG_XU_LY" and after["NgayKetThucXuLy"] is None
            kinds["stale"] += 1
    assert all(kinds.values()), kinds
    assert sum(kinds.values()) == len(sent) - len(recs)


def test_revisions_are_newer_and_change_the_state() -> None:
    world = DossierWorld(56, SCALE)
    w = _window(world)
    revised = [orjson.loads(r) for r in revisions(world, w.lo, w.hi, CFG)]
    assert revised and revised == [orjson.loads(r) for r in revisions(world, w.lo, w.hi, CFG)]
    before = world.window(w.lo - REVISED_AFTER, w.hi - REVISED_AFTER)
    assert REVISED_AFTER > STALE_BEFORE and before.n
    for r in revised:
        assert r["TrangThai"] in ("DA_TRA_KET_QUA", "TU_CHOI")
        assert "2024-04-01" <= r["NgayCapNhat"][:10] <= "2024-04-30"

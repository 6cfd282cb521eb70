"""What the simulator sent for a listing with the session's faults, and which copy stands,
worked out with pandas-free Python, independently of the connectors and dbt models."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence

from ingest.common.settings import REPO_ROOT
from simulator.dulich.listing import SpoilRules, spoil
from simulator.dulich.versions import with_versions
from simulator.faults import FaultConfig, FaultState

UNITS = REPO_ROOT / "dbt_project" / "seeds" / "admin_units"


def sent(rows: Sequence[dict], rules: SpoilRules, faults: dict, as_of: int) -> list[dict]:
    """The listing as served: the copies and revisions the faults add, then spoiled values."""
    cfg = FaultConfig.from_dict(faults)
    out = with_versions(rows, rules.versions, cfg, as_of) if rules.versions else list(rows)
    changes: dict[int, dict] = {}
    for s in spoil(out, rules, FaultState(cfg)):
        changes.setdefault(s.position, {})[s.field] = s.sent
    return [r | changes.get(i, {}) for i, r in enumerate(out)]


def newest(rows: Sequence[dict], key: Callable[[dict], tuple], time: str | None) -> dict:
    """Per key the copy with the newest time; among equals, the one listed last."""
    out: dict[tuple, dict] = {}
    for row in rows:
        k = key(row)
        held = out.get(k)
        if held is None or time is None or row[time] >= held[time]:
            out[k] = row
    return out


def provinces(name: str) -> dict[str, str]:
    with (UNITS / name).open(encoding="utf-8") as f:
        return {r["commune_code"]: r["province_code"] for r in csv.DictReader(f)}


OLD, NEW = provinces("units_before_2025_07_01.csv"), provinces("units_after_2025_07_01.csv")
with (UNITS / "province_crosswalk_2025.csv").open(encoding="utf-8") as f:
    SUCCESSOR = {r["old_province_code"]: r["new_province_code"] for r in csv.DictReader(f)}

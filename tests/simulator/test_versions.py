"""Records that come again (simulator/dulich/versions.py, simulator/giaoduc/corrections.py):
each fault does what its README says, the same way on every call."""

from __future__ import annotations

import csv
from datetime import datetime

from ingest.common.settings import REPO_ROOT
from simulator.clock import local_seconds
from simulator.dulich.versions import VersionRules, with_versions
from simulator.faults import FaultConfig
from simulator.giaoduc import EducationWorld
from simulator.giaoduc.corrections import LATE_AT, late_corrections

NEW_UNITS = REPO_ROOT / "dbt_project" / "seeds" / "admin_units" / "units_after_2025_07_01.csv"
RULES = VersionRules(key_fields=("k",), adjust=("total", "part"), time_field="at")
ROWS = [{"k": "a", "total": 1000, "part": 400, "at": "2024-05-01T09:00:00+07:00"}]


def versions(as_of: datetime, **rates: float) -> list[dict]:
    return with_versions(ROWS, RULES, FaultConfig(seed=1, **rates), local_seconds(as_of))


def test_a_revision_replaces_the_row_from_its_publication_on() -> None:
    assert versions(datetime(2024, 6, 1), revision_rate=1.0) == ROWS  # not out yet
    (revised,) = versions(datetime(2024, 6, 10), revision_rate=1.0)
    assert revised == {"k": "a", "total": 1010, "part": 410, "at": "2024-06-05T09:00:00+07:00"}


def test_copies_stale_repeated_and_conflicting() -> None:
    stale, row = versions(datetime(2024, 6, 1), stale_copy_rate=1.0)
    assert row == ROWS[0] and stale["at"] == "2024-04-29T09:00:00+07:00" and stale["total"] == 990
    assert versions(datetime(2024, 6, 1), repeat_rate=1.0) == ROWS * 2
    row, conflict = versions(datetime(2024, 6, 1), conflict_rate=1.0)
    assert conflict["at"] == row["at"] and conflict["total"] == 1010
    assert versions(datetime(2024, 6, 1)) == ROWS  # off by default


def test_a_late_correction_sends_an_old_year_with_todays_code() -> None:
    world = EducationWorld(56)
    cfg = FaultConfig(seed=3, late_correction_rate=0.05)
    after = local_seconds(datetime(2025, 8, 1))
    rows = world.served(2024, after)
    corrected = late_corrections(world, 2024, rows, cfg, after)
    changed = [(a, b) for a, b in zip(rows, corrected, strict=True) if a != b]
    assert 0 < len(changed) < 0.1 * len(rows)
    today = {r["commune_code"] for r in csv.DictReader(NEW_UNITS.open(encoding="utf-8"))}
    for old, new in changed:
        assert new["ma_dvhc"] in today
        assert new["ngay_cap_nhat"] == LATE_AT.isoformat() + "+07:00"
        assert new["so_hoc_sinh"] == old["so_hoc_sinh"] + max(1, round(0.01 * old["so_hoc_sinh"]))
    # before the correction date, and for a year ending after the reform: nothing
    before = local_seconds(datetime(2025, 7, 10))
    assert late_corrections(world, 2024, world.served(2024, before), cfg, before) == (
        world.served(2024, before)
    )
    assert late_corrections(world, 2025, world.served(2025, after), cfg, after) == (
        world.served(2025, after)
    )

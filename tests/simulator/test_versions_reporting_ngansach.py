"""Records that come again in the reporting API and the budget files
(simulator/reporting/versions.py, simulator/ngansach/versions.py): each fault does what its
module says, the same way on every call; off, nothing changes."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest

from simulator.clock import from_local_seconds
from simulator.faults import FaultConfig
from simulator.ngansach import BudgetWorld, drop_files
from simulator.ngansach.versions import LATE_MONTH
from simulator.reporting import ReportingWorld
from simulator.reporting.rows import Query, rows_at
from simulator.reporting.versions import LATE_AT, REVISED_AFTER, STALE_BEFORE, listing


@pytest.fixture(scope="module")
def reporting_world() -> ReportingWorld:
    return ReportingWorld(56)


def test_reporting_faults_off_change_nothing(reporting_world) -> None:
    from simulator.clock import AS_OF_SEC

    assert listing(reporting_world, AS_OF_SEC, Query(), FaultConfig()) == rows_at(
        reporting_world, AS_OF_SEC, Query()
    )


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        ("stale_copy", "older_before"),
        ("repeat", "identical_after"),
        ("conflict", "same_time_after"),
    ],
)
def test_reporting_copies_sit_beside_their_version(reporting_world, fault, check) -> None:
    from simulator.clock import AS_OF_SEC

    cfg = FaultConfig(seed=3, **{f"{fault}_rate": 0.2})
    rows = listing(reporting_world, AS_OF_SEC, Query(), cfg)
    assert rows == listing(reporting_world, AS_OF_SEC, Query(), cfg)  # deterministic
    pairs = [
        (a, b)
        for a, b in pairwise(rows)
        if (a.report.code, a.phien_ban) == (b.report.code, b.phien_ban)
    ]
    assert pairs
    for a, b in pairs:
        if check == "older_before":
            assert a.updated == b.updated - STALE_BEFORE and a.bump < b.bump
        elif check == "identical_after":
            assert a == b
        else:
            assert a.updated == b.updated and b.figures != a.figures


def test_reporting_revisions_and_late_corrections_are_new_approved_versions(
    reporting_world,
) -> None:
    from simulator.clock import AS_OF_SEC, REFORM_SEC

    cfg = FaultConfig(seed=3, revision_rate=0.1, late_correction_rate=0.1)
    rows = listing(reporting_world, AS_OF_SEC, Query(), cfg)
    added = [r for r in rows if r.sent_version]
    assert added
    kinds = Counter()
    for r in added:
        assert r.phien_ban == r.report.versions + 1 and r.step.state == "DA_DUYET"
        assert r.bump > 0 and r.updated <= AS_OF_SEC
        if r.updated == LATE_AT:
            assert r.report.period.old_units and LATE_AT > REFORM_SEC
            kinds["late"] += 1
        else:
            assert r.updated == r.step.at + REVISED_AFTER
            kinds["revision"] += 1
    assert kinds["late"] and kinds["revision"]
    # a window listing holds what falls in it by the time sent
    since = LATE_AT
    window = listing(reporting_world, AS_OF_SEC, Query(cap_nhat_tu=since), cfg)
    assert all(r.updated >= since for r in window)
    assert any(r.sent_version and r.updated == LATE_AT for r in window)


def test_budget_faults_off_change_nothing() -> None:
    world = BudgetWorld(56)
    plain = [f.rows for f in drop_files(world)]
    assert [f.rows for f in drop_files(world, faults=FaultConfig(seed=3))] == plain


def test_budget_copies_revisions_and_late_corrections() -> None:
    world = BudgetWorld(56)
    cfg = FaultConfig(
        seed=3,
        revision_rate=0.1,
        stale_copy_rate=0.05,
        repeat_rate=0.05,
        conflict_rate=0.05,
        late_correction_rate=0.2,
    )
    files = drop_files(world, faults=cfg)
    assert [f.rows for f in files] == [f.rows for f in drop_files(world, faults=cfg)]
    seen = Counter()
    for f in files:
        key = ("ky", "ma_dvhc", "cap_ngan_sach", "ma_nhom_thu")
        for a, b in pairwise(f.rows):
            if [a[k] for k in key] != [b[k] for k in key]:
                continue
            if a == b:
                seen["repeat"] += 1
            elif a["ngay_lap"] == b["ngay_lap"]:
                seen["conflict"] += 1
                assert b["luy_ke_thuc_hien"] > a["luy_ke_thuc_hien"]
            else:
                seen["stale"] += 1
                assert a["ngay_lap"] < b["ngay_lap"]
                assert a["luy_ke_thuc_hien"] < b["luy_ke_thuc_hien"]
        earlier = [r for r in f.rows if r["ky"] < f.version.ky]
        stamp = max(r["ngay_lap"] for r in f.rows)  # the file's export time
        assert all(r["ngay_lap"] <= stamp for r in earlier)
        if f.version.month == LATE_MONTH:
            late = [r for r in earlier if r["ky"] == "2025-06"]
            old_units = {world.units[i].code for i in world.active(41)}  # June 2025's
            assert late and {r["ma_dvhc"] for r in late} <= old_units
            seen["late"] += len(late)
        seen["revision"] += sum(r["ky"] != f.version.ky for r in earlier)
    assert all(seen[k] for k in ("repeat", "conflict", "stale", "late", "revision")), seen
    assert from_local_seconds(files[0].version.exported_sec).year == 2022

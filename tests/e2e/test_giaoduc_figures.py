"""Education (giaoduc) as published by the session's real refresh, recomputed from what the
simulator sent (``EducationWorld.served`` / ``exam_served`` with the session's revision
faults and late corrections, tests/e2e/sent.py) with the GSO unit files. A school's standing
row is its newest update (of two with one time, the one listed last); a school year belongs
to the units in force at its end: before the reform a row is placed by its old commune code,
a late correction (sent after the reform with today's code) by the school's commune before
it; after the reform by the new code. Counts are summed, rates are ratios of sums; a row no
list places is counted in dq.dq_unplaced_record instead."""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pandas as pd
import pytest

from simulator.clock import AS_OF_SEC, REFORM_DATE
from simulator.faults import FaultConfig
from simulator.giaoduc import EducationWorld
from simulator.giaoduc.corrections import late_corrections
from simulator.giaoduc.service import EXAM_RULES, SCHOOL_RULES
from tests.conftest import REVISION_FAULTS, Pipeline
from tests.e2e.sent import NEW, OLD, SUCCESSOR, newest, sent

FAULTS = REVISION_FAULTS["giaoduc"]
REFORM = REFORM_DATE.isoformat()


@pytest.fixture(scope="module")
def published(pipeline: Pipeline) -> pd.Series:
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        frame = con.execute(
            "SELECT indicator_code, admin_unit_code, period_label, actual_value "
            "FROM marts.fct_indicator_value WHERE source = 'giaoduc'"
        ).df()
    return frame.set_index(["indicator_code", "admin_unit_code", "period_label"])["actual_value"]


@pytest.fixture(scope="module")
def world(pipeline: Pipeline) -> EducationWorld:
    return EducationWorld(pipeline.seed)


def school_rows(world: EducationWorld, start: int) -> dict[str, dict]:
    """Each school's standing row of the year as the refresh received it."""
    listed = late_corrections(
        world, start, world.served(start, AS_OF_SEC), FaultConfig.from_dict(FAULTS), AS_OF_SEC
    )
    rows = sent(listed, SCHOOL_RULES, FAULTS, AS_OF_SEC)
    return {k[0]: r for k, r in newest(rows, lambda r: (r["ma_truong"],), "ngay_cap_nhat").items()}


def placed(world: EducationWorld, start: int) -> dict[str, str | None]:
    """school → province of the year's generation (None: no list places it)."""
    before = start + 1 < 2025 or (start + 1 == 2025 and f"{start + 1}-05-31" < REFORM)
    homes = {}
    if before:  # a school's commune as sent before the reform (its rows of that time)
        for year in range(2021, start + 1):
            for r in sent(world.served(year, AS_OF_SEC), SCHOOL_RULES, FAULTS, AS_OF_SEC):
                if r["ngay_cap_nhat"] < REFORM and r["ma_dvhc"] in OLD:
                    homes[r["ma_truong"]] = OLD[r["ma_dvhc"]]
    out = {}
    for school, row in school_rows(world, start).items():
        if not before:
            out[school] = NEW.get(row["ma_dvhc"])
        elif row["ngay_cap_nhat"] < REFORM:
            out[school] = OLD.get(row["ma_dvhc"])
        else:
            out[school] = homes.get(school)
    return out


@pytest.mark.parametrize("start", [2024, 2025])  # 2024-2025 before the reform, 2025-2026 after
def test_a_school_year_on_each_side_of_the_reform(world, published, start) -> None:
    where, rows = placed(world, start), school_rows(world, start)
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for school, row in rows.items():
        if where[school] is None:
            continue
        totals = sums[where[school]]
        totals["schools"] += 1
        for field in ("so_hoc_sinh", "so_giao_vien", "so_giao_vien_dat_chuan"):
            totals[field] += row[field] or 0
    label = f"{start}-{start + 1}"
    assert set(sums) == ({"56", "58"} if start == 2024 else {"56"})
    for province, t in sums.items():
        assert published[("GD_SO_TRUONG", province, label)] == t["schools"]
        assert published[("GD_SO_HOC_SINH", province, label)] == t["so_hoc_sinh"]
        rate = 100 * t["so_giao_vien_dat_chuan"] / t["so_giao_vien"]
        assert published[("GD_TY_LE_GV_DAT_CHUAN", province, label)] == pytest.approx(rate)


def test_each_commune_has_its_schools_figures(world, published) -> None:
    """2025-2026 (after the reform): every school also counts in the commune it reports (a
    unit of today's list), its rate from the commune's own teachers; the communes' schools
    add up to the province's."""
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in school_rows(world, 2025).values():
        if row["ma_dvhc"] in NEW:
            totals = sums[row["ma_dvhc"]]
            totals["schools"] += 1
            for field in ("so_hoc_sinh", "so_giao_vien", "so_giao_vien_dat_chuan"):
                totals[field] += row[field] or 0
    assert len(sums) >= 2
    for commune, t in sums.items():
        assert published[("GD_SO_TRUONG", commune, "2025-2026")] == t["schools"]
        assert published[("GD_SO_HOC_SINH", commune, "2025-2026")] == t["so_hoc_sinh"]
        if t["so_giao_vien"]:
            rate = 100 * t["so_giao_vien_dat_chuan"] / t["so_giao_vien"]
            assert published[("GD_TY_LE_GV_DAT_CHUAN", commune, "2025-2026")] == pytest.approx(rate)
    schools = sum(t["schools"] for t in sums.values())
    assert published[("GD_SO_TRUONG", "56", "2025-2026")] == schools


@pytest.mark.parametrize("year", [2024, 2025])
def test_exam_pass_rate_is_the_ratio_of_sums(world, published, year) -> None:
    # An exam school counts under its province in the school year that ends with the exam;
    # an exam year ending after the reform is today's province's (old 56 and 58 as new 56),
    # whole. A result of a school no list places is not counted.
    where = placed(world, year - 1)
    if year >= 2025:
        where = {s: SUCCESSOR.get(p) if p else None for s, p in where.items()}
    results = sent(world.exam_served(year, AS_OF_SEC), EXAM_RULES, FAULTS, AS_OF_SEC)
    standing = newest(results, lambda r: (r["ma_truong"],), None)
    sat: dict[str, int] = defaultdict(int)
    passed: dict[str, int] = defaultdict(int)
    for (school,), row in standing.items():
        if where.get(school):
            sat[where[school]] += row["thi_sinh_du_thi"]
            passed[where[school]] += row["thi_sinh_tot_nghiep"]
    assert set(sat) == ({"56"} if year >= 2025 else {"56", "58"})
    for province in sat:
        assert published[("GD_THI_SINH_DU_THI", province, str(year))] == sat[province]
        rate = 100 * passed[province] / sat[province]
        assert published[("GD_TY_LE_TOT_NGHIEP_THPT", province, str(year))] == pytest.approx(rate)


def test_late_corrections_stay_with_the_old_units_and_todays_series_is_whole(
    pipeline, world, published
) -> None:
    """2024-2025 ended before the reform: its schools corrected after it (today's codes) still
    count under old 56 and 58, and today's 56 reads the year over both, every school."""
    rows, where = school_rows(world, 2024), placed(world, 2024)
    late = [s for s, r in rows.items() if r["ngay_cap_nhat"] >= REFORM]
    assert late and all(where[s] in ("56", "58") for s in late)
    counted = {s for s, p in where.items() if p}
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        today = con.execute(
            "SELECT actual_value, units_combined FROM marts.fct_indicator_value_current_unit "
            "WHERE indicator_code = 'GD_SO_HOC_SINH' AND admin_unit_code = '56' "
            "AND period_label = '2024-2025'"
        ).fetchall()
    assert today == [(float(sum(rows[s]["so_hoc_sinh"] for s in counted)), 2)]
    assert published[("GD_SO_TRUONG", "56", "2024-2025")] + published[
        ("GD_SO_TRUONG", "58", "2024-2025")
    ] == len(counted)


def test_schools_no_list_places_are_counted_not_lost(pipeline, world) -> None:
    want = {
        (f"{start}-{start + 1}", school)
        for start in range(2021, 2027)
        for school, province in placed(world, start).items()
        if province is None
    }
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        kept = con.execute(
            "SELECT period_label, record_key FROM dq.dq_unplaced_record "
            "WHERE dataset = 'giaoduc.truong'"
        ).fetchall()
    assert want and set(kept) == want

"""Tourism (dulich) as published by the session's real refresh, against what the simulator
sent at the refresh's moment (``TourismWorld.served`` with the session's revision faults,
tests/e2e/sent.py): the newest publication of a month stands (a republished figure, not an
older copy; of two copies with one time, the one listed last), is_estimate only while that
is the estimate; flows summed, occupancy averaged."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from simulator.clock import AS_OF_SEC
from simulator.dulich import ESTIMATE, TourismWorld
from simulator.dulich.service import RULES
from tests.conftest import REVISION_FAULTS, Pipeline
from tests.e2e.sent import newest, sent


@pytest.fixture(scope="module")
def standing(pipeline: Pipeline) -> pd.DataFrame:
    world = TourismWorld(pipeline.seed)
    rows = []
    for year, month in [(2025, m) for m in range(4, 10)] + [(2026, m) for m in (7, 8, 9)]:
        listed = sent(
            world.served(year, month, AS_OF_SEC), RULES, REVISION_FAULTS["dulich"], AS_OF_SEC
        )
        rows += newest(listed, lambda r: (r["ky"], r["ma_dvhc"]), "ngay_cong_bo").values()
    return pd.DataFrame(rows).set_index(["ky", "ma_dvhc"])


@pytest.fixture(scope="module")
def published(pipeline: Pipeline) -> pd.DataFrame:
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        frame = con.execute(
            "SELECT indicator_code, admin_unit_code, period_label, actual_value, is_estimate "
            "FROM marts.fct_indicator_value WHERE source = 'dulich'"
        ).df()
    return frame.set_index(["indicator_code", "admin_unit_code", "period_label"])


@pytest.mark.parametrize(("ky", "unit"), [("2025-06", "56"), ("2025-06", "58"), ("2025-07", "56")])
def test_a_month_on_each_side_of_the_reform(standing, published, ky, unit) -> None:
    want = standing.loc[(ky, unit)]
    got = published.loc[("DL_TONG_LUOT_KHACH", unit, ky)]
    assert got["actual_value"] == want["tong_luot_khach"]
    assert bool(got["is_estimate"]) == (want["loai_so_lieu"] == ESTIMATE)
    occupancy = published.loc[("DL_CONG_SUAT_PHONG", unit, ky), "actual_value"]
    assert occupancy == pytest.approx(want["cong_suat_phong_pct"])


def test_a_quarter_sums_flows_and_averages_occupancy(standing, published) -> None:
    months = [standing.loc[(f"2025-0{m}", "56")] for m in (7, 8, 9)]
    got = published.loc[("DL_KHACH_QUOC_TE", "56", "2025-Q3"), "actual_value"]
    assert got == sum(m["khach_quoc_te"] for m in months)
    occupancy = published.loc[("DL_CONG_SUAT_PHONG", "56", "2025-Q3"), "actual_value"]
    assert occupancy == pytest.approx(sum(m["cong_suat_phong_pct"] for m in months) / 3)


def test_estimates_are_flagged_until_the_official_figures_come(standing, published) -> None:
    estimated = {ky for ky, unit in standing.index if unit == "56"} & {
        ky for (ky, unit), kind in standing["loai_so_lieu"].items() if kind == ESTIMATE
    }
    assert estimated, "the newest months are still estimates at the refresh"
    for ky in estimated:
        assert published.loc[("DL_TONG_LUOT_KHACH", "56", ky), "is_estimate"]
    assert published.loc[("DL_TONG_LUOT_KHACH", "56", "2026-Q3"), "is_estimate"]
    assert not published.loc[("DL_TONG_LUOT_KHACH", "56", "2025-Q3"), "is_estimate"]


def test_every_month_shows_its_newest_publication(pipeline, published) -> None:
    """Over the whole history: each area's visitors are the newest publication's; republished
    figures (the session's revision faults) are among them, older copies and the first of two
    conflicting copies are not."""
    world = TourismWorld(pipeline.seed)
    faults = REVISION_FAULTS["dulich"]
    revised, unknown = 0, set()
    for year, month in [(y, m) for y in range(2022, 2027) for m in range(1, 13)]:
        listed = world.served(year, month, AS_OF_SEC)
        if not listed:
            continue
        first = {(r["ky"], r["ma_dvhc"]): r["tong_luot_khach"] for r in listed}
        rows = sent(listed, RULES, faults, AS_OF_SEC)
        for (ky, unit), row in newest(
            rows, lambda r: (r["ky"], r["ma_dvhc"]), "ngay_cong_bo"
        ).items():
            if (ky, unit) not in first:  # sent with a code no list knows
                unknown.add((ky, unit))
                continue
            got = published.loc[("DL_TONG_LUOT_KHACH", unit, ky), "actual_value"]
            assert got == row["tong_luot_khach"], (ky, unit)
            revised += row["tong_luot_khach"] != first[(ky, unit)]
    assert revised > 10
    # the figures of areas no list knows are not lost: counted and named for stewards
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        kept = con.execute(
            "SELECT period_label, record_key FROM dq.dq_unplaced_record "
            "WHERE dataset = 'dulich.thong_ke_thang'"
        ).fetchall()
    assert unknown and set(kept) == unknown

"""The reporting simulator: deterministic from its seed, plausible, served as the spec says."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from statistics import mean

import pytest

from expectations.reference import province_unit_codes
from simulator.clock import REFORM_DATE, day_number
from simulator.faults import FaultConfig
from simulator.reporting import ReportingWorld, excel_files, report, reports
from simulator.reporting.catalog import indicators, indicators_json, sets_json
from simulator.reporting.excel import xlsx_bytes


@pytest.fixture(scope="module")
def world() -> ReportingWorld:
    return ReportingWorld(56)


def monthly(world: ReportingWorld, code: str) -> dict[tuple[int, int], float]:
    """Province totals (56 + 58 before the reform) of a monthly indicator, newest version."""
    out: dict[tuple[int, int], float] = defaultdict(float)
    for r in world.reports:
        if r.versions and r.period.kind == "THANG":
            for f in r.figures[-1]:
                if f.code == code and f.area == r.area.code:
                    out[(r.period.year, r.period.number)] += f.value
    return out


def test_same_seed_same_world_other_seed_other_values(world) -> None:
    again = ReportingWorld(56)
    assert [r.code for r in again.reports] == [r.code for r in world.reports]
    assert again.reports[500].figures == world.reports[500].figures
    other = ReportingWorld(7)
    assert other.reports[500].figures != world.reports[500].figures
    x = excel_files(world=world)[3]
    assert xlsx_bytes(x, 56) == xlsx_bytes(excel_files(world=again)[3], 56)


def test_catalog_is_the_sources_vocabulary() -> None:
    assert len(indicators_json()) == 111 and len(sets_json()) == 27
    kinds = {i["ky_bao_cao"] for i in indicators_json()}
    assert kinds == {"THANG", "QUY", "NAM"}
    assert {i["cach_tong_hop"] for i in indicators_json()} == {
        "TONG",
        "CUOI_KY",
        "TRUNG_BINH",
        "TY_LE",
    }
    sets = {s["ma_bo_chi_tieu"] for s in sets_json()}
    assert {i["ma_bo_chi_tieu"] for i in indicators_json()} == sets
    assert "BCT_YTE_THANG" in sets


def test_codes_follow_the_reform(world) -> None:
    allowed = set(province_unit_codes("56"))
    for r in world.reports:
        before = r.period.end < REFORM_DATE
        assert r.area.code in ({"56", "58"} if before else {"56"})
        assert r.unit.startswith("NT_") == (r.area.code == "58")
        for f in r.figures[0]:
            assert f.area in allowed
    sub = {f.area for r in world.reports if r.period.year == 2026 for f in r.figures[0]}
    assert len(sub) > 30  # communes of the new province in broken-down sets


def test_growth_and_seasonality(world) -> None:
    visits = monthly(world, "YT_LUOT_KHAM_BENH")
    by_year = {y: sum(v for (yy, _), v in visits.items() if yy == y) for y in (2022, 2023, 2024)}
    assert by_year[2022] < by_year[2023] < by_year[2024]  # growth
    feb = mean(v for (_, m), v in visits.items() if m == 2)
    rest = mean(v for (_, m), v in visits.items() if m not in (1, 2))
    assert feb < 0.85 * rest  # Tết
    disbursed = monthly(world, "DTC_GIAI_NGAN")
    dec = mean(v for (_, m), v in disbursed.items() if m == 12)
    assert dec > 2 * mean(v for (_, m), v in disbursed.items() if m != 12)
    dengue = monthly(world, "YT_CA_SOT_XUAT_HUYET")
    assert mean(dengue[(y, 10)] for y in (2022, 2023, 2024)) > 2 * mean(
        dengue[(y, 3)] for y in (2022, 2023, 2024)
    )


def test_ratios_add_up_and_breakdowns_sum_to_the_province(world) -> None:
    ratio_codes = {i.code for i in indicators() if i.method == "TY_LE"}
    for r in world.api_reports[:300]:
        figs = r.figures[-1]
        for f in figs:
            if f.code in ratio_codes:
                assert 0 < f.numerator <= f.denominator
                assert f.value == round(100 * f.numerator / f.denominator, 2)
        if r.indicator_set.broken_down and not r.life.corrected:
            province = {f.code: f.value for f in figs if f.area == r.area.code}
            parts: dict[str, float] = defaultdict(float)
            for f in figs:
                if f.area != r.area.code:
                    parts[f.code] += f.value
            assert parts and all(parts[c] == province[c] for c in parts)


def test_lifecycle_rates_are_plausible(world) -> None:
    all_reports = world.reports
    never = sum(not r.versions for r in all_reports) / len(all_reports)
    assert 0.005 < never < 0.05
    sent = [r for r in all_reports if r.versions]
    late = sum(r.sent_at(1) > (day_number(r.period.due) + 1) * 86_400 for r in sent) / len(sent)
    assert 0.05 < late < 0.25
    assert 0.03 < sum(r.life.corrected for r in sent) / len(sent) < 0.15
    assert any(r.life.restated for r in sent)


def test_the_clock_decides_what_is_served(world) -> None:
    early = reports(as_of=date(2024, 4, 1), world=world)
    late = reports(as_of=date(2024, 6, 1), world=world)
    assert len(early) < len(late)
    assert all(r["ngay_cap_nhat"] < "2024-04-01" for r in early)
    # Versions stay servable as history: one row per (ma_bao_cao, phien_ban).
    keys = [(r["ma_bao_cao"], r["phien_ban"]) for r in late]
    assert len(keys) == len(set(keys)) and any(r["phien_ban"] == 2 for r in late)
    assert any(isinstance(f["thuc_hien"], str) for r in late for f in r["so_lieu"])


def test_report_lists_the_spoiled_items(world) -> None:
    told = report(
        "2024-03-01",
        "2024-05-01",
        world=world,
        faults={"seed": 1, "malformed_rate": 0.3, "unknown_code_rate": 0.3},
    )
    assert told["reports"] > 30 and told["malformed"] and told["unknown_codes"]
    kinds = {m["kind"] for m in told["malformed"] + told["unknown_codes"]}
    assert kinds == {"text_number", "bad_date", "unknown_indicator", "unknown_unit"}
    files = excel_files(world=world, faults=FaultConfig(seed=1, malformed_rate=0.1))
    assert any(d["cell"][0] in "EFGH" for f in files for d in f.defects)

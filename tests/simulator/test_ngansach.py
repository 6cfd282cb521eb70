"""The ngansach simulator: deterministic, plausible budget figures, files dropped on time."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, datetime

import numpy as np
import pytest
from fastapi.testclient import TestClient
from simkit import UNITS_DIR

from simulator.app import Settings, build_app
from simulator.clock import AS_OF_SEC, local_seconds
from simulator.faults import FaultConfig
from simulator.holidays import TET
from simulator.ngansach import BudgetWorld, drop_files, report, write_drop
from simulator.ngansach.catalog import GROUP_CODES
from simulator.ngansach.world import MONTHS

SUBS = [g for g in GROUP_CODES if g.startswith("NOI_DIA_")]


@pytest.fixture(scope="module")
def world() -> BudgetWorld:
    return BudgetWorld(56)


@pytest.fixture(scope="module")
def files(world):
    return drop_files(world)


def newest(files) -> dict[tuple, dict]:
    """(ky, ma_dvhc, cap, group) -> row, the newest ngay_lap winning."""
    out: dict[tuple, dict] = {}
    for f in files:
        for r in f.rows:
            key = (r["ky"], r["ma_dvhc"], r["cap_ngan_sach"], r["ma_nhom_thu"])
            if key not in out or r["ngay_lap"] > out[key]["ngay_lap"]:
                out[key] = r
    return out


def old_and_new_codes() -> tuple[set[str], set[str], set[str], set[str]]:
    with (UNITS_DIR / "units_before_2025_07_01.csv").open(encoding="utf-8") as f:
        before = [r for r in csv.DictReader(f) if r["province_code"] in ("56", "58")]
    with (UNITS_DIR / "units_after_2025_07_01.csv").open(encoding="utf-8") as f:
        after = {r["commune_code"] for r in csv.DictReader(f) if r["province_code"] == "56"}
    return (
        {r["district_code"] for r in before},
        {r["commune_code"] for r in before},
        after,
        {"56", "58"},
    )


def test_deterministic_from_the_seed(world, files) -> None:
    again = drop_files(BudgetWorld(56))
    assert [f.rendered.content for f in again] == [f.rendered.content for f in files]
    other = drop_files(BudgetWorld(57))
    assert other[0].rendered.content != files[0].rendered.content


def test_files_published_a_few_days_after_month_end(files) -> None:
    names = [f.name for f in files]
    assert names[0] == "thu_ngan_sach_202201.csv" and names[-1] == "thu_ngan_sach_202609.csv"
    assert len(names) == len(set(names)) == MONTHS - 1  # 2026-10 is exported in November
    for f in files:
        text = f.rendered.content.decode("utf-8-sig")
        assert text.startswith(
            "ky;ma_dvhc;cap_ngan_sach;ma_nhom_thu;ten_nhom_thu;luy_ke_thuc_hien;du_toan_nam;"
        )
        stamp = datetime.fromisoformat(f.rows[0]["ngay_lap"])
        year, month = map(int, f.version.ky.split("-"))
        first_next = date(year + month // 12, month % 12 + 1, 1)
        assert 5 <= (stamp.date() - first_next).days + 1 <= 14 or f.version.version == 2
        assert stamp.weekday() < 5 and stamp.utcoffset().total_seconds() == 7 * 3600


def test_magnitudes_growth_and_merger(world) -> None:
    f, units = world.figures, world.units

    def total(code: str, first: int, m: int) -> float:
        i = next(
            i
            for i, u in enumerate(units)
            if u.code == code and u.level == "TINH" and u.first_month == first
        )
        return float(f.cumulative[i, :4, m].sum())

    for y in range(3):  # December cumulative = the year's revenue, million VND
        assert 13e6 < total("56", 0, 12 * y + 11) < 21e6
        assert 3.5e6 < total("58", 0, 12 * y + 11) < 5.5e6
    assert total("56", 0, 35) > 1.1 * total("56", 0, 11)  # growth 2022 → 2024
    merged_2025 = total("56", 42, 47)  # new Khánh Hòa counts the whole year
    assert 19e6 < merged_2025 < 28e6
    june = total("56", 0, 41) + total("58", 0, 41)
    assert total("56", 42, 42) > june  # July's cumulative starts from old provinces' June


def test_seasonality_december_peak_and_tet_dip(world) -> None:
    i = 0  # old Khánh Hòa
    cum = world.figures.cumulative[i, 0, :42]  # NOI_DIA
    flows = np.where(np.arange(42) % 12 == 0, cum, cum - np.roll(cum, 1))
    for y in range(3):
        year = flows[12 * y : 12 * y + 12]
        assert year[11] > 1.2 * np.median(year)  # December peak
        tet_month = TET[y].month - 1
        assert year[tet_month] < np.median(year)  # Tết dip


def test_rules_every_row_respects(files) -> None:
    rows = newest(files)
    by_unit: dict[tuple, dict[str, float]] = defaultdict(dict)
    for (ky, code, cap, group), r in rows.items():
        by_unit[(ky, code, cap)][group] = r["luy_ke_thuc_hien"]
        assert r["luy_ke_thuc_hien"] >= 0 and r["du_toan_nam"] >= 0
        if group == "DAU_THO":
            assert r["luy_ke_thuc_hien"] == 0
    for key, groups in by_unit.items():
        # Sub-groups never exceed NOI_DIA (the rest is other domestic revenue).
        assert sum(groups[g] for g in SUBS) <= groups["NOI_DIA"] + 0.05, key
    # Cumulative: non-decreasing within a year, but for rare refunds.
    steps = down = 0
    for (ky, code, cap, group), r in rows.items():
        year, month = ky.split("-")
        if month == "01" or group != "NOI_DIA":
            continue
        prev = rows.get((f"{year}-{int(month) - 1:02d}", code, cap, group))
        if prev is not None:
            steps += 1
            down += r["luy_ke_thuc_hien"] < prev["luy_ke_thuc_hien"]
    assert steps > 2000 and down / steps < 0.01


def test_estimate_constant_within_a_year_but_revisions(files) -> None:
    seen: dict[tuple, set[float]] = defaultdict(set)
    for r in newest(files).values():
        if r["cap_ngan_sach"] == "TINH":
            seen[(r["ky"][:4], r["ma_dvhc"], r["ma_nhom_thu"])].add(r["du_toan_nam"])
    assert all(len(v) <= 3 for v in seen.values())  # a revision, and the 2025 merger
    assert any(len(v) == 2 for v in seen.values())


def test_codes_follow_the_date(files) -> None:
    districts, old_communes, new_communes, provinces = old_and_new_codes()
    for r in newest(files).values():
        old = r["ky"] < "2025-07"
        code, cap = r["ma_dvhc"], r["cap_ngan_sach"]
        if cap == "TINH":
            assert code in (provinces if old else {"56"})
        elif cap == "HUYEN":
            assert old and code in districts
        else:
            assert code in (old_communes if old else new_communes)


def test_restatements_and_reexports(world) -> None:
    every = drop_files(world, every_version=True)
    restating = [f for f in every if any(r["ky"] != f.version.ky for r in f.rows)]
    assert restating
    first = {(f.name, f.version.version): f for f in every}
    for f in restating:
        year = f.version.ky[:4]
        earlier = {r["ky"] for r in f.rows if r["ky"] != f.version.ky}
        assert all(k[:4] == year and k < f.version.ky for k in earlier)
        # The correction is higher than what was first reported, and newer.
        for r in (r for r in f.rows if r["ky"] != f.version.ky):
            month = r["ky"].replace("-", "")
            original = first[(f"thu_ngan_sach_{month}.csv", 1)]
            was = next(
                o
                for o in original.rows
                if (o["ky"], o["ma_dvhc"], o["ma_nhom_thu"])
                == (r["ky"], r["ma_dvhc"], r["ma_nhom_thu"])
            )
            assert r["luy_ke_thuc_hien"] >= was["luy_ke_thuc_hien"]
            assert r["ngay_lap"] > was["ngay_lap"]
    again = [f for f in every if f.version.version == 2]
    assert again and all(first[(f.name, 1)].version.superseded for f in again)


def test_faults_spoil_the_reported_cells(world) -> None:
    cfg = FaultConfig(seed=5, malformed_rate=0.05, unknown_code_rate=0.03)
    out = report(world, 0, AS_OF_SEC, faults=cfg)
    defects = [f for f in out["files"] if f["file_defect"]]
    assert defects  # some files cannot be read at all
    spoiled = [s for f in out["files"] for s in f["malformed"]]
    assert {s["kind"] for s in spoiled} == {
        "text_number",
        "ambiguous_number",
        "bad_ky",
        "wrong_columns",
    }
    assert 0.03 < len(spoiled) / out["rows"] < 0.07
    clean = {f.name: f.rendered.content for f in drop_files(world, every_version=True)}
    faulty = {f.name: f for f in drop_files(world, faults=cfg)}
    for f in out["files"]:
        if f["superseded"] or f["file_defect"]:
            continue
        lines = faulty[f["name"]].rendered.content.decode("utf-8-sig").split("\r\n")
        clean_lines = clean[f["name"]].decode("utf-8-sig").split("\r\n")
        for s in f["malformed"] + f["unknown_codes"]:
            assert lines[s["line"] - 1] != clean_lines[s["line"] - 1]
            assert s["column"] == "*" or s["sent"] in lines[s["line"] - 1]


def test_drop_writes_what_is_published_by_the_clock(tmp_path) -> None:
    settings = Settings("id", "secret", drop_dir=tmp_path, sources=("ngansach",))
    folder = tmp_path / "ngansach"
    with TestClient(build_app(settings)) as http:
        assert len(list(folder.glob("*.csv"))) == MONTHS - 1
        assert http.post("/_sim/drops").json()["dropped"] == {"ngansach": []}  # unchanged
        r = http.post("/_sim/clock", json={"as_of": "2024-03-08T00:00:00+07:00"})
        names = sorted(p.name for p in folder.glob("*.csv"))
        assert names[-1] in ("thu_ngan_sach_202401.csv", "thu_ngan_sach_202402.csv")
        assert not list(folder.glob(".*.tmp"))
        http.post("/_sim/faults", json={"ngansach": {"malformed_rate": 0.2, "seed": 1}})
        dropped = http.post("/_sim/drops").json()["dropped"]["ngansach"]
        assert dropped == names  # every file rewritten with its faults
        lo, hi = "2023-03-01T00:00:00+07:00", "2024-03-01T00:00:00+07:00"
        rep = http.get(f"/_sim/ngansach/report?cap_nhat_tu={lo}&cap_nhat_den={hi}").json()
        assert rep["malformed_rows"] > 0 and len({f["name"] for f in rep["files"]}) == 12
        http.delete("/_sim/faults")
        r = http.post("/_sim/clock", json={"as_of": "2026-11-01T00:00:00+07:00"})
        assert r.status_code == 200
        assert len(list(folder.glob("*.csv"))) == MONTHS - 1


def test_write_drop_leaves_identical_files_alone(world, tmp_path) -> None:
    march = local_seconds(datetime(2023, 3, 20))
    assert len(write_drop(tmp_path, drop_files(world, march))) == 14
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert write_drop(tmp_path, drop_files(world, march)) == []
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before

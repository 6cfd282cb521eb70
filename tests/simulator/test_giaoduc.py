"""The giaoduc simulator: plausible schools, codes by date, updates by the clock, faults."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest
from simkit import SEED, UNITS_DIR

from simulator import Settings, run_in_thread
from simulator.clock import AS_OF_SEC, REFORM_SEC, local_seconds
from simulator.giaoduc import EducationWorld
from simulator.giaoduc.figures import parse_school_year

CLIENT = ("ioc-test", "giaoduc-secret-0123456789")
END_OF_YEAR = {start: local_seconds(datetime(start + 1, 8, 1)) for start in range(2021, 2027)}


@pytest.fixture(scope="module")
def world() -> EducationWorld:
    return EducationWorld(SEED)


def communes() -> tuple[set[str], set[str]]:
    old, new = set(), set()
    with (UNITS_DIR / "units_before_2025_07_01.csv").open(encoding="utf-8") as fh:
        old = {r["commune_code"] for r in csv.DictReader(fh) if r["province_code"] in ("56", "58")}
    with (UNITS_DIR / "units_after_2025_07_01.csv").open(encoding="utf-8") as fh:
        new = {r["commune_code"] for r in csv.DictReader(fh) if r["province_code"] == "56"}
    return old, new


def test_school_years_are_plausible(world) -> None:
    old, new = communes()
    for start in range(2021, 2027):
        rows = world.served(start, min(END_OF_YEAR[start], AS_OF_SEC))
        pupils = sum(r["so_hoc_sinh"] for r in rows)
        assert 1000 <= len(rows) <= 1060 and 450_000 < pupils < 510_000
        assert 0.48 < sum(r["so_hoc_sinh_nu"] for r in rows) / pupils < 0.495
        assert len({r["ma_truong"] for r in rows}) == len(rows)
        ninh_thuan = sum(r["ma_truong"].startswith("58") for r in rows)
        assert 330 <= ninh_thuan <= 370
        for r in rows:
            assert 25 <= r["so_hoc_sinh"] / r["so_lop"] <= 40
            assert r["so_hoc_sinh_nu"] <= r["so_hoc_sinh"]
            assert r["so_giao_vien_dat_chuan"] <= r["so_giao_vien"]
            when = local_seconds(datetime.fromisoformat(r["ngay_cap_nhat"]))
            assert r["ma_dvhc"] in (old if when < REFORM_SEC else new)
    levels = Counter(r["cap_hoc"] for r in world.served(2024, END_OF_YEAR[2024]))
    assert levels["MN"] > levels["TH"] > levels["THCS"] > levels["THPT"] > levels["GDTX"] > 10
    qualified = []
    for start in (2021, 2026):
        rows = world.served(start, min(END_OF_YEAR[start], AS_OF_SEC))
        qualified.append(
            sum(r["so_giao_vien_dat_chuan"] for r in rows) / sum(r["so_giao_vien"] for r in rows)
        )
    assert 0.8 < qualified[0] < qualified[1] < 0.97


def test_schools_open_close_and_merge_but_keep_their_code(world) -> None:
    codes = {s: {r["ma_truong"] for r in world.served(s, END_OF_YEAR[s])} for s in (2021, 2025)}
    assert codes[2021] - codes[2025] and codes[2025] - codes[2021]
    merged = [s for s in world.schools if s.merged_into]
    assert merged and all(s.merged_into in codes[2025] for s in merged)
    moved = {r["ma_truong"]: r["ma_dvhc"] for r in world.served(2025, END_OF_YEAR[2025])}
    before = {r["ma_truong"]: r["ma_dvhc"] for r in world.served(2024, END_OF_YEAR[2024])}
    assert sum(moved[c] != before[c] for c in moved.keys() & before.keys()) > 600


def test_exam_results_are_plausible(world) -> None:
    thpt = {s.ma_truong for s in world.schools if s.cap_hoc in ("THPT", "GDTX")}
    for year in range(2022, 2027):
        rows = world.exam_results(year)
        assert {r["ma_truong"] for r in rows} <= thpt and len(rows) > 70
        rate = sum(r["thi_sinh_tot_nghiep"] for r in rows) / sum(r["thi_sinh_du_thi"] for r in rows)
        assert 0.965 < rate < 0.995
        assert all(r["thi_sinh_tot_nghiep"] <= r["thi_sinh_du_thi"] for r in rows)
        published = world.exam_published(year)
        assert world.exam_served(year, published - 1) == []
        assert world.exam_served(year, published) == list(rows)


def test_updates_follow_the_clock_and_the_seed_decides(world) -> None:
    opening, _, april = world.rounds(2023)
    assert world.served(2023, opening - 1) == []
    first, later = world.served(2023, opening + 86400), world.served(2023, april + 4 * 86400)
    changed = [(a, b) for a, b in zip(first, later, strict=True) if a != b]
    assert 0.7 * len(first) < len(changed) < len(first)  # most schools updated at least once
    assert all(b["ngay_cap_nhat"] > a["ngay_cap_nhat"] for a, b in changed)
    same = EducationWorld(SEED)
    assert same.served(2023, AS_OF_SEC) == world.served(2023, AS_OF_SEC)
    assert EducationWorld(SEED + 1).served(2023, AS_OF_SEC) != world.served(2023, AS_OF_SEC)
    assert parse_school_year("2023-2024") == 2023
    with pytest.raises(ValueError):
        parse_school_year("2023-2025")


@pytest.fixture(scope="module")
def server() -> Iterator:
    with run_in_thread(Settings(*CLIENT, seed=SEED, sources=("giaoduc",))) as running:
        yield running


def test_http_listing_faults_and_report(server, world) -> None:
    base, admin = server.url("giaoduc"), server.base_url
    form = {"grant_type": "client_credentials", "client_id": CLIENT[0], "client_secret": CLIENT[1]}
    headers = {
        "Authorization": "Bearer "
        + httpx.post(f"{base}/oauth/token", data=form).json()["access_token"]
    }
    url = f"{base}/api/v1/truong"
    body = httpx.get(
        url, params={"nam_hoc": "2023-2024", "page_size": 1000}, headers=headers
    ).json()
    assert body["data"] == list(world.served(2023, AS_OF_SEC))[:1000]
    assert body["total"] == len(world.served(2023, AS_OF_SEC)) and body["total_pages"] == 2
    assert httpx.get(url, params={"nam_hoc": "2023"}, headers=headers).status_code == 400
    assert httpx.get(url, params={"nam_hoc": "2023-2024"}).status_code == 401
    faults = {"seed": 2, "malformed_rate": 0.05, "unknown_code_rate": 0.05}
    httpx.post(f"{admin}/_sim/faults", json={"giaoduc": faults}).raise_for_status()
    try:
        exams = httpx.get(
            f"{base}/api/v1/ket-qua-tot-nghiep", params={"nam": 2024}, headers=headers
        ).json()["data"]
        window = {"cap_nhat_tu": "2024-01-01T00:00:00", "cap_nhat_den": "2024-12-31T00:00:00"}
        report = httpx.get(f"{admin}/_sim/giaoduc/report", params=window).json()
    finally:
        httpx.delete(f"{admin}/_sim/faults").raise_for_status()
    true = world.exam_results(2024)
    spoiled = [m for m in report["malformed"] + report["unknown_codes"] if m.get("nam") == 2024]
    assert spoiled and report["ket_qua_tot_nghiep"][0]["records"] == len(true) == len(exams)
    for s in spoiled:
        i = next(i for i, r in enumerate(true) if r["ma_truong"] == s["ma_truong"])
        assert exams[i][s["field"]] == s["sent"] and true[i][s["field"]] == s["expected"]

"""Multi-province mode (simulator/provinces.py): every province serves all five sources under
/<code>/<source>, built from its own real units, volumes by population; the demo province
is served there exactly as in the one-province mode.

Reference data are read here from the admin-unit CSVs and the population table, apart from
the code under test."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from simulator import Settings, run_in_thread
from simulator.admin_units import load_demo_units
from simulator.dulich import OFFICIAL, TourismWorld
from simulator.giaoduc.figures import EducationWorld
from simulator.ngansach.world import BudgetWorld
from simulator.reporting.world import ReportingWorld
from tests.simulator.simkit import UNITS_DIR

SEED = 56
CLIENT = ("ioc-test", "provinces-secret-0123456789")
POPULATION = Path(__file__).resolve().parents[2] / "simulator" / "province_population.csv"
SOURCES = ["reporting", "dichvucong", "ngansach", "dulich", "giaoduc"]
HANOI, CAO_BANG, HCMC = "01", "04", "79"  # one old province each; HCMC: three


def people() -> dict[str, int]:
    with POPULATION.open(encoding="utf-8") as fh:
        return {r["province_code"]: int(r["population_thousands"]) for r in csv.DictReader(fh)}


def codes(province: str) -> set[str]:
    """Every code ``province``'s systems may send: it, its communes; its old provinces,
    their districts and communes."""
    with (UNITS_DIR / "province_crosswalk_2025.csv").open(encoding="utf-8") as fh:
        old = {
            r["old_province_code"] for r in csv.DictReader(fh) if r["new_province_code"] == province
        }
    out = {province, *old}
    with (UNITS_DIR / "units_after_2025_07_01.csv").open(encoding="utf-8") as fh:
        out |= {r["commune_code"] for r in csv.DictReader(fh) if r["province_code"] == province}
    with (UNITS_DIR / "units_before_2025_07_01.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["province_code"] in old:
                out |= {r["district_code"], r["commune_code"]}
    return out


@pytest.mark.parametrize("province", [HANOI, HCMC])
def test_every_source_sends_only_its_provinces_real_codes(province: str) -> None:
    allowed = codes(province)
    units = load_demo_units(province=province)
    tourism = TourismWorld(SEED, province)
    for month in ((2025, 3), (2025, 8)):
        rows = tourism.rows(*month, OFFICIAL)
        assert {r["ma_dvhc"] for r in rows} <= allowed
    assert province in {r["ma_dvhc"] for r in tourism.rows(2025, 8, OFFICIAL)}
    budget = BudgetWorld(SEED, units)
    assert {u.code for u in budget.units} <= allowed
    assert [u.code for u in budget.units if u.level == "TINH"][-1] == province
    education = EducationWorld(SEED, units)
    assert {s.ma_truong[:2] for s in education.schools} <= allowed
    assert {r["ma_dvhc"] for r in education.served(2025, 10**12)} <= allowed
    reporting = ReportingWorld(SEED, units)
    areas = {f.area for r in reporting.reports for version in r.figures for f in version}
    assert areas <= allowed and province in areas
    assert all(r.unit.startswith(f"T{r.area.code}_") for r in reporting.reports)


def test_volumes_follow_population() -> None:
    """Hà Nội against Cao Bằng (one old province each): tourism establishments, budget
    revenue and reported additive totals in the ratio of their people, to the worlds' noise."""
    ratio = people()[HANOI] / people()[CAO_BANG]

    def province_row(code: str, field: str) -> float:
        rows = TourismWorld(SEED, code).rows(2025, 8, OFFICIAL)
        return next(r[field] for r in rows if r["ma_dvhc"] == code)

    beds = province_row(HANOI, "so_co_so_luu_tru") / province_row(CAO_BANG, "so_co_so_luu_tru")
    assert beds == pytest.approx(ratio, rel=0.05)

    def revenue_2024(code: str) -> float:
        world = BudgetWorld(SEED, load_demo_units(province=code))
        row = next(i for i, u in enumerate(world.units) if u.code == code and u.level == "TINH")
        return float(world.figures.cumulative[row, 0, 35])  # domestic, December 2024 YTD

    assert revenue_2024(HANOI) / revenue_2024(CAO_BANG) == pytest.approx(ratio, rel=0.15)


def test_the_demo_province_is_the_one_province_modes() -> None:
    """Built for 56 by the multi-province path, each world equals the default one."""
    units = load_demo_units(province="56")
    assert TourismWorld(SEED, "56").rows(2025, 8, OFFICIAL) == TourismWorld(SEED).rows(
        2025, 8, OFFICIAL
    )
    assert [(s.ma_truong, s.place) for s in EducationWorld(SEED, units).schools] == [
        (s.ma_truong, s.place) for s in EducationWorld(SEED).schools
    ]
    assert (
        BudgetWorld(SEED, units).figures.cumulative == BudgetWorld(SEED).figures.cumulative
    ).all()
    assert ReportingWorld(SEED, units).reports == ReportingWorld(SEED).reports


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    drops = tmp_path_factory.mktemp("drops")
    settings = Settings(*CLIENT, seed=SEED, scale=0.001, provinces=(CAO_BANG, "56"), drop_dir=drops)
    with run_in_thread(settings) as running:
        yield running, drops


def token(base: str) -> dict[str, str]:
    form = {"grant_type": "client_credentials", "client_id": CLIENT[0], "client_secret": CLIENT[1]}
    access = httpx.post(f"{base}/oauth/token", data=form).json()["access_token"]
    return {"Authorization": f"Bearer {access}"}


def test_each_province_serves_all_five_at_its_own_base_url(server) -> None:
    running, drops = server
    health = httpx.get(f"{running.base_url}/healthz").json()
    assert health["provinces"] == {CAO_BANG: SOURCES, "56": SOURCES}
    base = f"{running.base_url}/{CAO_BANG}"
    allowed = codes(CAO_BANG)
    served = {}
    for source, path, params in (
        ("dulich", "/api/v1/thong-ke-thang", {"nam": 2025, "thang": 8}),
        ("giaoduc", "/api/v1/truong", {"nam_hoc": "2025-2026"}),
        ("reporting", "/api/v1/bao-cao", {"nam": 2025}),
    ):
        url = f"{base}/{source}"
        body = httpx.get(f"{url}{path}", params=params, headers=token(url), timeout=60).json()
        served[source] = body["data"]
        assert body["data"], source
    assert {r["ma_dvhc"] for r in served["dulich"] + served["giaoduc"]} <= allowed
    assert {r["ma_don_vi"][:4] for r in served["reporting"]} == {f"T{CAO_BANG}_"}
    # The file sources drop into <drop_dir>/<province>/<source>/, each province its own.
    for source in ("ngansach", "reporting"):
        assert any((drops / CAO_BANG / source).iterdir()), source
        assert any((drops / "56" / source).iterdir()), source
    # "ma_dvhc" is the second column (padded with spaces now and then, as people type)
    budget = {
        line.split(";")[1].strip()
        for f in (drops / CAO_BANG / "ngansach").glob("*.csv")
        for line in f.read_bytes().decode("utf-8-sig").splitlines()[1:]
        if line
    }
    assert CAO_BANG in budget and budget <= allowed

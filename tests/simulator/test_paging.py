"""Paging and windows of GET /api/v1/ho-so, and the catalog endpoint."""

from __future__ import annotations

import httpx
import orjson
import pytest
from simkit import MARCH, SourceClient, pages_needed

from simulator.clock import AS_OF
from simulator.dichvucong import procedures, records

SPEC_FIELDS = {
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "MaCoQuan",
    "CapThucHien",
    "MaDVHC",
    "KenhNop",
    "MucDo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTraKetQua",
    "TrangThai",
    "ThanhToanTrucTuyen",
    "PhiLePhi",
    "DaSoHoa",
    "DanhGiaHaiLong",
    "ChuHoSo",
    "NgayCapNhat",
}


def _keys(rows: list[dict]) -> list[tuple[str, str]]:
    return [(r["MaHoSo"], r["NgayCapNhat"]) for r in rows]


def _expected_keys(world, tu: str, den: str) -> list[tuple[str, str]]:
    t = records(tu, den, world=world, owner=False)
    stamps = [f"{ts.isoformat()}+07:00" for ts in t.column("NgayCapNhat").to_pylist()]
    return list(zip(t.column("MaHoSo").to_pylist(), stamps, strict=True))


def test_pages_add_up_to_the_window(client: SourceClient, world) -> None:
    pull = client.pull(*MARCH, page_size=100)
    expected = _expected_keys(world, *MARCH)
    assert len(expected) > 1000
    got = _keys(pull.records)
    assert got == expected  # same records, same order, no duplicates
    assert len(set(got)) == len(got)
    assert pull.total == len(expected)
    assert pull.total_pages == pages_needed(len(expected), 100)
    assert all(len(p) == 100 for p in pull.pages[:-1]) and 0 < len(pull.pages[-1]) <= 100
    assert {k for r in pull.records for k in r} == SPEC_FIELDS
    assert all(
        set(r["ChuHoSo"]) == {"HoTen", "SoGiayTo", "SoDienThoai", "DiaChi"} for r in pull.records
    )


def test_order_is_stable_across_requests(client: SourceClient) -> None:
    params = {"cap_nhat_tu": MARCH[0], "cap_nhat_den": MARCH[1], "page_size": 50}
    forward = [client.get("/api/v1/ho-so", {**params, "page": p}).content for p in (1, 2, 3)]
    backward = [client.get("/api/v1/ho-so", {**params, "page": p}).content for p in (3, 2, 1)]
    assert forward == backward[::-1]
    bigger = orjson.loads(
        client.get("/api/v1/ho-so", {**params, "page_size": 150, "page": 1}).content
    )["data"]
    assert bigger == [r for b in forward for r in orjson.loads(b)["data"]]


def test_records_stay_inside_the_window(client: SourceClient, world) -> None:
    tu, den = "2024-03-11T10:30:00+07:00", "2024-03-13T14:45:00+07:00"
    got = _keys(client.pull(tu, den, page_size=1000).records)
    assert got == _expected_keys(world, tu, den)
    assert got and all(tu <= stamp < den for _, stamp in got)
    wider = _expected_keys(world, "2024-03-11T08:30:00+07:00", "2024-03-13T16:45:00+07:00")
    outside = set(wider) - set(got)
    assert outside and all(not tu <= stamp < den for _, stamp in outside)


def test_nothing_at_or_after_as_of(client: SourceClient) -> None:
    late = client.pull("2026-10-25T00:00:00+07:00", "2027-01-01T00:00:00+07:00", page_size=1000)
    assert late.records
    assert max(r["NgayCapNhat"] for r in late.records) < AS_OF.isoformat()
    after = client.pull("2026-11-01T00:00:00+07:00", "2026-12-01T00:00:00+07:00")
    assert after.total == 0 and after.records == []


def test_other_offsets_and_an_unencoded_plus_mean_the_same_instant(client: SourceClient) -> None:
    def total(tu: str, den: str) -> int:
        r = client.get("/api/v1/ho-so", {"cap_nhat_tu": tu, "cap_nhat_den": den})
        return r.json()["total"]

    ref = total("2024-03-05T00:00:00+07:00", "2024-03-06T00:00:00+07:00")
    assert ref > 0
    assert total("2024-03-04T17:00:00Z", "2024-03-05T17:00:00Z") == ref
    r = client.http.get(
        f"{client.base}/api/v1/ho-so?cap_nhat_tu=2024-03-05T00:00:00+07:00"
        "&cap_nhat_den=2024-03-06T00:00:00+07:00",
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert r.json()["total"] == ref


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 1001},
        {"page_size": 0},
        {"page": 0},
        {"page": "x"},
        {"cap_nhat_tu": None},
        {"cap_nhat_den": "not a date"},
        {"cap_nhat_den": MARCH[0]},
        {"cap_nhat_tu": "2022-01-01T00:00:00+07:00"},
    ],
)
def test_bad_parameters_are_400(client: SourceClient, params: dict) -> None:
    query = {"cap_nhat_tu": MARCH[0], "cap_nhat_den": MARCH[1], "page": 1, "page_size": 100}
    query.update(params)
    query = {k: v for k, v in query.items() if v is not None}
    r = client.get("/api/v1/ho-so", query)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_parameter" and r.json()["error"]["message"]


def test_page_after_the_last_is_empty(client: SourceClient) -> None:
    r = client.get(
        "/api/v1/ho-so",
        {"cap_nhat_tu": MARCH[0], "cap_nhat_den": MARCH[1], "page": 10_000, "page_size": 1000},
    ).json()
    assert r["data"] == [] and r["page"] == 10_000 and r["total"] > 0


def test_catalog_endpoint(client: SourceClient) -> None:
    body = client.get("/api/v1/thu-tuc", {}).json()
    assert body["data"] == procedures()
    assert 40 <= body["total"] <= 60 and body["total_pages"] == 1
    small = client.get("/api/v1/thu-tuc", {"page": 2, "page_size": 10}).json()
    assert small["data"] == procedures()[10:20]


def test_healthz(sim) -> None:
    body = httpx.get(f"{sim.base_url}/healthz").json()
    assert body["status"] == "ok"
    assert body["sources"] == ["reporting", "dichvucong", "ngansach", "dulich", "giaoduc"]

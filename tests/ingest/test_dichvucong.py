"""The dichvucong connector against the simulator: complete, exact, idempotent, private."""

from __future__ import annotations

from datetime import datetime

import httpx
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from ingest import dichvucong
from ingest.common.http import SourceClient, SourceError
from ingest.common.ledger import Ledger
from ingest.common.settings import SourceEndpoint
from ingest.common.windows import Window
from simulator import dichvucong as sim_dichvucong
from tests.ingest.conftest import SCALE, SEED, promoted

MARCH = Window(datetime(2024, 3, 1), datetime(2024, 4, 1))


def lake_table(paths, dataset: str = "ho_so") -> pa.Table:
    return ds.dataset(
        paths.lake / "dichvucong" / dataset, format="parquet", partitioning="hive"
    ).to_table()


def served(window: Window, owner: bool = False) -> pa.Table:
    return sim_dichvucong.records(window.start, window.end, seed=SEED, scale=SCALE, owner=owner)


def test_a_window_lands_whole_and_exactly(client, paths, pseudonymiser) -> None:
    result = promoted(paths, dichvucong.load_dossiers(client, paths, MARCH, pseudonymiser))
    lake, source = lake_table(paths), served(MARCH)
    assert result.rows_loaded == lake.num_rows == source.num_rows > 500
    assert result.rows_quarantined == 0
    keys = pc.binary_join_element_wise(
        lake["MaHoSo"], pc.cast(lake["NgayCapNhat"], pa.string()), "|"
    )
    assert pc.count_distinct(keys).as_py() == lake.num_rows  # no duplicates
    # Every value as the source sent it: compare a few columns record by record.
    cols = [
        "MaHoSo",
        "NgayCapNhat",
        "MaCoQuan",
        "MaDVHC",
        "TrangThai",
        "NgayKetThucXuLy",
        "PhiLePhi",
        "DanhGiaHaiLong",
    ]
    order = [("MaHoSo", "ascending"), ("NgayCapNhat", "ascending")]
    assert (
        lake.select(cols).sort_by(order).to_pylist()
        == source.select(cols).sort_by(order).to_pylist()
    )
    assert set(lake["_load_id"].to_pylist()) == {result.load_id}
    assert all(ref.startswith("GET /api/v1/ho-so?") for ref in lake["_source_ref"].to_pylist())


def test_owner_data_never_reaches_disk(client, paths, pseudonymiser) -> None:
    promoted(paths, dichvucong.load_dossiers(client, paths, MARCH, pseudonymiser))
    owners = served(MARCH, owner=True)["ChuHoSo"].to_pylist()
    secrets = {v for o in owners for v in o.values() if v and len(str(v)) > 4}
    on_disk = b"".join(p.read_bytes() for p in paths.root.rglob("*") if p.is_file())
    lake = lake_table(paths)
    strings = {
        v
        for name in lake.column_names
        if pa.types.is_string(lake[name].type)
        for v in lake[name].to_pylist()
    }
    assert not secrets & strings
    assert not any(s.encode() in on_disk for s in list(secrets)[:200])
    # Same owner, same token: repeat filers stay countable.
    ids = [o["SoGiayTo"] for o in owners]
    tokens = dict(zip(ids, (pseudonymiser.token(i) for i in ids), strict=True))
    assert set(lake["ChuHoSoHash"].to_pylist()) == set(tokens.values())


def test_rerunning_a_window_changes_nothing(client, paths, pseudonymiser) -> None:
    first = promoted(paths, dichvucong.load_dossiers(client, paths, MARCH, pseudonymiser))
    before = pq.read_table(first.location).drop_columns(["_extracted_at"])
    second = promoted(paths, dichvucong.load_dossiers(client, paths, MARCH, pseudonymiser))
    after = pq.read_table(second.location).drop_columns(["_extracted_at"])
    assert second.location == first.location
    assert len(list((paths.lake / "dichvucong" / "ho_so").iterdir())) == 1
    assert after.equals(before)
    ledger = Ledger(paths.meta).entries("dichvucong", "ho_so")
    assert ledger["status"].to_pylist() == ["success", "success"]


def test_run_resumes_from_the_ledger_watermark(client, paths, pseudonymiser) -> None:
    promoted(
        paths,
        dichvucong.run(
            client, paths, pseudonymiser, until=datetime(2024, 2, 1), since=datetime(2024, 1, 1)
        ),
    )
    assert Ledger(paths.meta).watermark("dichvucong", "ho_so") == datetime(2024, 2, 1)
    results = promoted(
        paths, dichvucong.run(client, paths, pseudonymiser, until=datetime(2024, 3, 15))
    )
    windows = [r.window for r in results if r.dataset == "ho_so"]
    assert windows == [
        Window(datetime(2024, 2, 1), datetime(2024, 3, 1)),
        Window(datetime(2024, 3, 1), datetime(2024, 3, 15)),
    ]
    assert (
        lake_table(paths).num_rows
        == served(Window(datetime(2024, 1, 1), datetime(2024, 3, 15))).num_rows
    )
    # The catalog is snapshotted once per run; the newest snapshot is the whole catalog.
    catalog = lake_table(paths, "thu_tuc")
    newest = catalog.filter(pc.equal(catalog["_load_id"], "thu_tuc_20240315T0000"))
    assert set(catalog["_load_id"].to_pylist()) == {
        "thu_tuc_20240201T0000",
        newest["_load_id"][0].as_py(),
    }
    assert sorted(newest["MaTTHC"].to_pylist()) == sorted(
        p["MaTTHC"] for p in sim_dichvucong.procedures()
    )


def test_wrong_secret_is_refused_clearly(sim, paths, pseudonymiser) -> None:
    endpoint = SourceEndpoint(sim.url("dichvucong"), "test-client", "wrong")
    with SourceClient(endpoint) as bad, pytest.raises(SourceError, match="client credentials"):
        promoted(paths, dichvucong.load_dossiers(bad, paths, MARCH, pseudonymiser))
    ledger = Ledger(paths.meta).entries("dichvucong", "ho_so")
    assert ledger["status"].to_pylist() == ["failed"]
    assert not (paths.lake / "dichvucong" / "ho_so" / f"load_id=ho_so_{MARCH.key}").exists()


FAULTS = {
    "seed": 7,
    "error_rate": 0.15,
    "rate_limit_rate": 0.1,
    "retry_after": 1,
    "token_max_requests": 7,
    "duplicate_page_rate": 0.2,
    "short_page_rate": 0.2,
    "malformed_rate": 0.01,
    "unknown_code_rate": 0.01,
    "slow_rate": 0.03,
    "slow_seconds": 3,
}


@pytest.fixture
def faulty(sim):
    httpx.post(f"{sim.base_url}/_sim/faults", json={"dichvucong": FAULTS}).raise_for_status()
    yield FAULTS
    httpx.delete(f"{sim.base_url}/_sim/faults").raise_for_status()


def test_every_fault_at_once_loses_and_duplicates_nothing(
    faulty, sim, paths, pseudonymiser
) -> None:
    endpoint = SourceEndpoint(sim.url("dichvucong"), "test-client", "test-secret-0123456789")
    with SourceClient(endpoint, timeout=1.5) as client:
        result = promoted(
            paths, dichvucong.load_dossiers(client, paths, MARCH, pseudonymiser, page_size=200)
        )
    report = sim_dichvucong.report(MARCH.start, MARCH.end, seed=SEED, scale=SCALE, faults=faulty)
    spoiled = {(m["MaHoSo"], m["kind"]) for m in report["malformed"]}
    to_quarantine = {h for h, kind in spoiled if kind in ("text_number", "bad_date")}
    lake = lake_table(paths)
    quarantine = pq.read_table(
        paths.meta / "quarantine" / "dichvucong__ho_so" / f"{result.load_id}.parquet"
    )
    # Nothing lost, nothing twice: lake + quarantine = what the source holds.
    assert lake.num_rows + quarantine.num_rows == report["records"]
    assert result.rows_loaded == lake.num_rows and result.rows_quarantined == quarantine.num_rows
    assert quarantine.num_rows == len(to_quarantine) > 0
    # Each quarantined row says which record, where it came from, and why.
    for row in quarantine.to_pylist():
        record = orjson.loads(row["record"])
        assert row["reason"].startswith(f"MaHoSo {record['MaHoSo']!r}: field ")
        assert "field " in row["reason"] and "#record=" in row["raw_location"]
        assert 'ChuHoSo"' not in row["record"] and "SoGiayTo" not in row["record"]
    # A Vietnamese-format number is not an error: it is read as the number it is.
    fees = dict(zip(lake["MaHoSo"].to_pylist(), lake["PhiLePhi"].to_pylist(), strict=True))
    for m in report["malformed"]:
        if m["kind"] == "vn_number":
            assert fees[m["MaHoSo"]] == m["expected"]
    # Unknown codes are data, loaded as sent (the expectations flag them).
    units = set(lake["MaDVHC"].to_pylist())
    for u in report["unknown_codes"]:
        if u["field"] == "MaDVHC":
            assert u["sent"] in units
    # And the transient faults really happened on the way.
    injected = httpx.get(
        f"{sim.base_url}/_sim/dichvucong/report",
        params={
            "cap_nhat_tu": "2024-03-01T00:00:00+07:00",
            "cap_nhat_den": "2024-04-01T00:00:00+07:00",
        },
    ).json()["injected"]
    assert result.duplicates > 0  # repeated pages were seen and skipped
    for kind in ("error_5", "rate_limit", "short_page", "slow"):
        assert sum(n for k, n in injected.items() if k.startswith(kind)) > 0, (kind, injected)


def test_an_empty_window_is_an_empty_load(client, paths, pseudonymiser) -> None:
    # Nothing changes in the small hours of Tết: the source answers total 0, total_pages 0.
    window = Window(datetime(2024, 2, 10, 2, 0), datetime(2024, 2, 10, 2, 1))
    assert sim_dichvucong.records(window.start, window.end, seed=SEED, scale=SCALE).num_rows == 0
    result = promoted(paths, dichvucong.load_dossiers(client, paths, window, pseudonymiser))
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (0, 0, 0)
    assert pq.read_table(result.location).num_rows == 0

"""Dossiers that come again (issue 15), from the simulator's revision faults through the
connector and the real dbt build: a dossier revised after publication and an older copy sent
after the newer one in a page both leave the newest state in fct_dossier; an identical repeat
changes nothing; a conflict (same update time, other content) is kept, counted in dq_revision
and settled by the copy received last; a dossier with an unknown unit is counted in
dq_unplaced_record with its reason and stays in fct_dossier. The raw archive holds the pages
with owners pseudonymised, and re-parsing it lands the same rows.

Expected figures come from the pages as the simulator serves them, fetched here with httpx
and worked out in plain Python (not with the connector or dbt)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import httpx
import orjson
import pyarrow.dataset as ds
import pytest

from ingest import dichvucong
from ingest.common.http import SourceClient
from ingest.common.pseudonymise import Pseudonymiser
from ingest.common.raw import ReplayClient, raw_path, read_pages
from ingest.common.results import LoadResult
from ingest.common.settings import SourceEndpoint, WarehousePaths
from ingest.common.windows import Window
from tests.dbt.dbt_harness import Warehouse, warehouse
from tests.ingest.conftest import CLIENT_ID, CLIENT_SECRET, promoted

MARCH = Window(datetime(2024, 3, 1), datetime(2024, 4, 1))
APRIL = Window(datetime(2024, 4, 1), datetime(2024, 5, 1))
PAGE_SIZE = 200
FAULTS = {
    "seed": 11,
    "revision_rate": 0.08,
    "stale_copy_rate": 0.05,
    "repeat_rate": 0.04,
    "conflict_rate": 0.04,
    "unknown_code_rate": 0.01,
}
OWNER_FIELDS = ("HoTen", "SoGiayTo", "SoDienThoai", "DiaChi")
CLOSED = ("DA_TRA_KET_QUA", "TU_CHOI", "RUT_HO_SO")


def served(url: str, window: Window) -> list[dict]:
    """Every record of the window's pages, in the order served."""
    token = httpx.post(
        f"{url}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
    ).json()["access_token"]
    params = {
        "cap_nhat_tu": f"{window.start:%Y-%m-%dT%H:%M:%S}+07:00",
        "cap_nhat_den": f"{window.end:%Y-%m-%dT%H:%M:%S}+07:00",
        "page_size": PAGE_SIZE,
    }
    records, page, pages = [], 1, 1
    while page <= pages:
        body = httpx.get(
            f"{url}/api/v1/ho-so",
            params={**params, "page": page},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        records += body["data"]
        pages, page = body["total_pages"], page + 1
    return records


def content(record: dict) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def when(record: dict) -> datetime:
    return datetime.fromisoformat(record["NgayCapNhat"])


@dataclass
class Sent:
    """What the source sent, told apart by hand: per (MaHoSo, NgayCapNhat) its distinct
    contents in the order first received."""

    records: list[dict]

    @property
    def versions(self) -> dict[tuple, list[dict]]:
        out: dict[tuple, list[dict]] = {}
        for r in self.records:
            copies = out.setdefault((r["MaHoSo"], when(r)), [])
            if content(r) not in map(content, copies):
                copies.append(r)
        return out

    @property
    def repeats(self) -> int:
        return len(self.records) - sum(map(len, self.versions.values()))

    @property
    def conflicts(self) -> int:
        return sum(len(v) - 1 for v in self.versions.values())

    def standing(self) -> dict[str, dict]:
        """Per dossier: its newest update; of different copies of it, the one received last."""
        out: dict[str, dict] = {}
        for (dossier, at), copies in self.versions.items():
            if dossier not in out or at > when(out[dossier]):
                out[dossier] = copies[-1]
        return out

    def revisions(self) -> int:
        """Updates of a dossier after the first update that closed it."""
        closed: dict[str, datetime] = {}
        for r in self.records:
            if r["NgayKetThucXuLy"] is not None or r["TrangThai"] == "RUT_HO_SO":
                at = when(r)
                closed[r["MaHoSo"]] = min(at, closed.get(r["MaHoSo"], at))
        return sum(1 for dossier, at in self.versions if dossier in closed and at > closed[dossier])


@dataclass
class Landed:
    wh: Warehouse
    march: Sent
    april: Sent
    results: dict[str, LoadResult]
    status_after_march: dict[str, str]


@pytest.fixture(scope="module")
def landed(sim, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Landed]:
    httpx.post(f"{sim.base_url}/_sim/faults", json={"dichvucong": FAULTS}).raise_for_status()
    try:
        url = sim.url("dichvucong")
        march, april = Sent(served(url, MARCH)), Sent(served(url, APRIL))
        with warehouse(tmp_path_factory.mktemp("dossier_versions")) as wh:
            paths = WarehousePaths(wh.root)
            results = {}
            select = ("--indirect-selection", "cautious", "--select", "+fct_dossier")
            select += ("+dq_revision", "+dq_unplaced_record")
            with SourceClient(SourceEndpoint(url, CLIENT_ID, CLIENT_SECRET)) as client:
                results["march"] = promoted(paths, load(client, paths, MARCH))
                wh.dbt("build", *select)  # published: the dashboards show March
                after_march = wh.query("select dossier_id, status from marts.fct_dossier")
                results["april"] = promoted(paths, load(client, paths, APRIL))
            wh.dbt("build", *select)
            status = {r["dossier_id"]: r["status"] for r in after_march}
            yield Landed(wh, march, april, results, status)
    finally:
        httpx.delete(f"{sim.base_url}/_sim/faults").raise_for_status()


def load(client, paths: WarehousePaths, window: Window) -> LoadResult:
    return dichvucong.load_dossiers(client, paths, window, PSEUDONYMISER, page_size=PAGE_SIZE)


PSEUDONYMISER = Pseudonymiser.from_secret("a-test-key-that-is-long-enough")


def test_the_faults_happened(landed: Landed) -> None:
    sent = Sent(landed.march.records + landed.april.records)
    assert sent.repeats > 0 and sent.conflicts > 0 and sent.revisions() > 0
    older_after_newer = [
        (a, b)
        for page_records in (landed.march.records, landed.april.records)
        for a, b in pairwise(page_records)
        if a["MaHoSo"] == b["MaHoSo"] and when(b) < when(a)
    ]
    assert older_after_newer  # a stale copy right after the newer record


def test_repeats_are_skipped_and_conflicts_kept(landed: Landed) -> None:
    for name, sent in (("march", landed.march), ("april", landed.april)):
        result = landed.results[name]
        assert result.rows_in == len(sent.records)
        assert result.duplicates == sent.repeats
        assert result.rows_loaded == len(sent.records) - sent.repeats
    lake = ds.dataset(
        landed.wh.lake / "dichvucong" / "ho_so", format="parquet", partitioning="hive"
    ).to_table()
    marked = sum("#record=" in ref for ref in lake["_source_ref"].to_pylist())
    assert marked == landed.march.conflicts + landed.april.conflicts


def test_fct_dossier_holds_the_newest_state(landed: Landed) -> None:
    standing = Sent(landed.march.records + landed.april.records).standing()
    rows = landed.wh.query(
        "select dossier_id, status, is_digitised, updated_at from marts.fct_dossier"
    )
    got = {r["dossier_id"]: (r["status"], r["is_digitised"], r["updated_at"]) for r in rows}
    want = {
        d: (r["TrangThai"], bool(r["DaSoHoa"]), when(r).replace(tzinfo=None))
        for d, r in standing.items()
    }
    assert got == want


def test_a_revision_after_publication_replaces_the_published_state(landed: Landed) -> None:
    march_standing = landed.march.standing()
    standing = Sent(landed.march.records + landed.april.records).standing()
    revised = {
        d
        for d, r in standing.items()
        if d in march_standing
        and r["TrangThai"] != march_standing[d]["TrangThai"]
        and march_standing[d]["TrangThai"] in ("DA_TRA_KET_QUA", "TU_CHOI")
    }
    assert revised
    now = {
        r["dossier_id"]: r["status"]
        for r in landed.wh.query("select dossier_id, status from marts.fct_dossier")
    }
    for d in revised:
        assert landed.status_after_march[d] == march_standing[d]["TrangThai"]
        assert now[d] == standing[d]["TrangThai"] != landed.status_after_march[d]


def test_dq_revision_counts_revisions_and_conflicts(landed: Landed) -> None:
    sent = Sent(landed.march.records + landed.april.records)
    counts = {
        r["kind"]: r["n"]
        for r in landed.wh.query(
            "select kind, count(*) as n from dq.dq_revision where dataset = 'dichvucong.ho_so' "
            "group by kind"
        )
    }
    assert counts == {"revision": sent.revisions(), "conflict": sent.conflicts}
    per_load = {
        r["load_id"]: r["n"]
        for r in landed.wh.query(
            "select load_id, count(*) as n from dq.dq_revision "
            "where dataset = 'dichvucong.ho_so' and kind = 'conflict' group by load_id"
        )
    }
    assert per_load == {
        landed.results["march"].load_id: landed.march.conflicts,
        landed.results["april"].load_id: landed.april.conflicts,
    }


def test_an_unplaceable_dossier_is_counted_not_lost(landed: Landed) -> None:
    standing = Sent(landed.march.records + landed.april.records).standing()
    unknown = {d: r["MaDVHC"] for d, r in standing.items() if r["MaDVHC"].startswith("99")}
    assert unknown
    rows = landed.wh.query(
        "select record_key, reason from dq.dq_unplaced_record where source = 'dichvucong'"
    )
    assert {r["record_key"] for r in rows} == set(unknown)
    for r in rows:
        assert unknown[r["record_key"]] in r["reason"]
    kept = landed.wh.query("select dossier_id from marts.fct_dossier where province_code is null")
    assert {r["dossier_id"] for r in kept} == set(unknown)


def test_the_archive_is_pseudonymised_and_replays_the_same_rows(
    landed: Landed, tmp_path: Path
) -> None:
    result = landed.results["april"]
    archive = raw_path(landed.wh.lake, "dichvucong", "ho_so", result.load_id)
    pages = [body for _, body in read_pages(archive)]
    assert sum(len(orjson.loads(b)["data"]) for b in pages) == len(landed.april.records)
    kept = b"\n".join(pages)
    owners = [r["ChuHoSo"] for r in landed.april.records]
    assert b'"ChuHoSo"' not in kept
    for owner in owners:
        for name in OWNER_FIELDS:
            assert owner[name].encode() not in kept, name
    tokens = {orjson.loads(b)["data"][0]["ChuHoSoHash"] for b in pages}
    assert tokens <= {PSEUDONYMISER.token(o["SoGiayTo"]) for o in owners}
    # Parsed again, the archive lands the same rows.
    again = WarehousePaths(tmp_path / "replayed")
    replayed = promoted(again, load(ReplayClient(archive), again, APRIL))
    assert (replayed.rows_loaded, replayed.duplicates) == (result.rows_loaded, result.duplicates)

    def rows(lake: Path):
        table = ds.dataset(
            lake / "dichvucong" / "ho_so" / f"load_id={result.load_id}", format="parquet"
        ).to_table()
        return table.drop_columns(["_extracted_at"]).sort_by(
            [("MaHoSo", "ascending"), ("NgayCapNhat", "ascending"), ("_source_ref", "ascending")]
        )

    assert rows(again.lake).equals(rows(landed.wh.lake))

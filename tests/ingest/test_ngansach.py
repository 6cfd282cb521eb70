"""The ngansach connector against the simulator's drop folder: every row accounted for,
idempotent, re-exports kept as history."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from ingest import ngansach
from ingest.common.drops import DropFile
from ingest.common.ledger import QUARANTINE_SCHEMA, Ledger
from ingest.common.settings import WarehousePaths
from simulator.clock import AS_OF_SEC
from simulator.faults import FaultConfig
from simulator.ngansach import BudgetWorld, drop_files, report, write_drop
from tests.ingest.conftest import SEED, data_until, promoted

UNTIL = datetime(2026, 11, 1)
KEY = ["ky", "ma_dvhc", "cap_ngan_sach", "ma_nhom_thu"]
ALL_FAULTS = {
    "seed": 11,
    "malformed_rate": 0.04,
    "unknown_code_rate": 0.03,
    "error_rate": 0.2,  # HTTP faults: no effect on a file source
    "duplicate_page_rate": 0.2,
}


@pytest.fixture(scope="module")
def world() -> BudgetWorld:
    return BudgetWorld(SEED)


def lake(paths: WarehousePaths) -> pa.Table:
    folder = paths.lake / "ngansach" / "thu_ngan_sach"
    if not folder.exists():
        return ngansach.contracts.SCHEMA.empty_table()
    return ds.dataset(folder, format="parquet", partitioning="hive").to_table()


def quarantine(paths: WarehousePaths) -> pa.Table:
    folder = paths.meta / "quarantine" / "ngansach__thu_ngan_sach"
    if not folder.exists():
        return QUARANTINE_SCHEMA.empty_table()
    return pq.read_table(folder, schema=QUARANTINE_SCHEMA)


def snapshot(paths: WarehousePaths) -> tuple[list, list]:
    data = lake(paths).drop_columns(["_extracted_at"]).sort_by("_source_ref").to_pylist()
    quarantined = quarantine(paths)
    rows = sorted(
        zip(
            *(quarantined[c].to_pylist() for c in ("load_id", "raw_location", "reason")),
            strict=True,
        )
    )
    return sorted(data, key=lambda r: (r["_load_id"], r["_source_ref"])), rows


def test_every_file_lands_exactly(sim, paths, world) -> None:
    drop_dir = sim.app.state.services["ngansach"].ctx.drop_dir
    results = promoted(paths, ngansach.run(drop_dir, paths, UNTIL))
    expected = drop_files(world)
    assert [r.load_id for r in results] == [
        DropFile.read(drop_dir / f.name).load_id for f in expected
    ]
    table = lake(paths)
    assert (
        table.num_rows == sum(len(f.rows) for f in expected) == sum(r.rows_loaded for r in results)
    )
    assert not quarantine(paths).num_rows
    got = table.select([*KEY, "luy_ke_thuc_hien", "du_toan_nam", "_load_id"]).to_pylist()
    by_file = {r.load_id: f for r, f in zip(results, expected, strict=True)}
    want = [
        {**{k: row[k] for k in [*KEY, "luy_ke_thuc_hien", "du_toan_nam"]}, "_load_id": load_id}
        for load_id, f in by_file.items()
        for row in f.rows
    ]
    order = lambda r: (r["_load_id"], *(r[k] for k in KEY))  # noqa: E731
    assert sorted(got, key=order) == sorted(want, key=order)
    # each file's data reach the end of the newest month its rows are for
    newest = {load_id: max(row["ky"] for row in f.rows) for load_id, f in by_file.items()}
    assert data_until(paths, "ngansach", "thu_ngan_sach") == {
        load_id: datetime(int(ky[:4]) + int(ky[5:]) // 12, int(ky[5:]) % 12 + 1, 1)
        for load_id, ky in newest.items()
    }
    assert all(
        ref.startswith("thu_ngan_sach_2") and "#line=" in ref
        for ref in table["_source_ref"].to_pylist()
    )
    # ky_thang and ngay_lap parsed (naive local wall time).
    first = table.filter(pc.equal(table["_source_ref"], "thu_ngan_sach_202403.csv#line=2"))
    row = first.to_pylist()[0]
    assert row["ky_thang"] == date(2024, 3, 1)
    assert row["ngay_lap"] == datetime.fromisoformat(expected[26].rows[0]["ngay_lap"]).replace(
        tzinfo=None
    )
    # Nothing to do on a second run; a re-run with since changes nothing.
    before = snapshot(paths)
    assert promoted(paths, ngansach.run(drop_dir, paths, UNTIL)) == []
    again = promoted(paths, ngansach.run(drop_dir, paths, UNTIL, since=datetime(2026, 1, 1)))
    assert len(again) == 9 and snapshot(paths) == before


def test_every_fault_at_once(sim, paths, world) -> None:
    service = sim.app.state.services["ngansach"]
    http = httpx.Client(base_url=sim.base_url, timeout=30)
    try:
        r = http.post("/_sim/faults", json={"ngansach": ALL_FAULTS})
        assert r.status_code == 200, r.text
        assert http.post("/_sim/drops").status_code == 200
        results = promoted(paths, ngansach.run(service.ctx.drop_dir, paths, UNTIL))
        # A re-run retries only the unreadable files and changes nothing.
        before = snapshot(paths)
        retried = promoted(paths, ngansach.run(service.ctx.drop_dir, paths, UNTIL))
        assert snapshot(paths) == before
    finally:
        http.delete("/_sim/faults")
        http.post("/_sim/drops")
        http.close()
    # What the simulator says it wrote, computed apart from the connector.
    rep = report(world, 0, AS_OF_SEC, faults=FaultConfig.from_dict(ALL_FAULTS))
    files = {f["name"]: f for f in rep["files"] if not f["superseded"]}
    assert any(f["file_defect"] for f in files.values())
    kinds = {s["kind"] for f in files.values() for s in f["malformed"]}
    assert kinds == {"text_number", "ambiguous_number", "bad_ky", "wrong_columns"}
    table, quarantined = lake(paths), quarantine(paths)
    assert table.num_rows + quarantined.num_rows == rep["rows"]
    assert quarantined.num_rows == rep["malformed_rows"]
    for result in results:
        name = result.load_id.split("__")[0] + ".csv"
        f = files[name]
        mine = quarantined.filter(pc.equal(quarantined["load_id"], result.load_id))
        landed = table.filter(pc.equal(table["_load_id"], result.load_id))
        assert landed.num_rows + mine.num_rows == f["rows"] == result.rows_in
        lines = sorted(int(x.split("=")[1]) for x in mine["raw_location"].to_pylist())
        if f["file_defect"]:
            assert landed.num_rows == 0 and lines == list(range(2, f["rows"] + 2))
        else:
            assert lines == sorted(s["line"] for s in f["malformed"])
            by_line = {s["line"]: s for s in f["malformed"]}
            for reason, where in zip(
                mine["reason"].to_pylist(), mine["raw_location"].to_pylist(), strict=True
            ):
                spoil = by_line[int(where.split("=")[1])]
                assert reason.startswith(f"{name} line {spoil['line']}, column {spoil['column']}")
        for reason in mine["reason"].to_pylist():
            assert reason.startswith(f"{name} line ") and ", column " in reason
        # Unknown codes are kept (the suite flags them), exactly those the simulator sent.
        refs = set(landed["_source_ref"].to_pylist())
        for s in f["unknown_codes"]:
            assert f"{name}#line={s['line']}" in refs
        keys = pc.binary_join_element_wise(*(landed[k] for k in KEY), "|")
        assert pc.count_distinct(keys).as_py() == landed.num_rows  # no duplicates
    ledger = Ledger(paths.meta).entries("ngansach", "thu_ngan_sach").to_pylist()
    failed = {e["load_id"] for e in ledger if e["status"] == "failed"}
    assert failed == {r.load_id for r in results if r.rows_loaded == 0}
    assert {r.load_id for r in retried} == failed


def test_a_reexported_file_is_a_new_load_and_the_old_stays(world, paths, tmp_path) -> None:
    t = world.timeline
    month = int(next(m for m in range(len(t.fate)) if t.fate[m] == 2))
    drop_dir = tmp_path / "drop"
    write_drop(drop_dir, drop_files(world, int(t.published[month]) + 60))
    first = promoted(paths, ngansach.run(drop_dir, paths, UNTIL))
    write_drop(drop_dir, drop_files(world, int(t.reexported[month]) + 60))
    second = promoted(paths, ngansach.run(drop_dir, paths, UNTIL))
    assert len(second) == 1 and second[0].load_id != first[-1].load_id
    assert second[0].load_id.split("__")[0] == first[-1].load_id.split("__")[0]
    table = lake(paths)
    old = table.filter(pc.equal(table["_load_id"], first[-1].load_id))
    new = table.filter(pc.equal(table["_load_id"], second[0].load_id))
    assert old.num_rows == first[-1].rows_loaded and new.num_rows > 0
    assert pc.min(new["ngay_lap"]).as_py() > pc.max(old["ngay_lap"]).as_py()
    raw = sorted(p.name for p in (paths.lake / "ngansach" / "_raw").iterdir())
    assert first[-1].load_id + ".csv" in raw and second[0].load_id + ".csv" in raw


def test_restated_months_land_with_their_newer_date(sim, paths) -> None:
    promoted(paths, ngansach.run(sim.app.state.services["ngansach"].ctx.drop_dir, paths, UNTIL))
    table = lake(paths)
    file_month = pc.utf8_slice_codeunits(table["_source_ref"], 14, 20)
    ky = pc.replace_substring(table["ky"], "-", "")
    restated = table.filter(pc.not_equal(file_month, ky))
    assert restated.num_rows > 0
    for ky_value, ref in zip(
        restated["ky"].to_pylist(), restated["_source_ref"].to_pylist(), strict=True
    ):
        in_file = ref[14:18] + "-" + ref[18:20]
        assert ky_value[:4] == in_file[:4] and ky_value < in_file  # earlier, same year


def test_until_and_since_limit_by_month(sim, paths) -> None:
    drop_dir = sim.app.state.services["ngansach"].ctx.drop_dir
    results = promoted(paths, ngansach.run(drop_dir, paths, datetime(2023, 1, 1)))
    assert [r.load_id[:20] for r in results][-1] == "thu_ngan_sach_202212"
    assert len(results) == 12
    later = promoted(
        paths, ngansach.run(drop_dir, paths, datetime(2023, 4, 1), since=datetime(2022, 12, 1))
    )
    assert [r.load_id[14:20] for r in later] == ["202212", "202301", "202302", "202303"]


def test_an_unreadable_file_is_quarantined_whole_and_the_others_go_on(paths, tmp_path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    good = "\ufeff" + ";".join(ngansach.contracts.COLUMNS) + "\r\n"
    row = "2024-01;56;TINH;XNK;Thu xuất nhập khẩu;1.234,5;9876;2024-02-06T09:00:00+07:00\r\n"
    (drop / "thu_ngan_sach_202401.csv").write_text(good + row, encoding="utf-8")
    (drop / "thu_ngan_sach_202402.csv").write_bytes(b"\x00\xff garbage\r\n\x01;\x02\r\n")
    (drop / "notes.txt").write_text("not a drop")
    results = promoted(paths, ngansach.run(drop, paths, UNTIL))
    assert [(r.rows_loaded, r.rows_quarantined) for r in results] == [(1, 0), (0, 1), (0, 1)]
    assert lake(paths).to_pylist()[0]["luy_ke_thuc_hien"] == 1234.5
    reasons = sorted(quarantine(paths)["reason"].to_pylist())
    assert reasons[0].startswith("notes.txt: file cannot be read: the name does not fit")
    # bytes that are no text: one record for the whole file, not its "lines"
    assert reasons[1] == (
        "thu_ngan_sach_202402.csv: file cannot be read: "
        "the bytes are not text in UTF-8, UTF-16 or Windows-1258"
    )
    assert isinstance(results[1].location, Path)

"""Issue 6, "done when": every kind of defect the simulator can produce is fed through the
real pipeline (Airflow → GE → dbt → publish) and found in the published ``dq`` schema under
the right dimension, quarantined or warned as designed; a blocking defect leaves the serving
copy byte for byte as it was.

Runs a private pipeline (``tests/dq/defects/scenario.py``: its own simulator and warehouse,
history 2022-01..2022-04); every expected figure comes from the simulator's report endpoints
or Python API, never from the code under test.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pyarrow.dataset as ds

from tests.dq.defects.scenario import FAULTS, LATER, SCALE, SEED, Scenario

QUARANTINED = {"text_number", "bad_date"}  # vn_number ("1.234.000") is read, not refused
WINDOWS = [
    (f"2022-{m:02d}-01T00:00:00+07:00", f"2022-{m + 1:02d}-01T00:00:00+07:00") for m in (1, 2, 3, 4)
]
ALL = ("2022-01-01T00:00:00+07:00", LATER)


def lake_table(s: Scenario, source: str, dataset: str, load_id: str):
    return ds.dataset(s.lake / source / dataset / f"load_id={load_id}").to_table()


def quarantine(s: Scenario, dataset: str, load_id: str | None = None) -> list[tuple]:
    sql = "SELECT load_id, reason, raw_location, record FROM dq.dq_quarantine WHERE dataset = ?"
    args = [dataset]
    if load_id is not None:
        sql += " AND load_id = ?"
        args.append(load_id)
    return s.serving(sql, *args)


def warned(s: Scenario, dataset: str, column: str) -> tuple[set[str], int]:
    """(dimensions, rows failed) of the GE warnings on the column's code list."""
    rows = s.serving(
        "SELECT dimension, status, rows_failed FROM dq.dq_check_result WHERE check_kind = 'ge' "
        "AND dataset = ? AND check_name = ? AND status <> 'pass'",
        dataset,
        f"expect_column_values_to_be_in_set(column={column})",
    )
    assert {status for _, status, _ in rows} <= {"warn"}, rows
    return {d for d, _, _ in rows}, sum(n for *_, n in rows)


def _row(spoiled: dict) -> tuple:
    """The row a spoiled value was found in (its key fields, as the report names it)."""
    return tuple(sorted((k, v) for k, v in spoiled.items() if k not in SPOIL_FIELDS))


SPOIL_FIELDS = {"field", "kind", "sent", "expected"}


def key(window: tuple[str, str]) -> str:
    a, b = (datetime.fromisoformat(w).replace(tzinfo=None) for w in window)
    return f"{a:%Y%m%dT%H%M}_{b:%Y%m%dT%H%M}"


# --- 1. the clean run -------------------------------------------------------------------


def test_the_clean_run_published_without_defects(defects: Scenario) -> None:
    assert defects.clean_sha and defects.clean_dq == {"quarantine": 0, "ge_not_pass": []}


# --- 2. transient HTTP faults: no trace in the data -----------------------------------------


def test_transient_faults_were_injected_and_left_no_trace(defects: Scenario) -> None:
    s = defects
    for source in ("dichvucong", "reporting", "dulich", "giaoduc"):
        assert s.injected[source].get("rate_limit", 0) > 0, (source, s.injected)
    kinds = Counter(k for counts in s.injected.values() for k, n in counts.items() if n)
    assert {"error_500", "error_502", "error_503", "slow", "short_page"} <= set(kinds), kinds
    # Dossiers: each month's load holds exactly the simulator's distinct records, less the
    # ones quarantined: nothing lost to a 5xx, a 429, a dead token or a short page.
    from simulator.dichvucong import records

    for window in WINDOWS:
        report = s.report("dichvucong", *window)
        refused = {
            (m["MaHoSo"], m["NgayCapNhat"][:19])
            for m in report["malformed"]
            if m["kind"] in QUARANTINED
        }
        lake = lake_table(s, "dichvucong", "ho_so", f"ho_so_{key(window)}")
        assert lake.num_rows == report["records"] - len(refused)
        landed = {
            (h, t.isoformat())
            for h, t in zip(
                lake["MaHoSo"].to_pylist(), lake["NgayCapNhat"].to_pylist(), strict=True
            )
        }
        assert len(landed) == lake.num_rows  # no record twice
        source = records(*window, seed=SEED, scale=SCALE, owner=False)
        expected = {
            (h, t.isoformat())
            for h, t in zip(
                source["MaHoSo"].to_pylist(), source["NgayCapNhat"].to_pylist(), strict=True
            )
        }
        assert landed == expected - refused
    # Report versions and figures: every one landed or quarantined, none twice.
    report = s.report("reporting", *ALL)
    for dataset, total in (("bao_cao", report["reports"]), ("so_lieu", report["figures"])):
        landed = sum(
            lake_table(s, "reporting", dataset, f"{dataset}_{key(w)}").num_rows for w in WINDOWS
        )
        refused = len(quarantine(s, f"reporting.{dataset}"))
        assert landed + refused == total, dataset
    # Tourism months and the school year: the same.
    report = s.report("dulich", *ALL)
    for month in report["months"]:
        load = f"thong_ke_{month['ky'].replace('-', '')}__asof_20220501"
        landed = lake_table(s, "dulich", "thong_ke_thang", load).num_rows
        assert landed + len(quarantine(s, "dulich.thong_ke_thang", load)) == month["records"]
    report = s.report("giaoduc", "2021-09-01T00:00:00+07:00", "2022-09-01T00:00:00+07:00")
    (year,) = report["truong"]
    load = "truong_2021_2022__asof_20220501"
    lake = lake_table(s, "giaoduc", "truong", load)
    assert len(set(lake["ma_truong"].to_pylist())) == lake.num_rows
    assert lake.num_rows + len(quarantine(s, "giaoduc.truong", load)) == year["records"]


# --- 3. malformed values: quarantined, named by record/field or file/sheet/cell or line -----


def test_malformed_api_values_are_quarantined_with_record_and_field(defects: Scenario) -> None:
    s = defects
    for window in WINDOWS:
        report = s.report("dichvucong", *window)
        load = f"ho_so_{key(window)}"
        rows = quarantine(s, "dichvucong.ho_so", load)
        reasons = [r for _, r, _, _ in rows]
        bad = [m for m in report["malformed"] if m["kind"] in QUARANTINED]
        assert len(rows) == len(bad) > 0
        for m in bad:
            assert any(f"MaHoSo {m['MaHoSo']!r}: field {m['field']}:" in r for r in reasons), m
        assert all("#record=" in where for _, _, where, _ in rows)
        # Vietnamese-format numbers are read as the numbers they are.
        readable = {
            m["MaHoSo"]: m["expected"] for m in report["malformed"] if m["kind"] == "vn_number"
        }
        lake = lake_table(s, "dichvucong", "ho_so", load).to_pylist()
        fees = {r["MaHoSo"]: r["PhiLePhi"] for r in lake if r["MaHoSo"] in readable}
        assert readable and fees == readable
    report = s.report("reporting", *ALL)
    figures = [r for _, r, _, _ in quarantine(s, "reporting.so_lieu")]
    headers = [r for _, r, _, _ in quarantine(s, "reporting.bao_cao")]
    kinds = Counter(m["kind"] for m in report["malformed"])
    assert kinds["text_number"] and kinds["bad_date"], kinds
    for m in report["malformed"]:
        code, version, field = m["ma_bao_cao"], m["phien_ban"], m["field"]
        if m["kind"] == "text_number":
            want = f"ma_bao_cao {code!r} phien_ban {version} so_lieu[{m['index']}]: field {field}:"
            assert any(want in r for r in figures), m
        else:
            want = f"ma_bao_cao {code!r} phien_ban {version}: field {field}:"
            assert any(want in r for r in headers), m
    for dataset, report in (
        ("dulich.thong_ke_thang", s.report("dulich", *ALL)),
        ("giaoduc.truong", s.report("giaoduc", "2021-09-01T00:00:00+07:00", LATER)),
    ):
        reasons = [r for _, r, _, _ in quarantine(s, dataset)]
        bad = [m for m in report["malformed"] if m["kind"] == "text_number"]
        assert len(reasons) == len(bad) > 0, dataset
        for m in bad:
            assert any(f"field {m['field']}: {m['sent']!r}" in r for r in reasons), m


def test_malformed_file_cells_and_lines_are_quarantined_where_they_are(defects: Scenario) -> None:
    s = defects
    from simulator.reporting import excel_files

    excel = [r for _, r, _, _ in quarantine(s, "reporting.so_lieu_excel")]
    cells = [
        (f.name, d)
        for f in excel_files(as_of=LATER, seed=SEED, faults=FAULTS["reporting"])
        for d in f.defects
        if d["kind"] == "text_number"
    ]
    assert len(excel) == len(cells) > 0
    for name, d in cells:
        assert any(r.startswith(f"{name}!BaoCao!{d['cell']}: {d['sent']!r}") for r in excel), d
    report = s.report("ngansach", *ALL)
    kinds = Counter(m["kind"] for f in report["files"] for m in f["malformed"])
    assert set(kinds) == {"text_number", "ambiguous_number", "bad_ky", "wrong_columns"}, kinds
    unreadable = [f for f in report["files"] if f["file_defect"]]
    assert unreadable, "the fault seed gives one unreadable file"
    for f in report["files"]:
        load = f"{f['name'].removesuffix('.csv')}__{f['sha256'][:12]}"
        rows = quarantine(s, "ngansach.thu_ngan_sach", load)
        if f["file_defect"]:
            # A file that cannot be read: every line to quarantine, the ledger says failed.
            assert len(rows) == f["rows"]
            assert all("file cannot be read" in r for _, r, _, _ in rows)
            (status,) = s.serving("SELECT status FROM dq.load_ledger WHERE load_id = ?", load)
            assert status == ("failed",)
            continue
        want = {f"{f['name']} line {m['line']}, column {m['column']}:" for m in f["malformed"]}
        got = {r.split(":", 1)[0] + ":" for _, r, _, _ in rows}
        assert got == want, f["name"]
        lake = lake_table(s, "ngansach", "thu_ngan_sach", load)
        assert lake.num_rows == f["rows"] - len(f["malformed"])


def test_an_unreadable_file_shows_as_a_missing_month_under_du(defects: Scenario) -> None:
    rows = defects.serving(
        "SELECT dimension, status, details FROM dq.dq_check_result "
        "WHERE check_kind = 'completeness' AND dataset = 'ngansach.thu_ngan_sach'"
    )
    assert len(rows) == 1
    (grid,) = rows
    assert grid[0] == "du" and grid[1] != "pass" and "2022-03" in grid[2]


# --- 4. unknown codes: kept, warned under đúng, published ------------------------------------


def test_unknown_codes_are_warned_under_dung_and_published(defects: Scenario) -> None:
    s = defects
    assert s.faulty_sha != s.clean_sha  # warnings publish
    from simulator.reporting import excel_files

    expected: Counter[tuple[str, str]] = Counter()
    for window in WINDOWS:
        report = s.report("dichvucong", *window)
        refused = {
            (m["MaHoSo"], m["NgayCapNhat"]) for m in report["malformed"] if m["kind"] in QUARANTINED
        }
        for u in report["unknown_codes"]:
            if u["field"] == "MaDVHC" and (u["MaHoSo"], u["NgayCapNhat"]) not in refused:
                expected["dichvucong.ho_so", "MaDVHC"] += 1
    report = s.report("reporting", *ALL)
    for u in report["unknown_codes"]:
        expected["reporting.so_lieu", u["field"]] += 1
    for f in excel_files(as_of=LATER, seed=SEED, faults=FAULTS["reporting"]):
        for d in f.defects:
            if d["kind"] != "text_number":
                expected["reporting.so_lieu_excel", "ma_chi_tieu"] += 1
    for f in s.report("ngansach", *ALL)["files"]:
        for u in f["unknown_codes"]:
            expected["ngansach.thu_ngan_sach", u["column"]] += 1
    for dataset, report in (
        ("dulich.thong_ke_thang", s.report("dulich", *ALL)),
        ("giaoduc.truong", s.report("giaoduc", "2021-09-01T00:00:00+07:00", LATER)),
    ):
        # A row spoiled twice (text for a number too) is quarantined before any check sees it.
        refused = {_row(m) for m in report["malformed"] if m["kind"] == "text_number"}
        expected[dataset, "ma_dvhc"] += sum(_row(u) not in refused for u in report["unknown_codes"])
    assert len(expected) == 8 and all(expected.values()), expected
    for (dataset, column), n in expected.items():
        dims, failed = warned(s, dataset, column)
        assert (dims, failed) == ({"dung"}, n), (dataset, column)


def test_unknown_procedure_codes_are_flagged(defects: Scenario) -> None:
    unknown = sum(
        u["field"] == "MaTTHC"
        for w in WINDOWS
        for u in defects.report("dichvucong", *w)["unknown_codes"]
    )
    assert unknown
    flagged = defects.serving(
        "SELECT dimension, status FROM dq.dq_check_result WHERE status = 'warn' "
        "AND (check_name ILIKE '%MaTTHC%' OR check_name ILIKE '%procedure_code%')"
    )
    assert flagged and {d for d, _ in flagged} == {"dung"}


# --- 5. duplicates never reach the marts ----------------------------------------------------


def test_duplicate_pages_never_reach_the_marts(defects: Scenario) -> None:
    s = defects
    served = [s.report("dichvucong", *w)["served"] for w in WINDOWS]
    assert any(x["rows"] > x["distinct"] for x in served), served  # pages were sent twice
    from simulator.dichvucong import records

    source = records(*ALL, seed=SEED, scale=SCALE, owner=False)
    every = set(source["MaHoSo"].to_pylist())
    refused = {
        (m["MaHoSo"], m["NgayCapNhat"][:19])
        for w in WINDOWS
        for m in s.report("dichvucong", *w)["malformed"]
        if m["kind"] in QUARANTINED
    }
    pairs = zip(source["MaHoSo"].to_pylist(), source["NgayCapNhat"].to_pylist(), strict=True)
    landed = {h for h, t in pairs if (h, t.isoformat()) not in refused}
    ((rows, distinct),) = s.serving(
        "SELECT count(*), count(DISTINCT dossier_id) FROM marts.fct_dossier"
    )
    ids = {i for (i,) in s.serving("SELECT dossier_id FROM marts.fct_dossier")}
    assert rows == distinct and landed <= ids <= every
    dupes = s.serving(
        "SELECT count(*) FROM (SELECT 1 FROM marts.fct_indicator_value "
        "GROUP BY indicator_code, admin_unit_code, period_type, period_label HAVING count(*) > 1)"
    )
    assert dupes == [(0,)]


# --- 6. a blocking defect: the serving copy untouched ---------------------------------------


def test_a_blocking_defect_stops_the_refresh_before_refresh_marts(defects: Scenario) -> None:
    s = defects
    assert s.blocked is not None and s.blocked.returncode != 0
    assert "RefreshFailed: ingest_ngansach ended failed for 2022-03" in s.blocked.output
    assert f"ngansach.thu_ngan_sach load {s.blocked_load_id} failed 1 blocking check" in (
        s.blocked.output
    )
    assert "expect_column_values_to_be_between(column=ky_thang)" in s.blocked.output
    assert "DagRun refresh_marts" not in s.blocked.output  # never started
    assert s.dbt_after_block == s.dbt_before_block  # no dbt build, no dbt results
    assert s.blocked_sha == s.clean_sha  # byte for byte
    assert s.tmp_after_block == []


def test_the_blocked_load_is_rejected_and_its_rows_quarantined(defects: Scenario) -> None:
    s = defects
    load = s.blocked_load_id
    kept = s.meta / "rejected" / "ngansach__thu_ngan_sach" / f"load_id={load}"
    assert list(kept.glob("*.parquet"))
    assert not (s.lake / "ngansach" / "thu_ngan_sach" / f"load_id={load}").exists()
    attempts = s.serving(
        "SELECT status FROM dq.load_ledger WHERE load_id = ? ORDER BY started_at", load
    )
    assert attempts == [("rejected",)]  # one attempt: landed, then rejected by the check
    entries = s.serving(
        "SELECT reason, raw_location, record FROM dq.dq_quarantine WHERE load_id = ? "
        "ORDER BY reason LIKE 'expect_%'",
        load,
    )
    assert len(entries) == 2  # the whole load (nothing of it was loaded), then the failing row
    assert "không được đưa vào" in entries[0][0] and entries[0][1] == str(kept)
    reason, where, record = entries[1]
    assert reason.startswith("expect_column_values_to_be_between(column=ky_thang) [song, ")
    assert where.endswith("thu_ngan_sach_202203.csv#line=2") and str(kept) in where
    assert '"2021-12"' in record and f'"{s.blocked_row[1].strip()}"' in record
    ((dimension, status, failed),) = s.serving(
        "SELECT dimension, status, rows_failed FROM dq.dq_check_result WHERE load_id = ? "
        "AND check_name = 'expect_column_values_to_be_between(column=ky_thang)'",
        load,
    )
    assert (dimension, status, failed) == ("song", "fail", 1)


def test_a_load_over_the_quarantine_limit_fails_the_run_loudly(defects: Scenario) -> None:
    """January resent with half its rows unreadable: the same blocked run names it, the
    serving copy stays byte for byte, the ledger never says success, the steward sees why."""
    s = defects
    load, (spoiled, lines) = s.overflow_load_id, s.overflow
    assert spoiled > 0 and 100 * spoiled / lines > 1
    share = f"{spoiled} of {lines} records quarantined ({100 * spoiled / lines:.1f} %)"
    assert f"ngansach.thu_ngan_sach load {load}: {share}, over the limit of 1 %" in (
        s.blocked.output
    )
    assert "luy_ke_thuc_hien" in s.blocked.output  # the top reason, named
    assert s.blocked_sha == s.clean_sha
    assert not (s.lake / "ngansach" / "thu_ngan_sach" / f"load_id={load}").exists()
    assert not list((s.lake / "_staging").rglob("*.parquet"))
    assert s.serving("SELECT status FROM dq.load_ledger WHERE load_id = ?", load) == [("failed",)]
    ((status, severity, failed, details),) = s.serving(
        "SELECT status, severity, rows_failed, details FROM dq.dq_check_result "
        "WHERE check_kind = 'ingest' AND load_id = ?",
        load,
    )
    assert (status, severity, failed) == ("fail", "critical", spoiled)
    assert share in details and "luy_ke_thuc_hien" in details
    from io import StringIO

    from expectations import steward
    from ingest.common.settings import WarehousePaths

    shown = StringIO()
    steward.blocked(WarehousePaths(s.warehouse), shown)
    assert load in shown.getvalue() and share in shown.getvalue()

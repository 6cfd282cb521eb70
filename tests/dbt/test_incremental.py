"""Incremental runs: a new load, a re-run of the same load, a re-run of an older window
that brings a record the first run missed. Each test builds on the previous state of one
warehouse (module order), and checks figures worked out by hand."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dbt.dbt_harness import Warehouse, rounded, warehouse
from tests.dbt.dbt_lake import (
    AUGUST,
    JULY,
    JUNE,
    JUNE_MISSED,
    LOAD_AUGUST,
    LOAD_JULY,
    LOAD_JUNE,
    LOAD_SEPTEMBER,
    SEPTEMBER,
    t,
    write_initial_lake,
    write_load,
)

MARTS = {
    "agg_public_service_month": "month_start, agency_code, admin_unit_code",
    "fct_indicator_value": "indicator_code, admin_unit_code, period_type, period_label",
    "fct_dossier": "dossier_id",
    "dim_agency": "agency_code",
}
RUN_COLUMNS = "exclude (refreshed_at)"  # when the figure was computed, not what it says


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    with warehouse(tmp_path_factory.mktemp("warehouse")) as built:
        write_initial_lake(built.lake)
        built.dbt("build")
        yield built


def processed(wh: Warehouse) -> dict[str, object]:
    rows = wh.query("select dossier_id, processed_at from marts.fct_dossier")
    return {r["dossier_id"]: r["processed_at"] for r in rows}


def snapshot(wh: Warehouse) -> dict[str, list[dict]]:
    """Every mart's content and the monthly counts', minus run bookkeeping columns."""
    skip = {"fct_indicator_value": "exclude (refreshed_at)",
            "fct_dossier": "exclude (processed_at, extracted_at, replaced_received_at, "
                           "replaced_closed_at, replaced_processed_at)"}  # fmt: skip
    marts = {
        name: wh.query(f"select * {skip.get(name, '')} from marts.{name} order by {key}")
        for name, key in MARTS.items()
    }
    counts = wh.query("select * exclude (processed_at) from "
                      "intermediate.int_dossiers_counted_by_month order by all")  # fmt: skip
    revisions = wh.query("select * from dq.dq_revision order by all")
    return {**marts, "int_dossiers_counted_by_month": counts, "dq_revision": revisions}


def agg_row(wh: Warehouse, month: str, unit: str) -> dict:
    rows = wh.query(
        "select received, resolved, resolved_on_time, rated, rated_satisfied, overdue_open "
        f"from marts.agg_public_service_month where period_label = '{month}' "
        f"and admin_unit_code = '{unit}'"
    )
    assert len(rows) == 1
    return rows[0]


def value(wh: Warehouse, code: str, unit: str, label: str) -> float | None:
    rows = rounded(wh.query(
        "select actual_value from marts.fct_indicator_value where indicator_code = "
        f"'{code}' and admin_unit_code = '{unit}' and period_label = '{label}'"))  # fmt: skip
    assert len(rows) == 1
    return rows[0]["actual_value"]


def test_a_new_load_updates_only_the_dossiers_it_touches(wh: Warehouse) -> None:
    before = processed(wh)
    write_load(wh.lake, "ho_so", LOAD_AUGUST, AUGUST, t("2025-09-01T01:00"))
    wh.dbt("build")
    after = processed(wh)
    touched = {d for d in after if after[d] != before.get(d)}
    assert touched == {"H56.25-000004", "H56.25-000008"}  # D4 resolved, D8 new
    state = wh.query("select status, closed_at is not null as closed from marts.fct_dossier "
                     "where dossier_id = 'H56.25-000004'")  # fmt: skip
    assert state == [{"status": "DA_TRA_KET_QUA", "closed": True}]
    # August: D8 received; D4 (late) and D8 (on time) resolved, both rated 4–5; none overdue
    assert agg_row(wh, "2025-08", "22333") == {
        "received": 1, "resolved": 2, "resolved_on_time": 1, "rated": 2, "rated_satisfied": 2,
        "overdue_open": 0,
    }  # fmt: skip
    # July's end-of-month backlog is history: D4 was still open on 1 August
    assert agg_row(wh, "2025-07", "22333")["overdue_open"] == 1
    assert value(wh, "DVC_TY_LE_DUNG_HAN", "56", "2025-Q3") == 50.0  # (1 + 1) / (2 + 2)
    assert value(wh, "DVC_HS_QUA_HAN", "56", "2025-Q3") == 0.0  # August's value, partial
    # January–August of today's 56: June of old 56 (2) and Ninh Thuận (2), July 3, August 1
    assert value(wh, "DVC_HS_TIEP_NHAN", "56", "2025-08-YTD") == 8.0


def parquet_scans(wh: Warehouse, sql: str, profile: Path) -> list[tuple[int, str, int]]:
    """Per Parquet scan of ``sql``, DuckDB's own query profile: the number of files opened,
    their names (one file: its path; several: the pattern or the list) and the rows read
    (row groups that the filters skip by their statistics are not read)."""
    with wh.connect() as con:
        con.execute("pragma enable_profiling = 'json'")
        con.execute(f"pragma profiling_output = '{profile}'")
        con.execute(sql).fetchall()
        con.execute("pragma disable_profiling")
    scans: list[tuple[int, str, int]] = []

    def walk(node: dict) -> None:
        info = node.get("extra_info") or {}
        if info.get("Function") == "READ_PARQUET":
            files, name = int(info["Total Files Read"]), str(info.get("Filename(s)"))
            scans.append((files, name, int(node["rows_scanned"])))
        for child in node.get("children", []):
            walk(child)

    for node in json.loads(profile.read_text())["operator"]:
        walk(node)
    return scans


# the models that read the dossier lake in an incremental run
LAKE_READERS = ("fct_dossier", "int_dossier_versions")


@pytest.mark.parametrize("model", LAKE_READERS)
def test_the_month_build_reads_only_the_month_s_load(
    wh: Warehouse, tmp_path: Path, model: str
) -> None:
    # the model's SQL as dbt ran it in the August build above (not a unit test's input
    # of that name, compiled under its .yml)
    compiled = next(
        p
        for p in (wh.root / "dbt_target" / "compiled").rglob(f"{model}.sql")
        if p.parent.suffix != ".yml"
    )
    scans = parquet_scans(wh, compiled.read_text(), tmp_path / "model.json")
    read = [(files, Path(name).parent.name) for files, name, rows in scans if rows > 0]
    assert read and set(read) == {(1, f"load_id={LOAD_AUGUST}")}, scans
    # the same profile of the whole lake counts every load and row: the check can tell
    [(files, _, rows)] = parquet_scans(
        wh, "select * from staging.base_dichvucong__ho_so", tmp_path / "all.json"
    )
    assert (files, rows) == (3, len(JUNE) + len(JULY) + len(AUGUST))


def test_re_running_the_same_load_changes_nothing(wh: Warehouse) -> None:
    before = snapshot(wh)
    # the connector re-runs July's window: same records, a new extraction time
    write_load(wh.lake, "ho_so", LOAD_JULY, JULY, t("2025-09-02T01:00"))
    wh.dbt("build")
    assert snapshot(wh) == before
    wh.dbt("build")  # and a build with no new load at all
    assert snapshot(wh) == before


def test_re_running_an_older_window_brings_in_a_missed_record(wh: Warehouse) -> None:
    # June's window is re-run and now holds D9, which the first run missed; its update
    # times (June) are far below what the table already holds (August)
    counted_before = counted_at(wh)
    write_load(wh.lake, "ho_so", LOAD_JUNE, JUNE + JUNE_MISSED, t("2025-09-03T01:00"))
    wh.dbt("build")
    rows = wh.query("select status, is_on_time, load_id from marts.fct_dossier "
                    "where dossier_id = 'H58.25-000009'")  # fmt: skip
    assert rows == [{"status": "DA_TRA_KET_QUA", "is_on_time": False, "load_id": LOAD_JUNE}]
    # June in Ninh Thuận now: D1, D6 on time, D9 late; D1 5 stars, D9 3 stars
    assert value(wh, "DVC_HS_TIEP_NHAN", "58", "2025-06") == 3.0
    assert value(wh, "DVC_TY_LE_DUNG_HAN", "58", "2025-06") == 66.67
    assert value(wh, "DVC_TY_LE_HAI_LONG", "58", "2025-06") == 50.0
    assert value(wh, "DVC_HS_TIEP_NHAN", "58", "2025-H1") == 3.0
    # and 2025 of today's 56 counts it: June 2 + 3, July 3, August 1
    assert value(wh, "DVC_HS_TIEP_NHAN", "56", "2025") == 9.0
    assert len(wh.query("select 1 from marts.fct_dossier")) == 9
    # D9 stands in June alone: only June was counted again
    counts = counted_at(wh)
    assert {m for m in counts if counts[m] != counted_before.get(m)} == {"2025-06"}


def counted_at(wh: Warehouse) -> dict[str, object]:
    """When each month of the monthly counts was last counted."""
    rows = wh.query("select strftime(month_start, '%Y-%m') as month, max(processed_at) as at "
                    "from intermediate.int_dossiers_counted_by_month group by all")  # fmt: skip
    return {r["month"]: r["at"] for r in rows}


def test_a_correction_moves_counts_out_of_the_months_it_stood_in(wh: Warehouse) -> None:
    before = counted_at(wh)
    write_load(wh.lake, "ho_so", LOAD_SEPTEMBER, SEPTEMBER, t("2025-10-01T01:00"))
    wh.dbt("build")
    after = counted_at(wh)
    # D2's months before (June: received, overdue; July: rejected) and after (May, June),
    # and September (D10, a newer horizon); August untouched
    assert {m for m in after if after[m] != before.get(m)} == {
        "2025-05", "2025-06", "2025-07", "2025-09"}  # fmt: skip
    assert after["2025-08"] == before["2025-08"]
    # July counted again keeps its end-of-month backlog: D4, open past due on 1 August and
    # resolved later that month, is none of the dossiers this run rewrote
    assert agg_row(wh, "2025-07", "22333")["overdue_open"] == 1
    d2_unit = wh.query("select strftime(month_start, '%Y-%m') as month, received, resolved, "
                       "overdue_open from marts.agg_public_service_month "
                       "where admin_unit_code = '22465' order by 1")  # fmt: skip
    assert d2_unit == [
        {"month": "2025-05", "received": 1, "resolved": 0, "overdue_open": 0},
        {"month": "2025-06", "received": 0, "resolved": 1, "overdue_open": 0},
    ]
    # revisions: D2 changed after its close; D4's 5 August record, once its close moved to
    # 1 August (a record of an older load, found again)
    revised = wh.query("select record_key, kind, load_id from dq.dq_revision "
                       "where dataset = 'dichvucong.ho_so' order by all")  # fmt: skip
    assert revised == [
        {"record_key": "H56.25-000002", "kind": "revision", "load_id": LOAD_SEPTEMBER},
        {"record_key": "H56.25-000004", "kind": "revision", "load_id": LOAD_AUGUST},
    ]


def test_full_refresh_gives_the_same_marts(wh: Warehouse) -> None:
    before = snapshot(wh)
    wh.dbt("build", "--full-refresh")
    assert snapshot(wh) == before


def test_a_whole_build_in_parts_gives_the_same_current_state(wh: Warehouse) -> None:
    """A whole build of fct_dossier in parts (macros/dossier_parts.sql: the
    newest records' positions in one pass, then the lake files part by part), here one part
    per lake file, gives the dossiers the one-pass build gave, row for row."""
    state = "select * exclude (processed_at) from marts.fct_dossier"
    before = wh.query(f"{state} order by dossier_id")
    files = len(list((wh.lake / "dichvucong" / "ho_so").glob("load_id=*/*.parquet")))
    assert files > 1
    wh.dbt("run", "--full-refresh", "--select", "fct_dossier",
           "--vars", "{dossier_records_per_part: 1}")  # fmt: skip
    compiled = next((wh.root / "dbt_target" / "run").rglob("fct_dossier.sql"))
    assert f"(file_index::bigint * {files} + 0) << 40" in compiled.read_text()  # part 0 of files
    assert wh.query(f"{state} order by dossier_id") == before
    helpers = "select table_name from duckdb_tables() where table_name like '%__newest'"
    assert wh.query(helpers) == []


def test_a_dossier_table_of_an_older_project_is_built_whole(wh: Warehouse) -> None:
    """fct_dossier as the project built it before it held the current state itself (a copy,
    without the state's bookkeeping columns) is rebuilt whole by the next incremental run,
    not left with nulls in the columns that run adds."""
    state = ("select * exclude (processed_at, replaced_received_at, replaced_closed_at, "
             "replaced_processed_at) from marts.fct_dossier order by dossier_id")  # fmt: skip
    before = wh.query(state)
    with wh.connect(read_only=False) as con:
        for column in ("source_ref", "admin_unit_code_before_reform", "replaced_received_at",
                       "replaced_closed_at", "replaced_processed_at"):  # fmt: skip
            con.execute(f"alter table marts.fct_dossier drop column {column}")
    wh.dbt("run", "--select", "fct_dossier")
    assert wh.query(state) == before
    nulls = "select count(*) as n from marts.fct_dossier where source_ref is null"
    assert wh.query(nulls) == [{"n": 0}]


def test_a_dossier_table_without_first_closes_is_built_whole(wh: Warehouse) -> None:
    """fct_dossier as the project built it before it kept each dossier's first close: the
    next incremental run rebuilds it whole, so no held dossier is left without the first
    close int_dossier_versions reads."""
    state = ("select * exclude (processed_at, replaced_received_at, replaced_closed_at, "
             "replaced_processed_at) from marts.fct_dossier order by dossier_id")  # fmt: skip
    before = wh.query(state)
    assert any(row["first_closed_at"] for row in before)
    with wh.connect(read_only=False) as con:
        con.execute("alter table marts.fct_dossier drop column first_closed_at")
    wh.dbt("run", "--select", "fct_dossier")
    assert wh.query(state) == before

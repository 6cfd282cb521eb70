"""Issue 15 over the hand-made lake of tests/dbt/dbt_lake_revisions.py: the newest publication
wins, a repeat changes nothing, a conflict is counted (the copy received last stands), a late
correction of a period before the reform corrects the old units and today's combined series
stays whole, and what nothing places is counted, not lost. Figures worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dbt.dbt_harness import Warehouse, warehouse
from tests.dbt.dbt_lake import write_initial_lake
from tests.dbt.dbt_lake_revisions import write_revisions_lake


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    with warehouse(tmp_path_factory.mktemp("revisions_warehouse")) as wh:
        write_initial_lake(wh.lake)  # the dossiers: every source the marts read has landed
        write_revisions_lake(wh.lake)
        wh.dbt(
            "build",
            "--indirect-selection",
            "cautious",
            "--select",
            "+fct_indicator_value",
            "+fct_indicator_value_current_unit",
            "+dq_revision",
            "+dq_unplaced_record",
            "+dq_check_result",
            "+fct_dossier",
        )
        yield wh


def value(wh: Warehouse, code: str, unit: str, label: str, mart: str = "fct_indicator_value"):
    rows = wh.query(
        f"select actual_value from marts.{mart} where indicator_code = '{code}' "
        f"and admin_unit_code = '{unit}' and period_label = '{label}'"
    )
    assert len(rows) <= 1, rows
    return rows[0]["actual_value"] if rows else None


@pytest.mark.parametrize(
    ("label", "unit", "expected"),
    [
        ("2024-03", "56", 1_100_000),  # republished later with a newer time: the newest wins
        ("2024-04", "56", 950_000),  # an older copy in the same page: the newest wins
        ("2024-05", "56", 800_000),  # an identical repeat: no effect
        ("2024-06", "56", 720_000),  # a conflict: the copy received last
        ("2025-06", "58", 350_000),  # corrected after the reform: the old unit changes
        ("2024-07", "56", 600_000),  # republished twice, back at the first figure
    ],
)
def test_tourism_the_newest_publication_wins(built, label, unit, expected) -> None:
    assert value(built, "DL_TONG_LUOT_KHACH", unit, label) == expected


def test_tourism_late_correction_keeps_todays_series_whole(built) -> None:
    # June 2025 of today's 56 = old 56 + old 58 (corrected), both moved whole.
    rows = built.query(
        "select actual_value, units_combined from marts.fct_indicator_value_current_unit "
        "where indicator_code = 'DL_TONG_LUOT_KHACH' and admin_unit_code = '56' "
        "and period_label = '2025-06'"
    )
    assert rows == [{"actual_value": 1_390_000.0, "units_combined": 2}]


@pytest.mark.parametrize(
    ("code", "unit", "label", "expected"),
    [
        # 2023-2024: 56300001 revised after the year closed (520), 56300002's newer row (310)
        ("GD_SO_HOC_SINH", "56", "2023-2024", 830),
        ("GD_SO_HOC_SINH", "58", "2023-2024", 200),
        # 2024-2025: 58300003's correction sent in July 2025 with today's code stays in old 58
        ("GD_SO_HOC_SINH", "58", "2024-2025", 606),
        ("GD_SO_TRUONG", "58", "2024-2025", 1),
        ("GD_SO_HOC_SINH", "56", "2024-2025", 900),
        # ... and in its commune before the reform (22783), not the code it was sent with
        ("GD_SO_HOC_SINH", "22783", "2024-2025", 606),
        ("GD_SO_HOC_SINH", "22786", "2024-2025", None),
        # exam 2024 (before the reform): the conflicting copy received last (104) stands, the
        # unknown school is not counted
        ("GD_THI_SINH_DU_THI", "56", "2024", 104),
        ("GD_THI_SINH_DU_THI", "58", "2024", 60),
        # exam 2025 ends after the reform: every school under today's 56, revised 58300003
        ("GD_THI_SINH_DU_THI", "56", "2025", 510),
        ("GD_THI_SINH_TOT_NGHIEP", "56", "2025", 497),
    ],
)
def test_education_the_newest_row_wins_and_belongs_to_its_period(
    built, code, unit, label, expected
) -> None:
    assert value(built, code, unit, label) == expected


def test_education_late_correction_keeps_todays_series_whole(built) -> None:
    assert value(
        built, "GD_SO_HOC_SINH", "56", "2024-2025", "fct_indicator_value_current_unit"
    ) == (1506)
    assert value(built, "GD_SO_TRUONG", "56", "2024-2025", "fct_indicator_value_current_unit") == 2
    assert value(built, "GD_THI_SINH_DU_THI", "58", "2025") is None
    # today's commune 22786 took old 22783 whole (GSO crosswalk): it reads the correction
    current = "fct_indicator_value_current_unit"
    assert value(built, "GD_SO_HOC_SINH", "22786", "2024-2025", current) == 606
    # no figure of today's generation for a school year that ended before the reform
    rows = built.query(
        "select count(*) as n from marts.fct_indicator_value where source = 'giaoduc' "
        "and period_label = '2024-2025' and admin_unit_key like '%@from_2025_07'"
    )
    assert rows == [{"n": 0}]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("TNS_NOI_DIA", 3_200),  # restated by the re-export (newer ngay_lap)
        ("TNS_XNK", 500),  # the newer copy, not the older one listed after it
    ],
)
def test_budget_the_newest_export_wins(built, code, expected) -> None:
    assert value(built, code, "56", "2024-03-YTD") == expected


def test_revisions_and_conflicts_are_counted_with_their_change(built) -> None:
    rows = built.query(
        "select dataset, kind, period_label, change from dq.dq_revision order by all"
    )
    got = [(r["dataset"], r["kind"], r["period_label"], r["change"]) for r in rows]
    conflicts = [g for g in got if g[1] == "conflict"]
    assert sorted(g[:3] for g in conflicts) == [
        ("dulich.thong_ke_thang", "conflict", "2024-06"),
        ("giaoduc.ket_qua_tot_nghiep", "conflict", "2024"),
        ("ngansach.thu_ngan_sach", "conflict", "2024-03"),
        ("reporting.so_lieu", "conflict", "2024-08"),  # BC-R-5 twice in a page: 80, 85
        ("reporting.so_lieu_excel", "conflict", "2025-09"),  # a row typed twice: 10, 12
    ]
    assert sorted(g for g in got if g[1] == "revision") == [
        ("dulich.thong_ke_thang", "revision", "2024-03", 100_000.0),
        ("dulich.thong_ke_thang", "revision", "2024-04", 50_000.0),
        ("dulich.thong_ke_thang", "revision", "2024-07", -50_000.0),  # B → A
        ("dulich.thong_ke_thang", "revision", "2024-07", 50_000.0),  # A → B
        ("dulich.thong_ke_thang", "revision", "2025-06", 50_000.0),
        ("giaoduc.ket_qua_tot_nghiep", "revision", "2025", 10.0),
        ("giaoduc.truong", "revision", "2023-2024", 10.0),
        ("giaoduc.truong", "revision", "2023-2024", 20.0),
        ("giaoduc.truong", "revision", "2024-2025", 6.0),
        ("ngansach.thu_ngan_sach", "revision", "2024-03", 20.0),  # XNK 480 → 500
        ("ngansach.thu_ngan_sach", "revision", "2024-03", 100.0),  # NOI_DIA 3 100 → 3 200
        ("ngansach.thu_ngan_sach", "revision", "2025-06", 50.0),  # 58 corrected in July's file
        ("reporting.so_lieu", "revision", "2024-03", 20.0),  # v2 approved: 100 → 120
        ("reporting.so_lieu", "revision", "2024-07", 10.0),  # the older copy, then the newer
        ("reporting.so_lieu", "revision", "2025-06", 5.0),  # Ninh Thuận resent: 50 → 55
        ("reporting.so_lieu_excel", "revision", "2025-08", 5.0),  # the file resent: 30 → 35
    ]


def test_each_change_is_dated_by_the_load_that_made_it(built) -> None:
    # A → B → A: the change to B by the load that brought B, the return to A by the third
    rows = built.query(
        "select load_id, previous_value, value from dq.dq_revision "
        "where dataset = 'dulich.thong_ke_thang' and period_label = '2024-07' order by version_time"
    )
    assert [(r["load_id"], r["previous_value"], r["value"]) for r in rows] == [
        ("thong_ke_202407__asof_20241001", 600_000, 650_000),
        ("thong_ke_202407__asof_20241101", 650_000, 600_000),
    ]
    # the resent Excel file: which figure, old → new, which load (the identical third file
    # changes nothing)
    rows = built.query(
        "select record_key, previous_value, value, load_id from dq.dq_revision "
        "where dataset = 'reporting.so_lieu_excel' and kind = 'revision'"
    )
    assert rows == [
        {
            "record_key": "SO_DTTG | BCT_DTTS_THANG | 2025-08 | DTTS_GIAI_NGAN | 56",
            "previous_value": 30.0,
            "value": 35.0,
            "load_id": "SO_DTTG__BCT_DTTS_THANG__aug_2",
        }
    ]


@pytest.mark.parametrize(
    ("code", "unit", "label", "expected"),
    [
        ("THUE_NO_THUE", "56", "2024-07", 70),  # the older copy in the page does not stand
        ("THUE_NO_THUE", "56", "2024-08", 85),  # a conflict: the copy received last
        ("DTTS_GIAI_NGAN", "56", "2025-08", 35),  # the resent file, not its repeat's twin
        ("DTTS_GIAI_NGAN", "56", "2025-09", 12),  # a row typed twice: the later row
    ],
)
def test_reporting_copies_and_resent_files(built, code, unit, label, expected) -> None:
    assert value(built, code, unit, label) == expected


def test_budget_late_correction_corrects_the_old_unit(built) -> None:
    assert value(built, "TNS_NOI_DIA", "58", "2025-06-YTD") == 1_050
    # today's 56: both old provinces' June, whole; July's flow against both
    current = "fct_indicator_value_current_unit"
    assert value(built, "TNS_NOI_DIA", "56", "2025-06-YTD", current) == 6_050
    assert value(built, "TNS_NOI_DIA", "56", "2025-07") == 750


def test_unplaced_records_are_counted_not_lost(built) -> None:
    rows = built.query(
        "select dataset, period_label, record_key, reason from dq.dq_unplaced_record order by all"
    )
    assert [(r["dataset"], r["period_label"], r["record_key"]) for r in rows] == [
        ("dichvucong.ho_so", "2025-06", "H99.25-000099"),
        ("dulich.thong_ke_thang", "2024-06", "99001"),
        ("giaoduc.ket_qua_tot_nghiep", "2024", "99000001"),
        ("ngansach.thu_ngan_sach", "2024-03", "56 | TINH | XNK_KHAC"),
        ("reporting.so_lieu", "2024-03", "CUC_THUE | BCT_THUE_THANG | THUE_NO_THUE | 99001"),
        ("reporting.so_lieu", "2024-03", "CUC_THUE | BCT_THUE_THANG | XX_999 | 56"),
    ]
    assert all(r["reason"] for r in rows)
    # the dossier of an unknown unit is still a dossier, only no province counts it
    assert built.query(
        "select count(*) as n from marts.fct_dossier where dossier_id = 'H99.25-000099'"
    ) == [{"n": 1}]


def test_dq_check_result_counts_them_per_dataset(built) -> None:
    rows = built.query(
        "select dataset, check_name, dimension, status, rows_failed, rows_checked "
        "from dq.dq_check_result where check_kind = 'revision' order by all"
    )
    got = {(r["dataset"], r["check_name"]): r for r in rows}
    assert got[("dulich.thong_ke_thang", "record_revisions")]["rows_checked"] == 5
    assert got[("giaoduc.truong", "record_revisions")]["rows_checked"] == 3
    conflict = got[("giaoduc.ket_qua_tot_nghiep", "record_conflicts")]
    assert (conflict["dimension"], conflict["status"], conflict["rows_failed"]) == (
        "dung",
        "warn",
        1,
    )
    placed = got[("giaoduc.ket_qua_tot_nghiep", "records_placed")]
    assert (placed["dimension"], placed["status"], placed["rows_failed"]) == ("du", "warn", 1)
    assert got[("giaoduc.truong", "records_placed")]["status"] == "pass"


def test_reporting_the_newest_approved_version_wins(built) -> None:
    assert value(built, "THUE_NO_THUE", "56", "2024-03") == 120  # resent and approved again
    assert value(built, "THUE_NO_THUE", "58", "2025-06") == 55  # corrected after the reform
    # today's 56 in June 2025: new 56 (200) + Ninh Thuận as corrected (55), whole
    assert value(built, "THUE_NO_THUE", "56", "2025-06", "fct_indicator_value_current_unit") == 255
    assert value(built, "XX_999", "56", "2024-03") is None

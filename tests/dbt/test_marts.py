"""One `dbt build` over the hand-made lake (June and July 2025 loads); the marts are checked
against figures worked out by hand from the records in dbt_lake.py."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime

import pytest

from tests.dbt.dbt_harness import Warehouse, rounded, warehouse
from tests.dbt.dbt_lake import write_initial_lake

INDICATORS = [
    "DVC_HS_TIEP_NHAN", "DVC_HS_GIAI_QUYET", "DVC_TY_LE_DUNG_HAN", "DVC_TY_LE_TRUC_TUYEN",
    "DVC_TY_LE_TT_TRUC_TUYEN", "DVC_TY_LE_SO_HOA", "DVC_TY_LE_HAI_LONG", "DVC_HS_QUA_HAN",
]  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    with warehouse(tmp_path_factory.mktemp("warehouse")) as wh:
        write_initial_lake(wh.lake)
        wh.dbt("build")
        yield wh


def indicator_values(wh: Warehouse, unit: str, label: str) -> dict[str, float | None]:
    rows = wh.query(
        f"select indicator_code, actual_value from marts.fct_indicator_value "
        f"where admin_unit_code = '{unit}' and period_label = '{label}'"
    )
    return {r["indicator_code"]: r["actual_value"] for r in rounded(rows)}


def test_staging_keeps_one_copy_of_repeated_records(built: Warehouse) -> None:
    rows = built.query("select count(*) as n, count(distinct load_id) as loads "
                       "from staging.stg_dichvucong__ho_so")  # fmt: skip
    # June: 8 records, one repeated in the same load; July: 8 records, one repeating June's
    assert rows == [{"n": 14, "loads": 2}]


def test_fct_dossier_is_the_current_state(built: Warehouse) -> None:
    rows = built.query(
        "select dossier_id, status, admin_unit_key, province_code, closed_at, is_resolved, "
        "is_on_time, is_online, is_paid_online, is_digitised, satisfaction "
        "from marts.fct_dossier"
    )
    at = datetime.fromisoformat
    units = {r["dossier_id"]: (r["status"], r["admin_unit_key"], r["province_code"]) for r in rows}
    closed = {r["dossier_id"]: r["closed_at"] for r in rows}
    flags = {r["dossier_id"]: tuple(list(r.values())[5:]) for r in rows}
    # fmt: off
    assert units == {
        "H56.25-000002": ("TU_CHOI", "22465@before_2025_07", "56"),
        "H56.25-000003": ("RUT_HO_SO", "22333@from_2025_07", "56"),
        "H56.25-000004": ("BO_SUNG", "22333@from_2025_07", "56"),
        "H56.25-000005": ("DA_TRA_KET_QUA", "22333@from_2025_07", "56"),
        "H56.25-000007": ("DA_TRA_KET_QUA", "570@before_2025_07", "56"),
        "H58.25-000001": ("DA_TRA_KET_QUA", "22783@before_2025_07", "58"),
        "H58.25-000006": ("DA_TRA_KET_QUA", "58@before_2025_07", "58"),
    }
    assert closed == {
        "H56.25-000002": at("2025-07-05T11:00"), "H56.25-000003": at("2025-07-10T09:00"),
        "H56.25-000004": None, "H56.25-000005": at("2025-07-08T15:00"),
        "H56.25-000007": at("2025-06-13T16:00"), "H58.25-000001": at("2025-06-09T10:00"),
        "H58.25-000006": at("2025-06-30T17:00"),
    }
    # resolved, on time, online, paid online, digitised, satisfaction
    assert flags == {
        "H56.25-000002": (True, False, False, False, False, 2),
        "H56.25-000003": (False, False, False, False, False, None),
        "H56.25-000004": (False, False, True, False, True, None),
        "H56.25-000005": (True, True, True, True, False, 4),
        "H56.25-000007": (True, False, False, False, True, None),
        "H58.25-000001": (True, True, True, True, True, 5),
        "H58.25-000006": (True, True, False, False, False, None),
    }
    # fmt: on


def test_fct_dossier_holds_no_personal_data(built: Warehouse) -> None:
    columns = {r["column_name"] for r in built.query(
        "select column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'fct_dossier'")}  # fmt: skip
    assert "owner_hash" in columns
    assert not {c for c in columns if any(w in c for w in ("name_of", "phone", "address", "id_no"))}
    hashes = built.query("select distinct length(owner_hash) as n from marts.fct_dossier")
    assert hashes == [{"n": 64}]


def test_agg_public_service_month_matches_hand_counts(built: Warehouse) -> None:
    rows = rounded(built.query(
        "select * exclude (month_start) from marts.agg_public_service_month "
        "order by month_start, agency_code, admin_unit_code"))  # fmt: skip
    columns = [
        "period_label", "agency_code", "admin_unit_code", "received", "received_online",
        "online_pct", "received_digitised", "digitised_pct", "received_with_fee", "paid_online",
        "paid_online_pct", "resolved", "resolved_on_time", "on_time_pct", "rated",
        "rated_satisfied", "satisfaction_pct", "overdue_open",
    ]  # fmt: skip
    assert list(rows[0]) == columns  # exactly the contract's columns, in order
    # fmt: off
    assert {tuple(r.values())[:3]: tuple(r.values())[3:] for r in rows} == {
        # D2 open past due on 1 July
        ("2025-06", "SO_TU_PHAP", "22465"):
            (1, 0, 0.0, 0, 0.0, 0, 0, None, 0, 0, None, 0, 0, None, 1),
        # D1 online, digitised, paid online, on time, 5 stars
        ("2025-06", "SO_TU_PHAP", "22783"):
            (1, 1, 100.0, 1, 100.0, 1, 1, 100.0, 1, 1, 100.0, 1, 1, 100.0, 0),
        # D6 resolved exactly at its due time, not rated
        ("2025-06", "SO_TU_PHAP", "58"):
            (1, 0, 0.0, 0, 0.0, 0, 0, None, 1, 1, 100.0, 0, 0, None, 0),
        # D7 digitised, resolved late
        ("2025-06", "UBND_H_CAM_LAM", "570"):
            (1, 0, 0.0, 1, 100.0, 0, 0, None, 1, 0, 0.0, 0, 0, None, 0),
        # D2 rejected late with 2 stars (received in June: nothing received here)
        ("2025-07", "SO_TU_PHAP", "22465"):
            (0, 0, None, 0, None, 0, 0, None, 1, 0, 0.0, 1, 0, 0.0, 0),
        # D3 withdrawn, D4 open past due, D5 on time with 4 stars
        ("2025-07", "UBND_P_BAC_NHA_TRANG", "22333"):
            (3, 2, 66.67, 1, 33.33, 2, 1, 50.0, 1, 1, 100.0, 1, 1, 100.0, 1),
    }
    # fmt: on


@pytest.mark.parametrize(
    ("unit", "label", "expected"),
    [
        ("58", "2025-06", [2, 2, 100.0, 50.0, 100.0, 50.0, 100.0, 0]),
        ("56", "2025-06", [2, 1, 0.0, 0.0, None, 50.0, None, 1]),  # old Khánh Hòa
        ("56", "2025-07", [3, 2, 50.0, 66.67, 50.0, 33.33, 50.0, 1]),  # new Khánh Hòa
        ("56", "2025-Q2", [2, 1, 0.0, 0.0, None, 50.0, None, 1]),
        ("56", "2025-Q3", [3, 2, 50.0, 66.67, 50.0, 33.33, 50.0, 1]),
        # a period ending after the reform is today's 56: June of old 56 and Ninh Thuận (58)
        # read through the crosswalk, then July; ratios are ratios of sums: on time
        # (0 + 2 + 1) / (1 + 2 + 2) = 60 %, not the mean of 0 %, 100 % and 50 %
        ("56", "2025", [7, 5, 60.0, 42.86, 66.67, 42.86, 66.67, 1]),
        ("56", "2025-9M", [7, 5, 60.0, 42.86, 66.67, 42.86, 66.67, 1]),
        ("56", "2025-H2", [3, 2, 50.0, 66.67, 50.0, 33.33, 50.0, 1]),
        ("56", "2025-07-YTD", [7, 5, 60.0, 42.86, 66.67, 42.86, 66.67, 1]),
    ],
)
def test_indicator_values(built: Warehouse, unit: str, label: str, expected: list) -> None:
    assert indicator_values(built, unit, label) == dict(zip(INDICATORS, expected, strict=True))


def test_ninh_thuan_stops_at_the_reform(built: Warehouse) -> None:
    rows = built.query(
        "select period_label from marts.fct_indicator_value where admin_unit_code = '58'"
    )
    labels = {r["period_label"] for r in rows}
    assert "2025-07" not in labels and "2025-Q3" not in labels and "2025-06" in labels
    assert "2025-H1" in labels and "2025" not in labels  # 2025 ends after the reform


def test_partial_periods_are_flagged(built: Warehouse) -> None:
    rows = built.query(
        "select admin_unit_code as unit, period_label as label, is_partial_period as partial, "
        "last_data_month from marts.fct_indicator_value where indicator_code = 'DVC_HS_QUA_HAN' "
        "and period_label in ('2025-Q2', '2025-Q3', '2025', '2025-07-YTD') order by 1, 2"
    )
    # the lake starts in June 2025: every period holding an earlier month lacks it
    assert [tuple(r.values()) for r in rows] == [
        ("56", "2025", True, date(2025, 7, 1)),
        ("56", "2025-07-YTD", True, date(2025, 7, 1)),
        ("56", "2025-Q2", True, date(2025, 6, 1)),
        ("56", "2025-Q3", True, date(2025, 7, 1)),
        ("58", "2025-Q2", True, date(2025, 6, 1)),
    ]
    months = built.query(
        "select distinct is_partial_period from marts.fct_indicator_value "
        "where period_type = 'month'"
    )
    assert months == [{"is_partial_period": False}]


def test_indicator_rows_carry_their_provenance(built: Warehouse) -> None:
    rows = built.query(
        "select distinct plan_value, pct_of_plan, same_period_last_year, is_estimate, source, "
        "source_load_id from marts.fct_indicator_value where period_label = '2025-07'"
    )
    assert rows == [{
        "plan_value": None, "pct_of_plan": None, "same_period_last_year": None,
        "is_estimate": False, "source": "dichvucong",
        "source_load_id": "ho_so_20250701T0000_20250801T0000",
    }]  # fmt: skip


def test_dim_admin_unit_holds_both_generations(built: Warehouse) -> None:
    rows = built.query(
        "select generation, level, count(*) as n from marts.dim_admin_unit "
        "group by all order by all"
    )
    assert [tuple(r.values()) for r in rows] == [
        ("before_2025_07", "commune", 10047), ("before_2025_07", "district", 696),
        ("before_2025_07", "province", 63), ("from_2025_07", "commune", 3321),
        ("from_2025_07", "province", 34),
    ]  # fmt: skip
    # the five island districts with no communes (SOURCE.md: 696 districts), in their province
    islands = built.query(
        "select admin_unit_code, parent_code from marts.dim_admin_unit where level = "
        "'district' and admin_unit_code in ('318', '471', '498', '536', '755') order by 1"
    )
    assert [tuple(r.values()) for r in islands] == [
        ("318", "31"), ("471", "45"), ("498", "48"), ("536", "51"), ("755", "77"),
    ]  # fmt: skip
    khanh_hoa = built.query(
        "select admin_unit_key, name_vi, valid_from, valid_to from marts.dim_admin_unit "
        "where admin_unit_code = '56' order by admin_unit_key"
    )
    assert khanh_hoa == [
        {"admin_unit_key": "56@before_2025_07", "name_vi": "Tỉnh Khánh Hòa",
         "valid_from": None, "valid_to": date(2025, 7, 1)},
        {"admin_unit_key": "56@from_2025_07", "name_vi": "Tỉnh Khánh Hòa",
         "valid_from": date(2025, 7, 1), "valid_to": None},
    ]  # fmt: skip


def test_dim_period_labels(built: Warehouse) -> None:
    rows = built.query("select period_type, count(*) as n from marts.dim_period group by 1")
    # 5 years: 60 months, 20 quarters, 10 halves, 5 nine-months, 5 years, 60 ytd, and the
    # school years 2021-2022 .. 2026-2027
    assert {r["period_type"]: r["n"] for r in rows} == {
        "month": 60, "quarter": 20, "half_year": 10, "nine_months": 5, "year": 5, "ytd": 60,
        "school_year": 6,
    }  # fmt: skip
    names = built.query(
        "select period_label, period_start, period_end, period_name_vi from marts.dim_period "
        "where period_label in ('2024-Q1', '2024-9M', '2024-03-YTD', '2023-2024') order by 1"
    )
    assert [tuple(r.values()) for r in names] == [
        ("2023-2024", date(2023, 9, 1), date(2024, 5, 31), "Năm học 2023-2024"),
        ("2024-03-YTD", date(2024, 1, 1), date(2024, 3, 31), "Lũy kế đến tháng 3/2024"),
        ("2024-9M", date(2024, 1, 1), date(2024, 9, 30), "9 tháng năm 2024"),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31), "Quý I/2024"),
    ]


def test_dim_indicator_and_dim_agency(built: Warehouse) -> None:
    indicators = built.query(
        "select indicator_code, name_vi, aggregation from marts.dim_indicator"
        " where source = 'dichvucong'"
    )
    assert sorted(r["indicator_code"] for r in indicators) == sorted(INDICATORS)
    assert all(unicodedata.is_normalized("NFC", r["name_vi"]) for r in indicators)
    assert {r["indicator_code"]: r["aggregation"] for r in indicators}["DVC_HS_QUA_HAN"] == (
        "end_of_period"
    )
    agencies = built.query(
        "select agency_code, level, dossiers from marts.dim_agency where dossiers > 0 order by 1"
    )
    assert [tuple(r.values()) for r in agencies] == [
        ("SO_TU_PHAP", "commune", 3), ("UBND_H_CAM_LAM", "district", 1),
        ("UBND_P_BAC_NHA_TRANG", "commune", 3),
    ]  # fmt: skip
    # the indicators' owner agencies are there too, named from the agency catalog
    owners = built.query(
        "select a.agency_code, a.name_vi, a.name_en, a.level from marts.dim_agency as a "
        "where a.agency_code in (select owner_agency from marts.dim_indicator) order by 1"
    )
    assert len(owners) == 14 and all(r["name_vi"] and r["name_en"] for r in owners)
    assert {r["level"] for r in owners} == {"province"}
    assert {r["agency_code"]: r["name_vi"] for r in owners}["SO_TC"] == "Sở Tài chính"


def test_docs_generate(built: Warehouse) -> None:
    built.dbt("docs", "generate")
    catalog = json.loads((built.root / "dbt_target" / "catalog.json").read_text())
    manifest = json.loads((built.root / "dbt_target" / "manifest.json").read_text())
    served = {
        key: node
        for key, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["schema"] in {"marts", "dq"}
    }
    assert "model.ioc.fct_indicator_value_current_unit" in served
    # every served table is in the catalog, described in Vietnamese and English, column by
    # column
    assert set(served) <= set(catalog["nodes"])
    for key, node in served.items():
        assert "**vi:**" in node["description"] and "**en:**" in node["description"], key
        undocumented = [c for c, col in node["columns"].items() if not col["description"]]
        assert undocumented == [], key
        assert set(node["columns"]) == {c.lower() for c in catalog["nodes"][key]["columns"]}, key
    # the dashboards are declared as exposures of real nodes
    exposed = {dep for e in manifest["exposures"].values() for dep in e["depends_on"]["nodes"]}
    assert exposed and exposed <= set(manifest["nodes"])
    assert (built.root / "dbt_target" / "index.html").exists()

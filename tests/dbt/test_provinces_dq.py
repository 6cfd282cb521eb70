"""The data-quality models see every province's load ledger and quarantine (dq.load_ledger,
dq.dq_quarantine, dq.rpt_dq_load_summary, dq.dq_check_result's ingest check): in a
many-province lake each province keeps them under ``lake/province=<code>/_meta/``
(ingest/common/settings.py, WarehousePaths.for_province), the one province's lake under
``lake/_meta/``. Two provinces load the same month (the same load id): two ledger rows, two
summary rows, two ingest checks, nothing merged. Freshness and the month grid are checked per
province × dataset: one province's stale budget revenue is not hidden by the other's fresh one,
nor a month one province misses by the other's load of it."""

from __future__ import annotations

import csv
import importlib
import io
import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from expectations import steward
from expectations.validate import CheckResult, Validator
from ingest.common.contract import Contract
from ingest.common.ledger import Ledger, LedgerEntry, Quarantine
from ingest.common.parse import now_local
from ingest.common.settings import WarehousePaths
from ioc.sources import SOURCES, EnvSettings, dbt_vars
from tests.dbt.dbt_harness import warehouse

JUNE = datetime(2025, 6, 1), datetime(2025, 7, 1)
SCHEDULE = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "dq_load_schedule.csv"


def budget(days_ago: int) -> LedgerEntry:
    """A successful budget revenue load whose month window ended ``days_ago`` days ago
    (seeds/dq_load_schedule.csv: ngansach.thu_ngan_sach warns after 40 days, fails after 70)."""
    end = now_local().replace(microsecond=0) - timedelta(days=days_ago)
    start = end - timedelta(days=30)
    return LedgerEntry(
        "thu_ngan_sach_x", "ngansach", "thu_ngan_sach", start, end, end, end, "success", 5, 5
    )


def tourism(month: int) -> LedgerEntry:
    """A successful tourism statistics load of month ``month`` of 2025 (a month grid dataset)."""
    start, end = datetime(2025, month, 1), datetime(2025, month + 1, 1)
    return LedgerEntry(
        f"thong_ke_thang_2025-{month:02d}",
        "dulich",
        "thong_ke_thang",
        start,
        end,
        end,
        end,
        "success",
        30,
        30,
    )


def dropped(dataset: str, days_ago: int) -> LedgerEntry:
    """A successful reporting load without a window (a dropped Excel file, a catalog
    snapshot: the connector dates it by when it ran), finished ``days_ago`` days ago."""
    done = now_local().replace(microsecond=0) - timedelta(days=days_ago)
    return LedgerEntry(
        f"{dataset}_x", "reporting", dataset, None, None, done, done, "success", 4, 4
    )


def school_year(days_ago: int) -> LedgerEntry:
    """A successful school figures load pulled ``days_ago`` days ago, ten days into its school
    year: its window ends about a year after the pull (seeds/dq_load_schedule.csv:
    giaoduc.truong warns after 400 days, fails after 430)."""
    done = now_local().replace(microsecond=0) - timedelta(days=days_ago)
    start = done - timedelta(days=10)
    return LedgerEntry(
        "truong_x",
        "giaoduc",
        "truong",
        start,
        start + timedelta(days=365),
        done,
        done,
        "success",
        9,
        9,
    )


def entry(status: str, rows: int, started: datetime, quarantined: int = 0) -> LedgerEntry:
    return LedgerEntry(
        load_id="ho_so_2025-06",
        source="dichvucong",
        dataset="ho_so",
        window_start=JUNE[0],
        window_end=JUNE[1],
        started_at=started,
        finished_at=started.replace(minute=5),
        status=status,
        rows_in=rows + quarantined,
        rows_loaded=rows if status == "success" else 0,
        rows_quarantined=quarantined,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    with warehouse(tmp_path_factory.mktemp("provinces_dq")) as wh:
        # Khánh Hòa: a failed attempt, then a success; Hà Nội: one success; the one
        # province's own lake beside them (a lake may hold both while it is converted).
        khanh_hoa = Ledger(wh.lake / "province=56" / "_meta")
        khanh_hoa.record(entry("failed", 0, datetime(2025, 7, 1, 1), quarantined=9))
        khanh_hoa.record(entry("success", 120, datetime(2025, 7, 1, 2), quarantined=3))
        Ledger(wh.lake / "province=01" / "_meta").record(
            entry("success", 400, datetime(2025, 7, 1, 1))
        )
        Ledger(wh.lake / "_meta").record(entry("success", 7, datetime(2025, 7, 1, 3)))
        # budget revenue: Khánh Hòa's is fresh, Hà Nội's stale
        Ledger(wh.lake / "province=56" / "_meta").record(budget(3))
        Ledger(wh.lake / "province=01" / "_meta").record(budget(100))
        # tourism statistics: Khánh Hòa has January to March 2025, Hà Nội misses February
        for month in (1, 2, 3):
            Ledger(wh.lake / "province=56" / "_meta").record(tourism(month))
        for month in (1, 3):
            Ledger(wh.lake / "province=01" / "_meta").record(tourism(month))
        # Khánh Hòa's Excel reports, a file of 2 days ago; and a dataset a connector lands that
        # the load schedule does not know (its freshness cannot be checked)
        Ledger(wh.lake / "province=56" / "_meta").record(dropped("so_lieu_excel", 2))
        Ledger(wh.lake / "province=56" / "_meta").record(dropped("bieu_mau", 2))
        # Khánh Hòa's school figures, last pulled 450 days ago (the source stopped)
        Ledger(wh.lake / "province=56" / "_meta").record(school_year(450))
        rejected = [  # Khánh Hòa's successful load quarantined three records
            {
                "load_id": "ho_so_2025-06",
                "dataset": "ho_so",
                "reason": f"page {page}: NgayTiepNhan: not a date",
                "raw_location": f"page {page}",
                "record": "{}",
                "quarantined_at": datetime(2025, 7, 1, 2, 4),
            }
            for page in (1, 2, 3)
        ]
        Quarantine(wh.lake / "province=56" / "_meta").write(
            "dichvucong", "ho_so", "ho_so_2025-06", rejected
        )
        # GE results as the checkpoint writes them, into the checked province's _meta: a
        # warning on Khánh Hòa's dossiers, a pass on the one province's
        validator = Validator(wh.root / "dq" / "data_docs", "run_1")
        for meta, failed in ((wh.lake / "province=56" / "_meta", 3), (wh.lake / "_meta", 0)):
            unique = CheckResult(
                "expect_column_values_to_be_unique(column=MaHoSo)",
                "sach",
                "warning",
                rows_checked=120,
                rows_failed=failed,
                failed=failed > 0,
            )
            validator.write([unique], "dichvucong.ho_so", "ho_so_2025-06", meta)
        wh.dbt("seed")
        wh.dbt("run", "--select", "+rpt_dq_load_summary", "+dq_check_result")
        wh.dbt("test", "--select", "load_ledger dq_quarantine rpt_dq_load_summary dq_check_result")
        yield wh


def test_load_ledger_has_a_row_per_province_load_attempt(built) -> None:
    rows = built.query(
        "select province, status, rows_loaded, rows_quarantined from dq.load_ledger "
        "where source = 'dichvucong' order by province nulls first, started_at"
    )
    assert rows == [
        {"province": None, "status": "success", "rows_loaded": 7, "rows_quarantined": 0},
        {"province": "01", "status": "success", "rows_loaded": 400, "rows_quarantined": 0},
        {"province": "56", "status": "failed", "rows_loaded": 0, "rows_quarantined": 9},
        {"province": "56", "status": "success", "rows_loaded": 120, "rows_quarantined": 3},
    ]


def test_load_summary_has_a_row_per_province(built) -> None:
    rows = built.query(
        "select province, loads, last_status, rows_loaded, rows_quarantined, quarantine_reasons "
        "from dq.rpt_dq_load_summary where source = 'dichvucong' order by province nulls first"
    )
    assert rows == [
        {
            "province": None,
            "loads": 1,
            "last_status": "success",
            "rows_loaded": 7,
            "rows_quarantined": 0,
            "quarantine_reasons": "Không có",
        },
        {
            "province": "01",
            "loads": 1,
            "last_status": "success",
            "rows_loaded": 400,
            "rows_quarantined": 0,
            "quarantine_reasons": "Không có",
        },
        {
            "province": "56",
            "loads": 2,
            "last_status": "success",
            "rows_loaded": 120,
            "rows_quarantined": 12,
            "quarantine_reasons": "NgayTiepNhan: not a date (3)",
        },
    ]


def test_quarantine_names_the_province(built) -> None:
    rows = built.query("select province, load_id, count(*) as n from dq.dq_quarantine group by all")
    assert rows == [{"province": "56", "load_id": "ho_so_2025-06", "n": 3}]


def test_ingest_check_has_a_row_per_province_load(built) -> None:
    """Of each province's load the latest attempt decides (Khánh Hòa's success after its
    failure); the load is named by its folder in the province's part of the lake."""
    rows = built.query(
        "select load_id, status, rows_checked, rows_failed from dq.dq_check_result "
        "where check_name = 'ingest_rows_readable' and dataset = 'dichvucong.ho_so' "
        "order by load_id"
    )
    assert rows == [
        {"load_id": "ho_so_2025-06", "status": "pass", "rows_checked": 7, "rows_failed": 0},
        {
            "load_id": "province=01/ho_so_2025-06",
            "status": "pass",
            "rows_checked": 400,
            "rows_failed": 0,
        },
        {
            "load_id": "province=56/ho_so_2025-06",
            "status": "warn",
            "rows_checked": 123,
            "rows_failed": 3,
        },
    ]


def test_freshness_is_checked_per_province_and_dataset(built) -> None:
    """One row per province (its load_id province=<code>) and dataset: Hà Nội's budget
    revenue, 100 days old, fails beside Khánh Hòa's, 3 days old. The one province's ledger
    beside the many provinces' (null) is checked only for what it loaded, the dossiers (June
    2025, late everywhere): not failed for budget revenue it never had."""
    rows = built.query(
        "select dataset, load_id, status from dq.dq_check_result "
        "where check_name = 'load_freshness' "
        "and dataset in ('ngansach.thu_ngan_sach', 'dichvucong.ho_so') "
        "order by dataset, load_id nulls first"
    )
    assert [tuple(r.values()) for r in rows] == [
        ("dichvucong.ho_so", None, "fail"),
        ("dichvucong.ho_so", "province=01", "fail"),
        ("dichvucong.ho_so", "province=56", "fail"),
        ("ngansach.thu_ngan_sach", "province=01", "fail"),
        ("ngansach.thu_ngan_sach", "province=56", "pass"),
    ]
    (late,) = built.query(
        "select details from dq.dq_check_result where check_name = 'load_freshness' "
        "and dataset = 'ngansach.thu_ngan_sach' and load_id = 'province=01'"
    )
    assert "cách lúc làm mới 100 ngày" in late["details"]


def test_month_grid_is_checked_per_province_and_dataset(built) -> None:
    """Hà Nội's missing February fails its grid though Khánh Hòa loaded that month; each
    province's grid spans its own first to last month."""
    rows = built.query(
        "select load_id, status, rows_checked, rows_failed, details from dq.dq_check_result "
        "where check_name = 'load_month_grid' and dataset = 'dulich.thong_ke_thang' "
        "order by load_id nulls first"
    )
    assert rows == [
        {
            "load_id": "province=01",
            "status": "fail",
            "rows_checked": 3,
            "rows_failed": 1,
            "details": "Thiếu lần nạp thành công cho các tháng: 2025-02.",
        },
        {
            "load_id": "province=56",
            "status": "pass",
            "rows_checked": 3,
            "rows_failed": 0,
            "details": "Đủ 3 tháng, từ 2025-01 đến 2025-03.",
        },
    ]
    dossiers = built.query(
        "select load_id, status from dq.dq_check_result "
        "where check_name = 'load_month_grid' and dataset = 'dichvucong.ho_so' "
        "order by load_id nulls first"
    )
    assert [tuple(r.values()) for r in dossiers] == [
        (None, "pass"),
        ("province=01", "pass"),
        ("province=56", "pass"),
    ]


def test_ge_results_of_each_province_are_read(built) -> None:
    """The GE results a province's checkpoint wrote under province=<code>/_meta/dq_results
    are checks too, their load named by its folder like the ingest check's."""
    rows = built.query(
        "select load_id, status, rows_checked, rows_failed from dq.dq_check_result "
        "where check_kind = 'ge' order by load_id"
    )
    assert [tuple(r.values()) for r in rows] == [
        ("ho_so_2025-06", "pass", 120, 0),
        ("province=56/ho_so_2025-06", "warn", 120, 3),
    ]


def test_source_status_has_a_row_per_province(built) -> None:
    """How far each province's budget revenue reaches, from its own ledger: Hà Nội's stopped
    100 days ago, beside Khánh Hòa's of 3 days ago (the newest across provinces hid it). The
    one province's ledger (null) delivered dossiers only: its budget revenue has no data."""
    rows = built.query(
        "select province, status, data_until from dq.dq_source_status "
        "where source = 'ngansach' order by province nulls first"
    )
    now = now_local()
    ages = [
        (r["province"], r["status"], r["data_until"] and (now - r["data_until"]).days) for r in rows
    ]
    assert ages == [(None, "no_data", None), ("01", "delivering", 100), ("56", "delivering", 3)]
    dossiers = built.query(
        "select province, data_until from dq.dq_source_status "
        "where source = 'dichvucong' order by province nulls first"
    )
    assert [tuple(r.values()) for r in dossiers] == [(p, JUNE[1]) for p in (None, "01", "56")]


def test_steward_status_lists_each_provinces_newest_load(built, tmp_path) -> None:
    """``steward status`` on these tables (as published): each province's newest budget
    revenue load on its own line, named province=<code>/<id>, Hà Nội's 100 days old; the
    failing freshness check names the province it is of."""
    serving = WarehousePaths(tmp_path).serving_db
    serving.parent.mkdir(parents=True)
    shutil.copy(built.database, serving)
    shown = io.StringIO()
    assert steward.status(WarehousePaths(tmp_path), shown) == 0
    lines = shown.getvalue().splitlines()
    budget = [line.split() for line in lines if line.startswith("ngansach.thu_ngan_sach  ")]
    newest = [(w[1], w[6]) for w in budget if w[1].startswith("province=")]
    assert newest == [("province=01/thu_ngan_sach_x", "100"), ("province=56/thu_ngan_sach_x", "3")]
    (late,) = [w for w in budget if "load_freshness" in w]
    assert late[1:5] == ["Sống", "Lỗi", "load_freshness", "province=01"]


def test_freshness_is_set_once_in_the_load_schedule() -> None:
    """Freshness is dq_check_result's load_freshness (per province × dataset, from the
    ledgers), its limits in seeds/dq_load_schedule.csv only: no dbt source declares a
    `dbt source freshness` of its own (it takes the newest row across provinces, nothing
    runs it), and every scheduled dataset is one of the sources' tables."""
    project = Path(__file__).resolve().parents[2] / "dbt_project"
    tables, declared = set(), []
    for path in sorted((project / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            nodes = [source, *source["tables"]]
            for node in nodes + [n.get("config", {}) for n in nodes]:
                keys = ("freshness", "loaded_at_field")
                declared += [f"{path.name}: {k}" for k in keys if k in node]
            tables |= {(source["name"], t["name"]) for t in source["tables"]}
    assert declared == []
    with SCHEDULE.open(encoding="utf-8") as f:
        scheduled = {(r["source"], r["dataset"]) for r in csv.DictReader(f)}
    assert scheduled and scheduled <= tables


def test_every_dataset_the_connectors_declare_is_scheduled() -> None:
    """Each raw dataset a source of the registry declares (ingest/<source>/contracts.py) has
    its row in seeds/dq_load_schedule.csv: without one its freshness is never checked."""
    declared = {
        (c.source, c.dataset)
        for source in SOURCES.values()
        for c in vars(importlib.import_module(f"{source.package}.contracts")).values()
        if isinstance(c, Contract)
    }
    assert {s for s, _ in declared} == set(SOURCES)
    with SCHEDULE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sorted(declared - {(r["source"], r["dataset"]) for r in rows}) == []
    # each row's input is one its source.toml declares (conn_id: connection, drop: folder)
    for r in rows:
        source = SOURCES[r["source"]]
        has = {"connection": source.conn_id, "drop_folder": source.drop_variable}
        assert has[r["input"]], f"{r['source']}.{r['dataset']}: {r['input']} not declared"


def test_a_load_without_a_window_is_as_fresh_as_when_it_ran(built) -> None:
    """Khánh Hòa's Excel reports (a dropped file has no window: the ledger dates it by when
    it ran), 2 days old, pass freshness; Hà Nội, which has none, fails it."""
    rows = built.query(
        "select load_id, status, details from dq.dq_check_result "
        "where check_name = 'load_freshness' and dataset = 'reporting.so_lieu_excel' "
        "order by load_id nulls first"
    )
    assert [(r["load_id"], r["status"]) for r in rows] == [
        ("province=01", "fail"),
        ("province=56", "pass"),
    ]
    assert "cách lúc làm mới 2 ngày" in rows[1]["details"]


def test_a_window_ending_after_its_pull_ages_from_the_pull(built) -> None:
    """Khánh Hòa's school figures were last pulled 450 days ago; their school year's window
    ended 95 days ago. Freshness counts from the pull: the source stopped, it fails."""
    (row,) = built.query(
        "select status, details from dq.dq_check_result where check_name = 'load_freshness' "
        "and dataset = 'giaoduc.truong' and load_id = 'province=56'"
    )
    assert row["status"] == "fail", row
    assert "cách lúc làm mới 450 ngày" in row["details"], row


def test_a_landed_dataset_the_schedule_does_not_know_is_said_so(built) -> None:
    """A dataset with successful loads but no row in the load schedule gets one warning (its
    freshness cannot be checked), never silence; the scheduled datasets get none."""
    rows = built.query(
        "select dataset, load_id, dimension, status, details from dq.dq_check_result "
        "where check_name = 'load_schedule'"
    )
    assert [tuple(r.values())[:4] for r in rows] == [("reporting.bieu_mau", None, "song", "warn")]
    assert "chưa có trong lịch nạp" in rows[0]["details"]


@pytest.fixture(scope="module")
def configured(built, tmp_path_factory: pytest.TempPathFactory):
    """The same lake refreshed with the registry the refresh passes (ioc.sources.dbt_vars):
    Khánh Hòa configured its budget revenue drop folder, Hà Nội did not (only its portal);
    TP Hồ Chí Minh configured its portal and never loaded. The reporting system: Khánh Hòa
    reads its API only, Hà Nội its drop folder only."""
    root = tmp_path_factory.mktemp("provinces_dq_configured")
    settings = EnvSettings(
        {
            "AIRFLOW_VAR_IOC_PROVINCES": "01,56,79",
            "AIRFLOW_CONN_IOC_DICHVUCONG_79": '{"conn_type": "http", "host": "https://dvc.hcm"}',
            "AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR_56": "/srv/drops/56/ngansach",
            "AIRFLOW_CONN_IOC_DICHVUCONG_56": '{"conn_type": "http", "host": "https://dvc.kh"}',
            "AIRFLOW_CONN_IOC_DICHVUCONG_01": '{"conn_type": "http", "host": "https://dvc.hn"}',
            "AIRFLOW_CONN_IOC_REPORTING_56": '{"conn_type": "http", "host": "https://bc.kh"}',
            "AIRFLOW_VAR_IOC_REPORTING_DROP_DIR_01": "/srv/drops/01/reporting",
        }
    )
    with warehouse(root) as wh:
        shutil.copytree(
            built.root, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("dbt_*")
        )
        wh.dbt(
            "run",
            "--select",
            "dq_source_status dq_check_result",
            "--vars",
            json.dumps(dbt_vars(settings)),
        )
        yield wh


def test_a_source_a_province_did_not_configure_is_said_so_for_that_province(configured) -> None:
    """Hà Nội's budget revenue, not configured there: its state says where its data stop and
    its freshness is one `source_configured` warning named province=01, while Khánh Hòa's is
    still checked for freshness. The one province's ledger beside them (its dossiers), which
    the registry of the provinces does not name, is kept, not configured, and not failed for
    freshness."""
    rows = configured.query(
        "select source, province, status, details from dq.dq_source_status "
        "where (source = 'ngansach' or province is null) and province is distinct from '79' "
        "order by source, province nulls first"
    )
    assert [(r["source"], r["province"], r["status"]) for r in rows] == [
        ("dichvucong", None, "not_configured"),
        ("ngansach", "01", "not_configured"),
        ("ngansach", "56", "delivering"),
    ]
    stopped = "Chưa cấu hình nguồn: số liệu dừng ở lần nạp cuối ngày"
    assert rows[0]["details"] == f"{stopped} 01/07/2025."
    assert rows[1]["details"].startswith(stopped)
    checks = configured.query(
        "select dataset, load_id, check_name, status from dq.dq_check_result "
        "where dataset in ('ngansach.thu_ngan_sach', 'dichvucong.ho_so') "
        "and check_kind in ('freshness', 'configuration') "
        "and load_id is distinct from 'province=79' "
        "order by dataset, load_id nulls first, check_name"
    )
    assert [tuple(r.values()) for r in checks] == [
        ("dichvucong.ho_so", None, "source_configured", "warn"),
        ("dichvucong.ho_so", "province=01", "load_freshness", "fail"),
        ("dichvucong.ho_so", "province=56", "load_freshness", "fail"),
        ("ngansach.thu_ngan_sach", "province=01", "source_configured", "warn"),
        ("ngansach.thu_ngan_sach", "province=56", "load_freshness", "pass"),
    ]


def test_a_configured_province_that_never_loaded_fails_freshness(configured) -> None:
    """TP Hồ Chí Minh configured its portal and has no ledger: each of the portal's scheduled
    datasets fails freshness for province=79 (no successful load), and its unconfigured budget
    revenue is one `source_configured` warning, not a freshness failure."""
    with SCHEDULE.open(encoding="utf-8") as f:
        schedule = [(r["source"], r["dataset"]) for r in csv.DictReader(f)]
    portal = sorted(f"{s}.{d}" for s, d in schedule if s == "dichvucong")
    rows = configured.query(
        "select dataset, check_name, status, details from dq.dq_check_result "
        "where load_id = 'province=79' and check_kind in ('freshness', 'configuration') "
        "order by dataset, check_name"
    )
    late = [r for r in rows if r["check_name"] == "load_freshness"]
    assert [r["dataset"] for r in late] == portal
    assert {(r["status"], r["details"]) for r in late} == {
        ("fail", "Chưa có lần nạp thành công nào.")
    }
    warned = {r["dataset"] for r in rows if r["check_name"] == "source_configured"}
    assert "ngansach.thu_ngan_sach" in warned and not warned & set(portal)


def test_a_sources_provinces_are_the_configured_ones(configured) -> None:
    """The overview's "Đang cập nhật (k/n tỉnh)" counts the provinces of the registry: the one
    province's ledger beside them (a lake being converted, dq_source_status's null province)
    is not a province of its own. The portal: Hà Nội and Khánh Hòa deliver, TP Hồ Chí Minh
    has no data yet (2 of 3, not of 4); budget revenue: Khánh Hòa only."""
    upstream = "+rpt_province_indicator_value +dim_admin_unit"  # figures: none in this lake
    configured.dbt("run", "--empty", "--select", upstream)
    configured.dbt("run", "--select", "rpt_source_data_until")
    configured.dbt("test", "--select", "rpt_source_data_until,test_type:unit")  # its YAML's
    rows = configured.query(
        "select source, status_vi from marts.rpt_source_data_until "
        "where source in ('dichvucong', 'ngansach') order by source"
    )
    assert [tuple(r.values()) for r in rows] == [
        ("dichvucong", "Đang cập nhật (2/3 tỉnh)"),
        ("ngansach", "Đang cập nhật (1/3 tỉnh)"),
    ]


def test_a_dataset_whose_input_is_not_set_is_not_checked_for_freshness(configured) -> None:
    """The reporting system delivers its reports and figures through its API and its Excel
    reports through its drop folder (seeds/dq_load_schedule.csv, input). Khánh Hòa reads the
    API only: its API datasets are checked (none loaded: they fail), its Excel reports are not,
    though a file came two days ago. Hà Nội reads the drop folder only: its Excel reports fail
    (none came), its API datasets are not checked."""
    with SCHEDULE.open(encoding="utf-8") as f:
        schedule = [r for r in csv.DictReader(f) if r["source"] == "reporting"]
    by_input = {
        i: sorted(f"reporting.{r['dataset']}" for r in schedule if r["input"] == i)
        for i in ("connection", "drop_folder")
    }
    assert by_input["drop_folder"] == ["reporting.so_lieu_excel"]
    rows = configured.query(
        "select load_id, dataset, status from dq.dq_check_result "
        "where check_name = 'load_freshness' and dataset like 'reporting.%' "
        "and load_id in ('province=56', 'province=01') order by load_id, dataset"
    )
    assert [tuple(r.values()) for r in rows] == [
        *(("province=01", d, "fail") for d in by_input["drop_folder"]),
        *(("province=56", d, "fail") for d in by_input["connection"]),
    ]

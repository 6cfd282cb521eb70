"""The reporting suites, run by the real Great Expectations: clean simulated loads pass,
hand-made defects are caught under their dimension and severity."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations import suites
from expectations.validate import ValidationFailed, Validator, gate
from ingest.common.lake import with_load_columns
from ingest.common.parse import parse_local_time
from ingest.reporting.contracts import (
    EXCEL_SCHEMA,
    FIGURE_SCHEMA,
    INDICATOR_SCHEMA,
    REPORT_SCHEMA,
    SET_SCHEMA,
)
from ingest.reporting.excel import parse_file
from ingest.reporting.records import convert
from simulator.faults import FaultConfig
from simulator.reporting import ReportingWorld, indicators_json, reports, sets_json
from simulator.reporting.excel import content, xlsx_bytes

WINDOW = ["2024-03-01T00:00:00", "2024-04-01T00:00:00"]
SCHEMAS = {
    "bao_cao": REPORT_SCHEMA,
    "so_lieu": FIGURE_SCHEMA,
    "so_lieu_excel": EXCEL_SCHEMA,
    "bo_chi_tieu": SET_SCHEMA,
    "chi_tieu": INDICATOR_SCHEMA,
}
LOAD = {"_load_id": "L1", "_extracted_at": datetime(2024, 4, 1), "_source_ref": "ref"}


@pytest.fixture(scope="module")
def validator(tmp_path_factory) -> Validator:
    return Validator(tmp_path_factory.mktemp("docs"), run_id="test")


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, list[dict]]:
    """A window of simulated reports and a few simulated Excel files, as the connector
    turns them into rows (no HTTP: the records come from the simulator's Python API)."""
    world = ReportingWorld(56)
    start, end = (datetime.fromisoformat(w) for w in WINDOW)
    out: dict[str, list[dict]] = {"bao_cao": [], "so_lieu": [], "so_lieu_excel": []}
    for record in reports(since=start, world=world):
        if parse_local_time(record["ngay_cap_nhat"]) >= end:
            continue
        c = convert(record, "ref")
        assert c.header and not c.rejected_figures
        out["bao_cao"].append(c.header | LOAD)
        out["so_lieu"] += [row | LOAD for row, _ in c.figures]
    folder = tmp_path_factory.mktemp("xlsx")
    for r in world.file_reports[:: len(world.file_reports) // 6]:
        x = content(r, r.versions, world.seed, FaultConfig())
        (folder / x.name).write_bytes(xlsx_bytes(x, world.seed))
        arrived = {"ngay_nhan_tep": datetime(2024, 4, 2, 9)}  # as excel_load adds it
        out["so_lieu_excel"] += [row | LOAD | arrived for row in parse_file(folder / x.name).rows]
    out["bo_chi_tieu"] = [r | LOAD for r in sets_json()]
    out["chi_tieu"] = [r | LOAD for r in indicators_json()]
    return out


def run(validator: Validator, tmp_path, dataset: str, rows: list[dict]) -> dict:
    folder = tmp_path / dataset
    folder.mkdir()
    table = pa.Table.from_pylist(rows, with_load_columns(SCHEMAS[dataset]))
    pq.write_table(table, folder / "part-00000.parquet")
    suite = suites.suite_for("reporting", dataset, "56")
    assert suite is not None
    window = WINDOW if dataset == "bao_cao" else None
    results = validator.validate(
        f"reporting.{dataset}", "L1", folder, suite, suites.parameters(window)
    )
    return {r.check_name: r for r in results}


@pytest.mark.parametrize("dataset", list(SCHEMAS))
def test_clean_simulated_loads_pass_every_check(validator, tmp_path, clean, dataset) -> None:
    assert len(clean[dataset]) > 20
    results = run(validator, tmp_path, dataset, clean[dataset])
    assert results and all(r.status == "pass" for r in results.values()), [
        (k, r.details) for k, r in results.items() if r.status != "pass"
    ]


def _find(results: dict, rule: str, column: str):
    hits = [r for name, r in results.items() if name.startswith(rule) and column in name]
    assert len(hits) == 1, (rule, column, list(results))
    return hits[0]


def test_header_defects(validator, tmp_path, clean) -> None:
    rows = [dict(r) for r in clean["bao_cao"][:10]]
    rows[1]["trang_thai"] = "XONG"  # not a state: đúng, critical
    rows[2]["ngay_cap_nhat"] = datetime(2024, 5, 2)  # outside the window: sống, critical
    rows[3] = rows[4] | {"ma_don_vi": "X"}  # a conflicting copy of a version: đúng, warning
    rows[5]["han_gui"] = None  # đủ, warning
    rows[6]["ngay_gui"] = datetime(2024, 6, 1)  # sent after its last update: đúng, warning
    results = run(validator, tmp_path, "bao_cao", rows)
    checks = [
        ("expect_column_values_to_be_in_set", "column=trang_thai", "dung", "fail"),
        ("expect_column_values_to_be_between", "column=ngay_cap_nhat", "song", "fail"),
        ("expect_compound_columns_to_be_unique", "ma_bao_cao", "dung", "warn"),
        ("expect_column_values_to_not_be_null", "column=han_gui", "du", "warn"),
        ("expect_column_pair_values_a_to_be_greater_than_b", "ngay_gui", "dung", "warn"),
    ]
    for rule, column, dimension, status in checks:
        r = _find(results, rule, column)
        assert (r.dimension, r.status) == (dimension, status), (rule, column, r)
    with pytest.raises(ValidationFailed):
        gate(list(results.values()), "reporting.bao_cao", "L1")


def test_figure_defects(validator, tmp_path, clean) -> None:
    rows = [dict(r) for r in clean["so_lieu"][:12]]
    rows[1]["ma_chi_tieu"] = "XX_001"  # unknown indicator: đúng, warning
    rows[2]["ma_dvhc"] = "99001"  # unknown unit: đúng, warning
    rows[3]["thuc_hien"] = -5.0  # negative: đúng, warning
    rows[4]["ma_dvhc"] = None  # đủ, critical
    rows[5] = dict(rows[6])  # the same figure twice (two copies of a version): đúng, warning
    results = run(validator, tmp_path, "so_lieu", rows)
    checks = [
        ("expect_column_values_to_be_in_set", "column=ma_chi_tieu", "dung", "warn"),
        ("expect_column_values_to_be_in_set", "column=ma_dvhc", "dung", "warn"),
        ("expect_column_values_to_be_between", "column=thuc_hien", "dung", "warn"),
        ("expect_column_values_to_not_be_null", "column=ma_dvhc", "du", "fail"),
        ("expect_compound_columns_to_be_unique", "ma_chi_tieu", "dung", "warn"),
    ]
    for rule, column, dimension, status in checks:
        r = _find(results, rule, column)
        assert (r.dimension, r.status) == (dimension, status), (rule, column, r)


def test_excel_defects(validator, tmp_path, clean) -> None:
    rows = [dict(r) for r in clean["so_lieu_excel"][:10]]
    rows[1]["ma_chi_tieu"] = "DTTS_GIAI NGAN"  # a space inside a code: sạch, critical
    rows[2]["ky_loai"] = "TUAN"  # not a period kind: đúng, critical
    rows[3]["so_cung_ky_pct"] = 123456.0  # implausible: đúng, warning
    results = run(validator, tmp_path, "so_lieu_excel", rows)
    checks = [
        ("expect_column_values_to_match_regex", "column=ma_chi_tieu", "sach", "fail"),
        ("expect_column_values_to_be_in_set", "column=ky_loai", "dung", "fail"),
        ("expect_column_values_to_be_between", "column=so_cung_ky_pct", "dung", "warn"),
        ("expect_column_values_to_be_in_set", "column=ma_chi_tieu", "dung", "warn"),
    ]
    for rule, column, dimension, status in checks:
        r = _find(results, rule, column)
        assert (r.dimension, r.status) == (dimension, status), (rule, column, r)

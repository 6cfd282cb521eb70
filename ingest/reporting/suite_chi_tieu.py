"""Expectations for a snapshot of the indicators (reporting / chi_tieu)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from ingest.reporting.suite_so_lieu import indicator_codes

DATASET = "reporting.chi_tieu"
COLUMNS = ["ma_chi_tieu", "ten_chi_tieu", "don_vi_tinh", "ma_bo_chi_tieu", "ky_bao_cao"]
COLUMNS += ["cach_tong_hop", "_load_id", "_extracted_at", "_source_ref"]
ROW_ID = ("ma_chi_tieu", "_source_ref")  # names a row in quarantine entries
KINDS = ["THANG", "QUY", "6THANG", "9THANG", "NAM"]
METHODS = ["TONG", "CUOI_KY", "TRUNG_BINH", "TY_LE"]


def build(province: str) -> gx.ExpectationSuite:
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=COLUMNS, exact_match=True, meta={"dimension": "sach"}
        ),
        *[
            gxe.ExpectColumnValuesToNotBeNull(column=c, meta={"dimension": "du"})
            for c in ("ma_chi_tieu", "ten_chi_tieu", "ma_bo_chi_tieu", "cach_tong_hop")
        ],
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["ma_chi_tieu", "_load_id"], meta={"dimension": "sach"}
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="ky_bao_cao", value_set=KINDS, meta={"dimension": "dung"}
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="cach_tong_hop", value_set=METHODS, meta={"dimension": "dung"}
        ),
        # Indicators the IOC catalog does not know yet: publish, flagged (đủ of the catalog).
        gxe.ExpectColumnValuesToBeInSet(
            column="ma_chi_tieu",
            value_set=indicator_codes(),
            severity="warning",
            meta={"dimension": "du"},
        ),
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite

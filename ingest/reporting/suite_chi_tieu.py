"""Expectations for a snapshot of the indicators (reporting / chi_tieu)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from ingest.reporting.contracts import CHI_TIEU as CONTRACT
from ingest.reporting.suite_so_lieu import indicator_codes

DATASET = CONTRACT.name
COLUMNS = CONTRACT.columns
ROW_ID = (*CONTRACT.key, "_source_ref")  # names a row in quarantine entries
KINDS = list(CONTRACT.codes["ky_bao_cao"])
METHODS = ["TONG", "CUOI_KY", "TRUNG_BINH", "TY_LE"]


def build(province: str) -> gx.ExpectationSuite:
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=COLUMNS, exact_match=True, meta={"dimension": "sach"}
        ),
        *[
            gxe.ExpectColumnValuesToNotBeNull(column=c, meta={"dimension": "du"})
            for c in CONTRACT.required
        ],
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[*CONTRACT.key, "_load_id"], meta={"dimension": "sach"}
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

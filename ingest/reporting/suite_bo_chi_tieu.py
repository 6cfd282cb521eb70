"""Expectations for a snapshot of the indicator sets (reporting / bo_chi_tieu)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from ingest.reporting.contracts import BO_CHI_TIEU as CONTRACT

DATASET = CONTRACT.name
COLUMNS = CONTRACT.columns
ROW_ID = (*CONTRACT.key, "_source_ref")  # names a row in quarantine entries
KINDS = list(CONTRACT.codes["ky_bao_cao"])


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
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite

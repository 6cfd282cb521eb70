"""Expectations for one dropped Excel report (reporting / so_lieu_excel): one row per data
row of the file's ``BaoCao`` sheet. A file has no window: no freshness check here (dbt keeps
the newest file per unit, set and period)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from ingest.reporting.contracts import SO_LIEU_EXCEL as CONTRACT
from ingest.reporting.suite_so_lieu import codes_and_values

DATASET = CONTRACT.name
COLUMNS = CONTRACT.columns
REQUIRED = list(CONTRACT.required)
ROW_ID = (*CONTRACT.key, "_source_ref")  # names a row in quarantine entries
KINDS = list(CONTRACT.codes["ky_loai"])


def _m(dimension: str, **meta: str) -> dict:
    return {"dimension": dimension, **meta}


def build(province: str) -> gx.ExpectationSuite:
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True, meta=_m("sach")),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_m("du")) for c in REQUIRED],
        # a figure row typed twice in a file: kept, dbt takes the later row (warned, đúng)
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[*CONTRACT.key, "_load_id"], severity="warning", meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="ma_chi_tieu", regex=r"^\S+$", meta=_m("sach")),
        gxe.ExpectColumnValuesToBeInSet(column="ky_loai", value_set=KINDS, meta=_m("dung")),
        gxe.ExpectColumnValuesToBeBetween(
            column="ky_so", min_value=1, max_value=12, meta=_m("dung")
        ),
        *codes_and_values(province),
        gxe.ExpectColumnValuesToBeBetween(
            column="so_cung_ky_pct",
            min_value=0,
            max_value=10_000,
            severity="warning",
            meta=_m("dung"),
        ),
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite

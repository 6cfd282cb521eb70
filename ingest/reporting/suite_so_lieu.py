"""Expectations for one load of report figures (reporting / so_lieu): one row per figure of
a report version (``ma_bao_cao``, ``phien_ban``, indicator, area).

Codes are checked against the IOC's own lists (the indicator catalog seed, the GSO units),
not against the source: an unknown code publishes, flagged (warning).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.reference import province_unit_codes
from ingest.reporting.contracts import SO_LIEU as CONTRACT

DATASET = CONTRACT.name
INDICATORS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "indicators.csv"
COLUMNS = CONTRACT.columns
REQUIRED = list(CONTRACT.required)
ROW_ID = (*CONTRACT.key, "_source_ref")  # names a row in quarantine entries


@cache
def indicator_codes() -> list[str]:
    """The reporting system's indicators in the IOC catalog."""
    with INDICATORS.open(encoding="utf-8") as f:
        return sorted(r["indicator_code"] for r in csv.DictReader(f) if r["source"] == "reporting")


def _m(dimension: str, **meta: str) -> dict:
    return {"dimension": dimension, **meta}


def codes_and_values(province: str) -> list:
    """Expectations shared with the Excel figures: codes known, values plausible."""
    return [
        gxe.ExpectColumnValuesToBeInSet(
            column="ma_chi_tieu", value_set=indicator_codes(), severity="warning", meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="ma_dvhc",
            value_set=province_unit_codes(province),
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="thuc_hien", severity="warning", meta=_m("du")),
        gxe.ExpectColumnValuesToBeBetween(
            column="thuc_hien", min_value=0, severity="warning", meta=_m("dung")
        ),
    ]


def build(province: str) -> gx.ExpectationSuite:
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True, meta=_m("sach")),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_m("du")) for c in REQUIRED],
        # the figures of two copies of a version in a load: kept, dbt takes the newest copy's
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[*CONTRACT.key, "_load_id"], severity="warning", meta=_m("dung")
        ),
        *codes_and_values(province),
        gxe.ExpectColumnValuesToBeBetween(
            column="mau_so", min_value=0, strict_min=True, severity="warning", meta=_m("dung")
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="mau_so",
            column_B="tu_so",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="warning",
            meta=_m("dung"),
        ),
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite

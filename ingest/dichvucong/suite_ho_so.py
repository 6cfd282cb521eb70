"""Expectations for one load of dossiers (dichvucong / ho_so).

Each expectation carries its data-quality dimension in ``meta``: đúng (dung, correct),
đủ (du, complete), sạch (sach, clean), sống (song, fresh). ``critical`` ones block the
publish; ``warning`` ones publish, flagged.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.reference import province_unit_codes
from ingest.dichvucong.contracts import HO_SO as CONTRACT

DATASET = CONTRACT.name
COLUMNS = CONTRACT.columns
ROW_ID = (*CONTRACT.key, "_source_ref")  # names a record in quarantine entries
VOLUME = (0.5, 2.0)  # a month between half and twice the recent months (Tết included)
REQUIRED = list(CONTRACT.required)
CODE_SETS = {column: list(codes) for column, codes in CONTRACT.codes.items()}


def _m(dimension: str, **meta: str) -> dict:
    return {"dimension": dimension, **meta}


def build(province: str) -> gx.ExpectationSuite:
    """The suite; a load's window comes in as the parameters ``window_start``/``window_end``."""
    admin_units = province_unit_codes(province)
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True, meta=_m("sach")),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_m("du")) for c in REQUIRED],
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[*CONTRACT.key, "_load_id"], meta=_m("sach")
        ),
        *[
            gxe.ExpectColumnValuesToBeInSet(column=c, value_set=v, meta=_m("dung"))
            for c, v in CODE_SETS.items()
        ],
        gxe.ExpectColumnValuesToBeInSet(
            column="MaDVHC", value_set=admin_units, severity="warning", meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="DanhGiaHaiLong", min_value=1, max_value=5, meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="PhiLePhi",
            min_value=0,
            max_value=1_000_000_000,
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="NgayKetThucXuLy",
            column_B="NgayTiepNhan",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="NgayCapNhat",
            column_B="NgayTiepNhan",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="NgayCapNhat",
            min_value={"$PARAMETER": "window_start"},
            max_value={"$PARAMETER": "window_end"},
            strict_max=True,
            meta=_m("song"),
        ),
        # Personal data never in clear text: only 32-hex-digit keyed tokens.
        gxe.ExpectColumnValuesToMatchRegex(
            column="ChuHoSoHash", regex=r"^[0-9a-f]{32}$", meta=_m("dung", rule="pii")
        ),
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite

"""Reference lists the suites check codes against, read from the committed GSO units."""

from __future__ import annotations

import csv
from pathlib import Path

ADMIN_UNITS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "admin_units"


def _rows(name: str) -> list[dict[str, str]]:
    with (ADMIN_UNITS / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def province_unit_codes(province: str) -> list[str]:
    """Every GSO code a source of ``province`` (new code) may send: the new province and its
    communes, and the old provinces merged into it with their districts and communes."""
    old = {
        r["old_province_code"]
        for r in _rows("province_crosswalk_2025.csv")
        if r["new_province_code"] == province
    }
    codes = {province, *old}
    for r in _rows("units_after_2025_07_01.csv"):
        if r["province_code"] == province:
            codes.add(r["commune_code"])
    for r in _rows("units_before_2025_07_01.csv"):
        if r["province_code"] in old:
            codes.update((r["district_code"], r["commune_code"]))
    return sorted(c for c in codes if c)


def province_codes() -> list[str]:
    """The 34 provinces after 2025-07-01 (GSO codes)."""
    return sorted({r["province_code"] for r in _rows("units_after_2025_07_01.csv")})

"""A province's real admin units (GSO codes), read from the repo's seed CSVs.

A *place* is an old (pre-2025-07-01) commune of one of the old provinces merged into the
province: by default the demo's new Khánh Hòa (56), i.e. old Khánh Hòa (56) and Ninh Thuận
(58); any of the 34 provinces by ``province=``. Every simulated person and dossier belongs to
a place; the codes a record carries (old commune / district / province, or new commune /
province) derive from its place and the record's date.
"""

from __future__ import annotations

import csv
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from simulator.hashing import uniform

NEW_PROVINCE = "56"  # the demo province
ENV_DIR = "IOC_SIM_ADMIN_UNITS_DIR"
_TYPE_WEIGHT = {"Phường": 3.0, "Thị trấn": 2.0, "Xã": 1.0}


def default_dir() -> Path:
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "admin_units"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            {k: unicodedata.normalize("NFC", v.strip()) for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


@dataclass(frozen=True)
class DemoUnits:
    """Places (old communes) of the demo province, with their old and new codes and names."""

    commune_code: tuple[str, ...]
    commune_name: tuple[str, ...]  # with type, e.g. "Phường Vĩnh Hòa"
    district_code: tuple[str, ...]
    district_name: tuple[str, ...]  # with type, e.g. "Thành phố Nha Trang"
    province_code: tuple[str, ...]  # old province, "56" or "58"
    province_name: tuple[str, ...]  # "Tỉnh Khánh Hòa" / "Tỉnh Ninh Thuận"
    new_commune_code: tuple[str, ...]
    new_commune_name: tuple[str, ...]  # "Phường Bắc Nha Trang"
    is_urban: np.ndarray  # bool per place (Phường / Thị trấn)
    weight: np.ndarray  # float64 per place, sums to 1 (population proxy)
    new_province_name: str
    new_province_code: str = NEW_PROVINCE
    old_provinces: tuple[str, ...] = ("56", "58")  # the new province's own code first

    def old_province_name(self, code: str) -> str:
        """E.g. "tỉnh Ninh Thuận", "thành phố Hà Nội" (as it follows an agency's name)."""
        name = self.province_name[self.province_code.index(code)]
        return name[:1].lower() + name[1:]

    def agency_prefix(self, code: str) -> str:
        """Prefix of an old province's department codes: the demo's own ("" for 56, "NT_"
        for Ninh Thuận), "T<code>_" elsewhere, so agency codes stay unique nationwide."""
        return {"56": "", "58": "NT_"}.get(code, f"T{code}_")

    @property
    def n(self) -> int:
        return len(self.commune_code)


def old_provinces(province: str, directory: Path | None = None) -> tuple[str, ...]:
    """The old provinces merged into ``province`` on 2025-07-01, its own code first."""
    rows = _read((directory or default_dir()) / "province_crosswalk_2025.csv")
    old = sorted(r["old_province_code"] for r in rows if r["new_province_code"] == province)
    if not old:
        raise ValueError(f"no province {province!r} in the 2025 province crosswalk")
    return tuple(sorted(old, key=lambda c: c != province))


def load_demo_units(directory: Path | None = None, province: str = NEW_PROVINCE) -> DemoUnits:
    directory = directory or default_dir()
    old = old_provinces(province, directory)
    before = [
        r for r in _read(directory / "units_before_2025_07_01.csv") if r["province_code"] in old
    ]
    before.sort(key=lambda r: r["commune_code"])
    successor: dict[str, tuple[str, str]] = {}
    for r in sorted(
        _read(directory / "commune_crosswalk_2025.csv"),
        key=lambda r: (r["merge_type"] != "full", r["new_commune_code"]),
    ):
        if r["new_province_code"] == province:
            successor.setdefault(
                r["old_commune_code"], (r["new_commune_code"], r["new_commune_name"])
            )
    # An old commune whose successor lies in another province (the crosswalk has such
    # rows) is a place of that province only.
    before = [r for r in before if r["commune_code"] in successor]
    after = [
        r for r in _read(directory / "units_after_2025_07_01.csv") if r["province_code"] == province
    ]
    codes = np.array([int(r["commune_code"]) for r in before])
    noise = np.exp(0.45 * (uniform(0, "place-weight", codes) - 0.5) * 2)
    base = np.array([_TYPE_WEIGHT.get(r["commune_type"], 1.0) for r in before])
    base = np.where(np.array([r["district_code"] == "576" for r in before]), 0.01, base)
    weight = base * noise
    return DemoUnits(
        commune_code=tuple(r["commune_code"] for r in before),
        commune_name=tuple(f"{r['commune_type']} {r['commune_name']}" for r in before),
        district_code=tuple(r["district_code"] for r in before),
        district_name=tuple(f"{r['district_type']} {r['district_name']}" for r in before),
        province_code=tuple(r["province_code"] for r in before),
        province_name=tuple(f"{r['province_type']} {r['province_name']}" for r in before),
        new_commune_code=tuple(successor[r["commune_code"]][0] for r in before),
        new_commune_name=tuple(successor[r["commune_code"]][1] for r in before),
        is_urban=np.array([r["commune_type"] != "Xã" for r in before]),
        weight=weight / weight.sum(),
        new_province_name=after[0]["province_name"],
        new_province_code=province,
        old_provinces=old,
    )


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Province code (old and new) -> "tỉnh Ninh Thuận", "thành phố Hà Nội" (as it follows
    an agency's name)."""
    directory = default_dir()
    out = {}
    for r in _read(directory / "units_before_2025_07_01.csv"):
        out[r["province_code"]] = f"{r['province_type']} {r['province_name']}"
    for r in _read(directory / "units_after_2025_07_01.csv"):  # its name has its type
        out[r["province_code"]] = r["province_name"]
    return {code: name[:1].lower() + name[1:] for code, name in out.items()}

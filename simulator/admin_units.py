"""The demo province's real admin units (GSO codes), read from the repo's seed CSVs.

A *place* is an old (pre-2025-07-01) commune of old Khánh Hòa (56) or Ninh Thuận (58).
Every simulated person and dossier belongs to a place; the codes a record carries
(old commune / district / province, or new commune / province) derive from its place and
the record's date.
"""

from __future__ import annotations

import csv
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulator.hashing import uniform

OLD_PROVINCES = ("56", "58")
NEW_PROVINCE = "56"
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

    @property
    def n(self) -> int:
        return len(self.commune_code)


def load_demo_units(directory: Path | None = None) -> DemoUnits:
    directory = directory or default_dir()
    before = [
        r
        for r in _read(directory / "units_before_2025_07_01.csv")
        if r["province_code"] in OLD_PROVINCES
    ]
    before.sort(key=lambda r: r["commune_code"])
    successor: dict[str, tuple[str, str]] = {}
    for r in sorted(
        _read(directory / "commune_crosswalk_2025.csv"),
        key=lambda r: (r["merge_type"] != "full", r["new_commune_code"]),
    ):
        if r["new_province_code"] == NEW_PROVINCE:
            successor.setdefault(
                r["old_commune_code"], (r["new_commune_code"], r["new_commune_name"])
            )
    after = [
        r
        for r in _read(directory / "units_after_2025_07_01.csv")
        if r["province_code"] == NEW_PROVINCE
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
    )

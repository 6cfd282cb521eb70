"""A small many-province lake: the hand-made lakes of tests/dbt moved into the Hive layout
of many provinces (<source>/<dataset>/province=56/load_id=<id>/, ingest/common/lake.py), and
a second province, Hà Nội (01), whose portal sent its own dossiers: the demo's June and
July dossier records again under Hà Nội's codes (its departments T01_…, the city's own code
as the unit), one of them never sent."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.dbt.dbt_lake import JULY, JUNE, LOAD_JULY, LOAD_JUNE, t, write_load

SOURCES = ("reporting", "dichvucong", "ngansach", "dulich", "giaoduc")


def as_province(lake: Path, province: str) -> None:
    """Move every load folder of a one-province lake under province=<code>."""
    for source in SOURCES:
        for load in sorted((lake / source).glob("*/load_id=*")):
            target = load.parent / f"province={province}" / load.name
            target.parent.mkdir(exist_ok=True)
            load.rename(target)


def hanoi(record: dict) -> dict:
    return {
        **record,
        "MaHoSo": "H01" + record["MaHoSo"][3:],
        "MaCoQuan": "T01_" + record["MaCoQuan"].removeprefix("NT_"),
        "CapThucHien": "TINH",
        "MaDVHC": "01",
    }


def write_provinces_lake(lake: Path) -> None:
    """The lake as written so far becomes Khánh Hòa's (56); Hà Nội's dossiers are added."""
    as_province(lake, "56")
    hanoi_lake = lake / ".hanoi"  # written as one province's lake, then moved into the tables
    for load_id, records, extracted in (
        (LOAD_JUNE, JUNE[:6], "2025-07-01T01:00"),  # without D7, a dossier never sent
        (LOAD_JULY, JULY, "2025-08-01T01:00"),
    ):
        path = write_load(hanoi_lake, "ho_so", load_id, [hanoi(r) for r in records], t(extracted))
        table = lake / "dichvucong" / "ho_so" / "province=01" / path.parent.name
        table.parent.mkdir(parents=True, exist_ok=True)
        path.parent.rename(table)
    shutil.rmtree(hanoi_lake)

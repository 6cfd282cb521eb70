"""Multi-province mode: the 34 provinces of the 2025-07-01 reform, each with its own systems.

A source belongs to one province (sources.md: the province is never a parameter; its system
is). So in this mode each province's systems are served under their own base URL,
``/<province code>/<source>`` (``http://127.0.0.1:8765/01/dichvucong`` for Hà Nội), beside
the one-province default's ``/<source>``. Each province's volume is the demo's scale times its
population over the demo province's: ``--scale 1`` serves every province at its real size,
``--scale 0.0186`` the whole country at the demo's SF1 in total (1.86 M of 100 M people).

Population: ``province_population.csv``, thousands: each new province's merged old provinces'
2024 population, approximate and rounded (GSO publishes the old provinces'; the table sums to
100.0 M against GSO's 101.1 M for 2024). A volume weight for the simulator, not a statistic
to publish.

Which sources: all five, each province's built from its real units
(``simulator.admin_units.load_demo_units(province=…)``): its communes, districts and old
provinces, agencies prefixed ``T<code>_``. The portal's volume goes by ``--scale`` and
population; the other four's figures (reported totals, revenue, visitors, schools) by
population alone, as in the one-province mode they ignore ``--scale`` (a province has the
units, visitors and schools it has). The demo province (56) is served as in the
one-province mode.
"""

from __future__ import annotations

import csv
from pathlib import Path

POPULATION_CSV = Path(__file__).with_name("province_population.csv")
DEMO_PROVINCE = "56"


def population() -> dict[str, int]:
    """Province code -> population (thousands), the 34 provinces after 2025-07-01."""
    with POPULATION_CSV.open(encoding="utf-8", newline="") as fh:
        return {r["province_code"]: int(r["population_thousands"]) for r in csv.DictReader(fh)}


def parse_provinces(text: str) -> tuple[str, ...]:
    """``all`` or comma-separated GSO codes (``1`` and ``01`` alike) -> sorted codes."""
    known = population()
    if text.strip().lower() == "all":
        return tuple(sorted(known))
    codes = sorted({c.strip().zfill(2) for c in text.split(",") if c.strip()})
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"not a province after 2025-07-01: {', '.join(unknown)}")
    return tuple(codes)


def province_scale(scale: float, province: str) -> float:
    """The demo's ``scale`` carried over to ``province`` by population."""
    people = population()
    return scale * people[province] / people[DEMO_PROVINCE]

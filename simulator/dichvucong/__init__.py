"""dichvucong: the public-services portal (dossiers of administrative procedures)."""

from simulator.dichvucong.api import (
    agencies,
    fields,
    instant,
    iter_records,
    procedures,
    records,
    report,
)
from simulator.dichvucong.world import DossierWorld

__all__ = [
    "DossierWorld",
    "agencies",
    "fields",
    "instant",
    "iter_records",
    "procedures",
    "records",
    "report",
]

"""Simulated source `dulich` (spec/sources.md §4): monthly tourism statistics.

Python API: ``TourismWorld(seed).served(year, month, as_of_sec)`` is exactly what the
endpoint lists for a month at that time (no faults); ``.rows(year, month, kind)`` one
version of a month; ``.published(year, month)`` when its estimate and official figures
appear. See README.md in this folder.
"""

from simulator.dulich.world import ESTIMATE, OFFICIAL, TourismWorld

__all__ = ["ESTIMATE", "OFFICIAL", "TourismWorld"]

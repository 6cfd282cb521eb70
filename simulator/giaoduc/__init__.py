"""Simulated source `giaoduc` (spec/sources.md §5): schools by school year, exam results.

Python API: ``EducationWorld(seed).served(start_year, as_of_sec)`` is exactly what
``truong?nam_hoc=<start>-<start+1>`` lists at that time (no faults), ``.exam_served(year,
as_of_sec)`` what ``ket-qua-tot-nghiep?nam=`` lists; ``.schools`` the registry (with
openings, closings and mergers). See README.md in this folder.
"""

from simulator.giaoduc.figures import EducationWorld, school_year

__all__ = ["EducationWorld", "school_year"]

"""The education database (giaoduc): its endpoints and how they are asked."""

from __future__ import annotations

SOURCE = "giaoduc"
SCHOOLS_PATH = "/api/v1/truong"
EXAM_PATH = "/api/v1/ket-qua-tot-nghiep"
FIRST_SCHOOL_YEAR = 2021  # 2021-2022: the first school year the source holds
FIRST_EXAM_YEAR = 2022
PAGE_SIZE = 500
# A school year is closed (its figures final) once the summer after it has begun.
CLOSES_MONTH = 7
# Corrections come after that (even after the 2025 reform, with new unit codes): a school year
# and an exam year are asked again for this many years after they closed.
REVISION_YEARS = 1

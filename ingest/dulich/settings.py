"""The tourism statistics system (dulich): its endpoint and how it is asked."""

from __future__ import annotations

from datetime import datetime

SOURCE = "dulich"
MONTHLY_PATH = "/api/v1/thong-ke-thang"
HISTORY_START = datetime(2022, 1, 1)  # the first month the source's statistics cover
PAGE_SIZE = 500
# Official figures are republished when corrected: the months of this many months before a
# pull are asked again every time (a republication replaces the earlier figure in the marts).
REVISION_MONTHS = 6

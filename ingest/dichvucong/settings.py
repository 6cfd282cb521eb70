"""The public-services portal (Hệ thống thông tin giải quyết TTHC): endpoints, how asked."""

from __future__ import annotations

from datetime import datetime

SOURCE = "dichvucong"
DOSSIERS_PATH = "/api/v1/ho-so"
PROCEDURES_PATH = "/api/v1/thu-tuc"
HISTORY_START = datetime(2022, 1, 1)  # the first month the portal's records cover
PAGE_SIZE = 1000
# pages fetched ahead while others are converted: more than a batch of conversion
# (versions.BATCH_ROWS rows), so fetching goes on while a batch is converted (bounded memory)
PREFETCH_PAGES = 20

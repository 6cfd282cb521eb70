"""The provincial reporting system (Hệ thống thông tin báo cáo tỉnh): endpoints, files."""

from __future__ import annotations

import re
from datetime import datetime

from ingest.reporting.contracts import KINDS

SOURCE = "reporting"
REPORTS_PATH = "/api/v1/bao-cao"
SETS_PATH = "/api/v1/bo-chi-tieu"
INDICATORS_PATH = "/api/v1/chi-tieu"
HISTORY_START = datetime(2022, 1, 1)
PAGE_SIZE = 500

_CODE = r"[A-Z0-9]+(?:_[A-Z0-9]+)*"
# <unit>__<set>__<year>-<kind>-<number>.xlsx; also .xlsm, .xls (Excel 97-2003), .ods
FILE_PATTERN = re.compile(
    rf"(?P<unit>{_CODE})__(?P<set>{_CODE})__(?P<year>\d{{4}})-(?P<kind>{'|'.join(KINDS)})"
    r"-0?(?P<number>\d{1,2})\.(?i:xlsx|xlsm|xls|ods)"
)

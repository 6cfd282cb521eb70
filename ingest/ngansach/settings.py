"""Budget revenue (thu ngân sách): monthly CSV exports, or the workbooks they came from,
dropped to a folder; how files are named."""

from __future__ import annotations

import re

SOURCE = "ngansach"
# thu_ngan_sach_202403.csv; also _2024_03, -2024-03, upper-case names, .txt (tab-separated
# text), and the workbook itself (.xlsx, .xlsm, .xls, .ods)
FILE_PATTERN = re.compile(
    r"thu_ngan_sach_(?P<year>\d{4})[-_]?(?P<month>0[1-9]|1[0-2])\.(?:csv|txt|xlsx|xlsm|xls|ods)",
    re.IGNORECASE,
)
FILE_NAME = "thu_ngan_sach_<YYYYMM>.csv"

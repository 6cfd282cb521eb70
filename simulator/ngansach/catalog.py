"""Revenue groups, their make-up and the provinces' magnitudes (million VND).

Flows are generated per *component*: the five domestic sub-groups, the rest of domestic
revenue (``KHAC``: registration fees, charges, lottery, environment tax …, never sent on its
own), import-export, crude oil and grants. A row's group is a sum of components, so the rule
``NOI_DIA_DNNN + NOI_DIA_FDI + NOI_DIA_NQD + NOI_DIA_TNCN + NOI_DIA_DAT <= NOI_DIA`` holds
for every unit, month and version (the difference is ``KHAC`` >= 0).
"""

from __future__ import annotations

import numpy as np

COMPONENTS = (
    "NOI_DIA_DNNN",
    "NOI_DIA_FDI",
    "NOI_DIA_NQD",
    "NOI_DIA_TNCN",
    "NOI_DIA_DAT",
    "KHAC",
    "XNK",
    "DAU_THO",
    "VIEN_TRO",
)
DOMESTIC = 6  # the first six components make up NOI_DIA
DAT, KHAC, VIEN_TRO = 4, 5, 8
REFUNDABLE = (0, 1)  # VAT refunds to state and foreign-invested enterprises

# (ma_nhom_thu, ten_nhom_thu), in the order rows are written.
GROUPS = (
    ("NOI_DIA", "Thu nội địa"),
    ("XNK", "Thu từ hoạt động xuất khẩu, nhập khẩu"),
    ("DAU_THO", "Thu từ dầu thô"),
    ("VIEN_TRO", "Thu viện trợ"),
    ("NOI_DIA_DNNN", "Thu từ khu vực doanh nghiệp nhà nước"),
    ("NOI_DIA_FDI", "Thu từ khu vực doanh nghiệp có vốn đầu tư nước ngoài"),
    ("NOI_DIA_NQD", "Thu từ khu vực kinh tế ngoài quốc doanh"),
    ("NOI_DIA_TNCN", "Thuế thu nhập cá nhân"),
    ("NOI_DIA_DAT", "Thu tiền sử dụng đất"),
)
GROUP_CODES = tuple(code for code, _ in GROUPS)
LOCAL_GROUPS = (0, 4, 5, 6, 7, 8)  # district and commune rows: NOI_DIA and its sub-groups

# group x component: which components a group sums.
MAKEUP = np.zeros((len(GROUPS), len(COMPONENTS)))
MAKEUP[0, :DOMESTIC] = 1.0
MAKEUP[1, 6] = MAKEUP[2, 7] = MAKEUP[3, 8] = 1.0
for _g in range(5):
    MAKEUP[4 + _g, _g] = 1.0

# Annual revenue of each old province in 2022, million VND, per component.
# Old Khánh Hòa ≈ 15.2 thousand billion VND, Ninh Thuận ≈ 4.2; no crude oil in either.
TERRITORIES = ("56", "58")
ANNUAL_2022 = np.array(
    [
        [1_500_000, 900_000, 3_300_000, 1_100_000, 2_800_000, 3_500_000, 2_600_000, 0, 25_000],
        [350_000, 450_000, 1_000_000, 250_000, 700_000, 900_000, 550_000, 0, 15_000],
    ],
    dtype=np.float64,
)
GROWTH = np.array([1.0, 1.07, 1.13, 1.21, 1.30])  # 2022 .. 2026, nominal

# Share of each component collected by (and reported for) a district / commune budget.
LOCAL_FRACTION = {
    "HUYEN": np.array([0.10, 0.10, 0.55, 0.40, 0.75, 0.45, 0, 0, 0]),
    "XA_OLD": np.array([0.0, 0.0, 0.15, 0.10, 0.30, 0.25, 0, 0, 0]),
    "XA_NEW": np.array([0.05, 0.05, 0.40, 0.30, 0.60, 0.45, 0, 0, 0]),
}

# Month-of-year weight of collections (December peak); the Tết month is damped on top.
SEASON = np.array([1.05, 0.85, 0.95, 1.0, 0.9, 0.95, 1.0, 0.9, 0.95, 1.0, 1.05, 1.5])
TET_DIP = 0.78

"""Dates, times and reporting periods as people write them in exports and spreadsheets.

``parse_local_time`` reads a moment: ISO 8601 with or without time, seconds, fraction and
offset (``2024-05-20``, ``2024-05-20 08:30``, ``2024-05-20T08:30:00+07:00``, ``…Z``), the
Vietnamese day-first forms (``20/05/2024``, ``20-5-2024 8:30``), a date or datetime object
from a spreadsheet cell, and, where the caller allows it, an Excel serial day number
(``45432``, ``45432.5``). A time with an offset becomes Asia/Ho_Chi_Minh wall time; one
without is taken as already local. Month-first dates are never guessed: ``05/20/2024`` is
refused, not read as 5 August.

``parse_period`` reads a Vietnamese period label (``Tháng 3/2024``, ``tháng 03 năm 2024``,
``T3/2024``, ``03/2024``, ``Quý II/2024``, ``Quý 2 năm 2024``, ``QII/2024``, ``6 tháng đầu
năm 2024``, ``6 tháng cuối năm``, ``9 tháng 2024``, ``Năm 2024``, ``2024``) into the reporting
system's (kind, year, number): month and quarter numbers Arabic or Roman, with or without
leading zeros, any case, spacing, NFC or NFD, with or without diacritics.

Each parser raises ``ValueError`` with a message fit for a quarantine reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

LOCAL_OFFSET = timedelta(hours=7)  # Asia/Ho_Chi_Minh, no daylight saving
EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (with its leap bug)
SERIALS = (1, 2958466)  # 1900-01-01 .. 9999-12-31

_TIME = r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,6})\d*)?)?)?"
_OFFSET = r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?"
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME + _OFFSET, re.I)
_SLASHED_ISO = re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})" + _TIME + _OFFSET, re.I)
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})" + _TIME + _OFFSET)
_SERIAL = re.compile(r"\d+(?:[.,]\d+)?")


def parse_local_time(value: object, *, serials: bool = False) -> datetime | None:
    """A moment as naive Asia/Ho_Chi_Minh wall time (the lake's convention); ``None`` if empty.

    ``serials``: a bare number (or numeric text) is an Excel serial day number."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _to_local(value)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date or time")
    if isinstance(value, int | float):
        if serials:
            return _from_serial(float(value), value)
        raise ValueError(f"{value!r} is a number, not a date or time")
    text = unicodedata.normalize("NFC", str(value)).strip().replace("\u00a0", " ")
    if text == "":
        return None
    for pattern in (_ISO, _SLASHED_ISO, _DAY_FIRST):
        m = pattern.fullmatch(text)
        if m:
            return _from_match(m, value)
    if serials and _SERIAL.fullmatch(text):
        return _from_serial(float(text.replace(",", ".")), value)
    raise ValueError(
        f"{value!r} is not a date or time (2024-05-20, 2024-05-20T08:30:00+07:00, 20/05/2024)"
    )


def parse_local_date(value: object, *, serials: bool = False) -> date | None:
    """A calendar date (a time of day, if any, is dropped; an offset moves it to local)."""
    moment = parse_local_time(value, serials=serials)
    return None if moment is None else moment.date()


def _from_match(m: re.Match[str], value: object) -> datetime:
    fraction = (m["f"] or "").ljust(6, "0")
    try:
        moment = datetime(
            int(m["y"]),
            int(m["m"]),
            int(m["d"]),
            int(m["H"] or 0),
            int(m["M"] or 0),
            int(m["S"] or 0),
            int(fraction or 0),
        )
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date or time: {exc}") from None
    tz = m["tz"]
    if not tz:
        return moment
    if tz.upper() == "Z":
        return moment + LOCAL_OFFSET
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    if offset > timedelta(hours=14):
        raise ValueError(f"{value!r} has an offset out of range")
    return moment - sign * offset + LOCAL_OFFSET


def _from_serial(number: float, value: object) -> datetime:
    if not SERIALS[0] <= number < SERIALS[1]:
        raise ValueError(f"{value!r} is not an Excel date serial")
    moment = EXCEL_EPOCH + timedelta(days=number)
    return moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))


def _to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None) + LOCAL_OFFSET


# --- periods ----------------------------------------------------------------------------------

KINDS = ("THANG", "QUY", "6THANG", "9THANG", "NAM")
ROMAN = {
    r: i
    for i, r in enumerate(
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"], start=1
    )
}
_NUMBER = r"(?P<n>0?\d{1,2}|[ivx]{1,4})"
_YEAR = r"(?P<y>\d{4})"
_JOIN = r"\s*(?:[/.-]|\s|nam)\s*"  # "3/2024", "3 - 2024", "3 năm 2024"
_PERIODS = (
    (re.compile(rf"(?:6|sau)\s*thang\s*(?P<half>dau|cuoi)?\s*(?:nam)?\s*{_YEAR}?"), "6THANG"),
    (re.compile(rf"(?:9|chin)\s*thang\s*(?:dau)?\s*(?:nam)?\s*{_YEAR}?"), "9THANG"),
    (re.compile(rf"(?:quy|q)\s*\.?\s*{_NUMBER}(?:{_JOIN}{_YEAR})?"), "QUY"),
    (re.compile(rf"(?:thang|t)\s*\.?\s*{_NUMBER}(?:{_JOIN}{_YEAR})?"), "THANG"),
    (re.compile(rf"(?P<n>0?[1-9]|1[0-2])\s*[/.-]\s*{_YEAR}"), "THANG"),
    (re.compile(rf"{_YEAR}\s*-\s*(?P<n>0?[1-9]|1[0-2])"), "THANG"),
    (re.compile(rf"(?:nam\s*)?{_YEAR}"), "NAM"),
)
_LIMITS = {"THANG": 12, "QUY": 4, "6THANG": 2, "9THANG": 1, "NAM": 1}


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period as the reporting system names it (``ky_loai``, ``ky_nam``,
    ``ky_so``): month 1–12, quarter 1–4, half 1–2, 9THANG and NAM always 1."""

    kind: str
    year: int
    number: int

    @property
    def end(self) -> datetime:
        """Its end (exclusive, 00:00 of the day after): a month's, a quarter's, a half
        year's, the nine months' (1 October) or the year's."""
        months = {"THANG": 1, "QUY": 3, "6THANG": 6, "9THANG": 9, "NAM": 12}[self.kind]
        last = self.year * 12 + months * (1 if self.kind == "9THANG" else self.number)
        return datetime(last // 12, last % 12 + 1, 1)


def fold(text: str) -> str:
    """Lower case, no diacritics (``đ`` → ``d``), single spaces: for matching only."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(text.replace("\u00a0", " ").split()).strip(" .:;,")


def parse_period(label: object, year: int | None = None) -> Period:
    """A period label → ``Period``; ``year`` fills in a label that has none
    (``6 tháng cuối năm``, ``Quý II``), else such a label is refused."""
    if label is None or str(label).strip() == "":
        raise ValueError("the period label is empty")
    text = fold(str(label))
    for pattern, kind in _PERIODS:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        groups = m.groupdict()
        found = int(groups["y"]) if groups.get("y") else year
        if found is None:
            raise ValueError(f"{label!r} names no year")
        number = 1
        if kind in ("THANG", "QUY"):
            n = groups["n"]
            number = ROMAN.get(n.upper(), 0) if n.isalpha() else int(n)
        elif kind == "6THANG":
            number = 2 if groups.get("half") == "cuoi" else 1
        if not 1 <= number <= _LIMITS[kind] or not 1900 <= found <= 2100:
            raise ValueError(f"{label!r} is not a valid period")
        return Period(kind, found, number)
    raise ValueError(
        f"{label!r} is not a period label (Tháng 3/2024, Quý II/2024, 6 tháng đầu năm 2024, "
        "9 tháng 2024, Năm 2024)"
    )


def period_label(period: Period) -> str:
    """The label a person would write: ``Tháng 3/2024``, ``Quý 2/2024``, ``6 tháng cuối năm
    2024``, ``9 tháng 2024``, ``Năm 2024``."""
    kind, year, number = period.kind, period.year, period.number
    if kind == "THANG":
        return f"Tháng {number}/{year}"
    if kind == "QUY":
        return f"Quý {number}/{year}"
    if kind == "6THANG":
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    if kind == "9THANG":
        return f"9 tháng {year}"
    return f"Năm {year}"

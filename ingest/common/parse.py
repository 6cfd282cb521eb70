"""Parsing values as Vietnamese sources send them: numbers with `.` thousands and `,`
decimals, ISO 8601 times with +07:00 offsets. Each parser raises ``ValueError`` with a
message fit for a quarantine reason."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

LOCAL_OFFSET = timedelta(hours=7)  # Asia/Ho_Chi_Minh, no daylight saving

_VN_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234.567,5
_VN_PLAIN = re.compile(r"^[+-]?\d+(,\d+)?$")  # 1234,5
_DOT_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")  # 1234.5 (machine format)
_EN_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$")  # 1,234,567.5 (English locale)


def parse_number(value: object) -> float | None:
    """A number from JSON, or from text in Vietnamese or machine format; ``None`` if empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text == "":
        return None
    if _VN_GROUPED.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if _VN_PLAIN.match(text):
        return float(text.replace(",", "."))
    if _DOT_DECIMAL.match(text):
        return float(text)
    if _EN_GROUPED.match(text):
        return float(text.replace(",", ""))
    raise ValueError(f"{value!r} is not a number")


def parse_int(value: object) -> int | None:
    number = parse_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def parse_bool(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "co", "có", "x"}:
        return True
    if text in {"false", "0", "khong", "không", ""}:
        return False
    raise ValueError(f"{value!r} is not a yes/no value")


def parse_local_time(value: object) -> datetime | None:
    """ISO 8601 time → naive Asia/Ho_Chi_Minh wall time (the lake's convention)."""
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        return parsed  # already local wall time
    return parsed.astimezone(UTC).replace(tzinfo=None) + LOCAL_OFFSET


def parse_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"{value!r} is not a date") from None


def to_source_time(moment: datetime) -> str:
    """Naive local time → the sources' ISO 8601 with +07:00."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S+07:00")


def now_local() -> datetime:
    """The current Asia/Ho_Chi_Minh wall time, naive: the lake's clock, whatever the server's."""
    return datetime.now(UTC).replace(tzinfo=None) + LOCAL_OFFSET

"""Vietnamese number and date parsing, property-based."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.common import parse


def vn_format(value: int, decimals: str) -> str:
    """Format like a Vietnamese spreadsheet: `.` between thousands, `,` before decimals."""
    grouped = f"{abs(value):,}".replace(",", ".")
    sign = "-" if value < 0 else ""
    return f"{sign}{grouped}" + (f",{decimals}" if decimals else "")


@given(st.integers(-(10**12), 10**12), st.sampled_from(["", "5", "25", "125"]))
def test_vietnamese_numbers_round_trip(value: int, decimals: str) -> None:
    text = vn_format(value, decimals)
    expected = float(f"{value}.{decimals}") if decimals else float(value)
    if value < 0 and decimals:
        expected = -(abs(value) + float(f"0.{decimals}"))
    assert parse.parse_number(text) == pytest.approx(expected)


@given(st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_json_numbers_pass_through(value: float) -> None:
    assert parse.parse_number(value) == value


@pytest.mark.parametrize("text", ["abc", "1,2,3", "12.34.5", "1.2345,6", "--1", "1e5x"])
def test_text_that_is_not_a_number_is_refused_with_the_value(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse.parse_number(text)


def test_empty_is_null_and_machine_format_is_accepted() -> None:
    assert parse.parse_number("  ") is None
    assert parse.parse_number(None) is None
    assert parse.parse_number("1234.5") == 1234.5
    assert parse.parse_number("1.234") == 1234.0  # Vietnamese thousands, not a decimal
    assert parse.parse_int("1.234.000") == 1_234_000
    assert parse.parse_number("1,234,567.5") == 1234567.5  # English-locale grouping
    with pytest.raises(ValueError):
        parse.parse_number("1,234,567")  # commas alone: thousands or a decimal comma?
    with pytest.raises(ValueError, match="whole number"):
        parse.parse_int("12,5")


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)),
    st.integers(-12, 14),
)
def test_times_become_local_wall_time(moment: datetime, offset_hours: int) -> None:
    zone = timezone(timedelta(hours=offset_hours))
    aware = moment.replace(tzinfo=zone, microsecond=0)
    local = parse.parse_local_time(aware.isoformat())
    assert local == aware.astimezone(UTC).replace(tzinfo=None) + timedelta(hours=7)
    assert parse.parse_local_time(parse.to_source_time(local)) == local


@pytest.mark.parametrize("text", ["2024-13-01T00:00:00+07:00", "hôm qua", "17/03/2024"])
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        parse.parse_local_time(text)

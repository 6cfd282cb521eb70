"""Property tests of the liberal date, time and period-label parsers (ingest/common/when.py):
whatever way a person or a spreadsheet writes a moment or a period, it reads back the same;
anything else is a ValueError, never another error."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.common.when import Period, parse_local_date, parse_local_time, parse_period

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31)).map(
    lambda m: m.replace(microsecond=0)
)


def written_in(moment: datetime, style: int) -> str:
    """A local wall time as exports write it (each style by hand, not by the parser's rules)."""
    d, t = moment, moment.strftime("%H:%M:%S")
    return [
        f"{d:%Y-%m-%d}T{t}",
        f"{d:%Y-%m-%d} {t}",
        f"{d:%Y-%m-%d}T{t}+07:00",
        f"{d:%Y-%m-%d}T{t}+0700",
        f"{d.day:02d}/{d.month:02d}/{d.year} {t}",
        f"{d.day}/{d.month}/{d.year} {d.hour}:{d.minute:02d}:{d.second:02d}",
        f"{d.day:02d}-{d.month:02d}-{d.year} {t}",
        f"{d.day:02d}.{d.month:02d}.{d.year} {t}",
        f"{d:%Y/%m/%d} {t}",
    ][style]


@given(moments, st.integers(0, 8), st.sampled_from(["", " ", "\u00a0"]))
def test_a_local_time_reads_back_in_every_style(moment: datetime, style: int, pad: str) -> None:
    assert parse_local_time(pad + written_in(moment, style) + pad) == moment


@given(moments, st.integers(-12 * 4, 14 * 4))
def test_an_offset_becomes_local_wall_time(moment: datetime, quarters: int) -> None:
    zone = timezone(timedelta(minutes=15 * quarters))
    aware = moment.replace(tzinfo=zone)
    local = aware.astimezone(UTC).replace(tzinfo=None) + timedelta(hours=7)
    assert parse_local_time(aware.isoformat()) == local
    assert parse_local_time(aware) == local  # a datetime cell with a zone
    if quarters == 0:
        assert parse_local_time(moment.strftime("%Y-%m-%dT%H:%M:%SZ")) == local


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_a_date_is_midnight_of_that_day(day: date) -> None:
    for text in (day.isoformat(), f"{day.day:02d}/{day.month:02d}/{day.year}", f"{day:%Y/%m/%d}"):
        assert parse_local_time(text) == datetime(day.year, day.month, day.day)
        assert parse_local_date(text) == day
    assert parse_local_time(day) == datetime(day.year, day.month, day.day)


@given(moments)
def test_an_excel_serial_is_read_only_where_allowed(moment: datetime) -> None:
    serial = (moment - datetime(1899, 12, 30)) / timedelta(days=1)
    assert parse_local_time(serial, serials=True) == moment
    assert parse_local_time(f"{serial:.10f}", serials=True) == moment
    with pytest.raises(ValueError):
        parse_local_time(serial)


@given(st.text(max_size=30))
def test_any_text_is_a_time_or_a_value_error(text: str) -> None:
    try:
        got = parse_local_time(text, serials=True)
    except ValueError:
        return
    assert got is None or parse_local_time(got.isoformat()) == got


@pytest.mark.parametrize(
    "text", ["05/20/2024", "2024-13-01", "31/02/2024", "hôm qua", "17/03/24", "2024-05-20T25:00"]
)
def test_what_no_reader_can_place_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=text[:5]):
        parse_local_time(text)


# --- period labels ----------------------------------------------------------------------------

periods = st.one_of(
    st.builds(Period, st.just("THANG"), st.integers(1990, 2090), st.integers(1, 12)),
    st.builds(Period, st.just("QUY"), st.integers(1990, 2090), st.integers(1, 4)),
    st.builds(Period, st.just("6THANG"), st.integers(1990, 2090), st.integers(1, 2)),
    st.builds(Period, st.just("9THANG"), st.integers(1990, 2090), st.just(1)),
    st.builds(Period, st.just("NAM"), st.integers(1990, 2090), st.just(1)),
)


def labels(p: Period, pick: int) -> str:
    """Labels people type for ``p``, written out by hand per kind."""
    n, y = p.number, p.year
    if p.kind == "THANG":
        forms = [f"Tháng {n}/{y}", f"Tháng {n:02d}/{y}", f"tháng {n:02d} năm {y}", f"T{n}/{y}"]
        forms += [f"T{n:02d}/{y}", f"Tháng {ROMAN[n - 1]}/{y}", f"{n:02d}/{y}", f"{y}-{n:02d}"]
        forms += [f"Tháng {n} - {y}", f"THÁNG {n} NĂM {y}", f"Thang {n}/{y}"]
    elif p.kind == "QUY":
        forms = [f"Quý {n}/{y}", f"Quý {ROMAN[n - 1]}/{y}", f"Quý {n} năm {y}", f"Q{n}/{y}"]
        forms += [f"Q{ROMAN[n - 1]}/{y}", f"quý 0{n}/{y}", f"QUÝ {ROMAN[n - 1]} NĂM {y}"]
        forms += [f"Quy {ROMAN[n - 1].lower()}/{y}", f"Q.{n}-{y}"]
    elif p.kind == "6THANG":
        half = "đầu" if n == 1 else "cuối"
        forms = [f"6 tháng {half} năm {y}", f"6 THÁNG {half.upper()} NĂM {y}"]
        forms += [f"Sáu tháng {half} năm {y}", f"6 thang {'dau' if n == 1 else 'cuoi'} nam {y}"]
        if n == 1:
            forms += [f"6 tháng {y}", f"6 tháng năm {y}"]
    elif p.kind == "9THANG":
        forms = [f"9 tháng {y}", f"9 tháng đầu năm {y}", f"9 THÁNG NĂM {y}", f"Chín tháng {y}"]
    else:
        forms = [f"Năm {y}", f"{y}", f"NĂM {y}", f"năm  {y}"]
    return forms[pick % len(forms)]


def spacing(text: str, how: int) -> str:
    return [text, f"  {text}  ", text.replace(" ", "  "), text.replace(" ", "\u00a0")][how]


@given(periods, st.integers(0, 50), st.sampled_from(["NFC", "NFD"]), st.integers(0, 3))
def test_a_period_label_reads_back_however_typed(p: Period, pick: int, form: str, how: int):
    label = unicodedata.normalize(form, spacing(labels(p, pick), how))
    assert parse_period(label) == p


@given(periods)
def test_a_label_without_its_year_takes_the_given_one(p: Period) -> None:
    n = p.number
    label = {
        "THANG": f"Tháng {n}",
        "QUY": f"Quý {ROMAN[n - 1]}",
        "6THANG": f"6 tháng {'đầu' if n == 1 else 'cuối'} năm",
        "9THANG": "9 tháng",
        "NAM": "Năm",
    }[p.kind]
    if p.kind == "NAM":
        return  # "Năm" alone names nothing
    assert parse_period(label, p.year) == p
    with pytest.raises(ValueError, match="names no year"):
        parse_period(label)


@given(st.text(max_size=30))
def test_any_text_is_a_period_or_a_value_error(text: str) -> None:
    try:
        got = parse_period(text)
    except ValueError:
        return
    assert got.kind in ("THANG", "QUY", "6THANG", "9THANG", "NAM")


@pytest.mark.parametrize(
    "label", ["Tháng 13/2024", "Quý 5/2024", "Quý IIII/2024", "Q0/2024", "202403", "", "hôm qua"]
)
def test_labels_no_reader_can_place_are_refused(label: str) -> None:
    with pytest.raises(ValueError):
        parse_period(label)

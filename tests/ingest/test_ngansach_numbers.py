"""Property tests of the decimal-comma conversion the ngansach connector applies per column."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from ingest.ngansach.helpers import to_float
from simulator.ngansach.render import ambiguous, grouped, plain

amounts = st.decimals(
    min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False
).map(float)


def convert(texts: list[str]) -> tuple[list, list]:
    values, valid = to_float(pa.array(texts, pa.string()))
    return values.to_pylist(), valid.to_pylist()


@given(st.lists(amounts, min_size=1, max_size=50))
def test_plain_and_grouped_exports_read_back_exactly(values: list[float]) -> None:
    for render in (plain, grouped):
        got, ok = convert([render(v) for v in values])
        assert all(ok)
        assert got == [round(v, 2) + 0.0 for v in values]


@given(st.lists(amounts, min_size=1, max_size=50))
def test_surrounding_spaces_are_ignored(values: list[float]) -> None:
    got, ok = convert([f"  {grouped(v)} " for v in values])
    assert all(ok) and got == [round(v, 2) + 0.0 for v in values]


@given(amounts)
def test_dots_without_a_decimal_comma_are_ambiguous(value: float) -> None:
    got, ok = convert([ambiguous(value)])
    assert ok == [False] and got == [None]


@given(st.text(max_size=20))
def test_any_text_is_either_a_number_or_rejected_never_an_error(text: str) -> None:
    got, ok = convert([text])
    assert (got[0] is None) == (not ok[0])
    if ok[0]:
        assert "," in text or "." not in text


def test_text_and_empty_cells_are_rejected() -> None:
    got, ok = convert(["", "không có số liệu", "#VALUE!", "1,2,3", "1.23,4", "12a4,5", "0"])
    assert ok == [False, False, False, False, False, False, True] and got[-1] == 0.0

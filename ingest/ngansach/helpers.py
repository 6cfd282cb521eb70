"""Parsing one budget export into the lake's columns, vectorised with pyarrow.

The file is a CSV or text export in whatever encoding and with whatever separator it was
saved, or a workbook (``ingest.common.tabular``); its columns are found by name, in any
order, under a title if it has one. Every cell is read as text; each column is then checked
and converted as a whole (dates and months through ``ingest.common.when``, once per distinct
value). A row with any bad cell goes to quarantine, named by file, line (or sheet and row)
and column; a file that cannot be read at all (no text and no workbook, a column missing)
raises ``UnreadableFile`` and is quarantined whole by the caller.

Amounts use the file's decimal mark: a comma as the spec says (``1234567,5``,
``1.234.567,50``, ``1 234 567,5``), or a point when the file shows it (``1234567.5``,
``1,234,567.50``: a ``,``-separated export, a workbook's number cells, or more values that
only a decimal point reads). A value whose only marks could be thousands or decimals
(``1.234`` in a decimal-comma file: one thousand two hundred and thirty-four, or one point
two three four?) is ambiguous and rejected, as is text. ``ky`` is a month however written
(``2024-03``, ``03/2024``, ``Tháng 3/2024``, ``T3/2024``, or the month's first day as a
spreadsheet turns a typed month into a date); ``ngay_lap`` a date or time with or without
time and offset (``2024-05-20``, ``20/05/2024 08:30``, ``2024-05-20T08:30:00+07:00``, an Excel
serial).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

import pyarrow as pa
import pyarrow.compute as pc

from ingest.common import when
from ingest.common.tabular import Row, UnreadableFile, read_table
from ingest.common.textfile import decode
from ingest.ngansach.contracts import AMOUNT_COLUMNS, COLUMNS, REQUIRED, SCHEMA

__all__ = ["Parsed", "Row", "UnreadableFile", "data_lines", "parse_file", "to_float"]

# (plain, grouped by thousands) per decimal mark; spaces as thousands are removed first.
NUMBER_FORMS = {
    ",": (r"^-?\d+(,\d+)?$", r"^-?\d{1,3}(\.\d{3})+,\d+$"),
    ".": (r"^-?\d+(\.\d+)?$", r"^-?\d{1,3}(,\d{3})+\.\d+$"),
}
SPACES = " \u00a0\u202f"  # thousands as spaces: plain, no-break, narrow no-break
SPACED = rf"^-?\d{{1,3}}([{SPACES}]\d{{3}})+([.,]\d+)?$"
# Values only one decimal mark reads: a mark followed by other than three digits, or after
# a 0 or four digits (no thousands group looks so), or both marks.
ONLY_COMMA = r"^-?[\d.\s]*\d,(\d{1,2}|\d{4,})$|^-?(0|\d{4,}),\d+$|^-?\d{1,3}(\.\d{3})+,\d+$"
ONLY_POINT = r"^-?[\d,\s]*\d\.(\d{1,2}|\d{4,})$|^-?(0|\d{4,})\.\d+$|^-?\d{1,3}(,\d{3})+\.\d+$"


@dataclass(frozen=True)
class Parsed:
    table: pa.Table  # SCHEMA
    refs: list[str]  # where each row of ``table`` is in the file: "#line=5", "!Sheet!A5"
    rejected: list[tuple[Row, str, str]]  # (row, column, problem)
    rows_in: int


def data_lines(data: bytes) -> list[Row]:
    """The non-empty lines after the first (the header) of a text file, none for a file
    that is no text: the records of a file quarantined whole."""
    try:
        text = decode(data).text
    except UnreadableFile:
        return []
    lines = [
        Row(f"line {i + 1}", f"#line={i + 1}", i + 1, t.rstrip("\r"))
        for i, t in enumerate(text.split("\n"))
        if t.rstrip("\r") != ""
    ]
    return lines[1:]


def to_float(text: pa.Array, decimal: str = ",") -> tuple[pa.Array, pa.Array]:
    """Text → float64 with ``decimal`` as the decimal mark, and whether each value was a
    valid number (invalid → null). With a comma: ``-1234,5``, ``-1.234,50``, ``1 234,5``;
    rejects text, empty cells and dots without a decimal comma. With a point, the mirror."""
    thousands = "." if decimal == "," else ","
    text = pc.utf8_trim_whitespace(text)
    spaced = pc.fill_null(pc.match_substring_regex(text, SPACED), False)
    text = pc.if_else(spaced, pc.replace_substring_regex(text, f"[{SPACES}]", ""), text)
    plain, grouped = NUMBER_FORMS[decimal]
    valid = pc.or_(pc.match_substring_regex(text, plain), pc.match_substring_regex(text, grouped))
    valid = pc.fill_null(valid, False)
    cleaned = pc.replace_substring(pc.replace_substring(text, thousands, ""), decimal, ".")
    values = pc.cast(pc.if_else(valid, cleaned, pa.scalar(None, pa.string())), pa.float64())
    return values, valid


def decimal_mark(cells: list[pa.Array], point: bool) -> str:
    """The file's decimal mark: the one more of its values can only be read with; if none
    tells, a point when ``point`` (a ``,``-separated file, a workbook), else the spec's comma."""
    commas = sum(pc.sum(pc.match_substring_regex(c, ONLY_COMMA)).as_py() or 0 for c in cells)
    points = sum(pc.sum(pc.match_substring_regex(c, ONLY_POINT)).as_py() or 0 for c in cells)
    if commas != points:
        return "," if commas > points else "."
    return "." if point else ","


def map_distinct(column: pa.Array, convert, type_: pa.DataType) -> pa.Array:
    """``convert`` applied once per distinct value (``ValueError`` → null)."""
    encoded = pc.dictionary_encode(column)
    out = []
    for value in encoded.dictionary.to_pylist():
        try:
            out.append(convert(value) if value else None)
        except ValueError:
            out.append(None)
    return pa.array(out, type_).take(encoded.indices)


def _month(value: str) -> str:
    try:
        period = when.parse_period(value)
    except ValueError:
        day = when.parse_local_time(value)  # the month's first day, as spreadsheets make it
        if day is None or day.day != 1 or day.time() != time():
            raise
        return f"{day.year}-{day.month:02d}"
    if period.kind != "THANG":
        raise ValueError(f"{value!r} is not a month")
    return f"{period.year}-{period.number:02d}"


def parse_file(data: bytes) -> Parsed:
    read = read_table(data, COLUMNS)
    rows = read.rows
    rejected = [(row, "*", why) for row, why in read.rejected]
    cells = {c: pa.array(read.cells[c], pa.string()) for c in COLUMNS}
    problems: dict[str, pa.Array] = {}  # column -> bool "this row's cell is bad"
    converted: dict[str, pa.Array] = {}
    mark = decimal_mark([cells[c] for c in AMOUNT_COLUMNS], read.decimal_point)
    for c in AMOUNT_COLUMNS:
        converted[c], ok = to_float(cells[c], mark)
        problems[c] = pc.invert(ok)
    converted["ky"] = map_distinct(cells["ky"], _month, pa.string())
    converted["ngay_lap"] = map_distinct(
        cells["ngay_lap"], lambda v: when.parse_local_time(v, serials=True), pa.timestamp("us")
    )
    for c in ("ky", "ngay_lap"):
        problems[c] = pc.is_null(converted[c])
    for c in REQUIRED:
        empty = pc.equal(cells[c], "")
        problems[c] = pc.or_(problems[c], empty) if c in problems else empty
    bad = pa.array([False] * len(rows), pa.bool_())
    for c in COLUMNS:
        if c in problems:
            bad = pc.or_(bad, problems[c])
    for i in pc.indices_nonzero(bad).to_pylist():
        column = next(c for c in COLUMNS if c in problems and problems[c][i].as_py())
        value = cells[column][i].as_py()
        what = "is empty" if value == "" else f"{value!r} is not {_expected(column, mark)}"
        rejected.append((rows[i], column, what))
    good = pc.invert(bad)
    ky = pc.filter(converted["ky"], good)
    first_day = pc.strptime(pc.binary_join_element_wise(ky, "01", "-"), "%Y-%m-%d", "s")
    out = pa.table(
        {
            "ky": ky,
            "ky_thang": first_day.cast(pa.date32()),
            "ma_dvhc": pc.filter(cells["ma_dvhc"], good),
            "cap_ngan_sach": pc.filter(cells["cap_ngan_sach"], good),
            "ma_nhom_thu": pc.filter(cells["ma_nhom_thu"], good),
            "ten_nhom_thu": pc.filter(cells["ten_nhom_thu"], good),
            **{c: pc.filter(converted[c], good) for c in [*AMOUNT_COLUMNS, "ngay_lap"]},
        },
        schema=SCHEMA,
    )
    refs = [row.ref for row, ok in zip(rows, good.to_pylist(), strict=True) if ok]
    rejected.sort(key=lambda r: r[0].number)
    return Parsed(out, refs, rejected, len(rows) + len(read.rejected))


def _expected(column: str, mark: str) -> str:
    if column in AMOUNT_COLUMNS:
        if mark == ",":
            return "a number with a decimal comma (1234,5 or 1.234,50)"
        return "a number with a decimal point (1234.5 or 1,234.50)"
    if column == "ky":
        return "a month (2024-03, 03/2024, Tháng 3/2024)"
    return "a date or time (2024-05-20, 20/05/2024, 2024-05-20T08:30:00+07:00)"

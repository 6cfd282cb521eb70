"""Parsing one CSV export into the lake's columns, vectorised with pyarrow.

The file is read in whatever encoding and with whatever separator it was saved
(``ingest.common.textfile``); its columns are found by name, in any order. Every cell is read
as text; each column is then checked and converted as a whole (dates and months through
``ingest.common.when``, once per distinct value). A row with any bad cell goes to
quarantine, named by file, line and column; a file that cannot be read at all (no text, a
column missing, a line count that does not add up) raises ``UnreadableFile`` and is
quarantined whole by the caller.

Amounts use the file's decimal mark: a comma as the spec says (``1234567,5``,
``1.234.567,50``, ``1 234 567,5``), or a point when the file shows it (``1234567.5``,
``1,234,567.50``: a ``,``-separated export, or more values that only a decimal point reads).
A value whose only marks could be thousands or decimals (``1.234`` in a decimal-comma file:
one thousand two hundred and thirty-four, or one point two three four?) is ambiguous and
rejected, as is text. ``ky`` is a month however written (``2024-03``, ``03/2024``,
``Tháng 3/2024``, ``T3/2024``); ``ngay_lap`` a date or time with or without time and offset
(``2024-05-20``, ``20/05/2024 08:30``, ``2024-05-20T08:30:00+07:00``, an Excel serial).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as csv

from ingest.common import when
from ingest.common.textfile import UnreadableFile, decode, header_of
from ingest.ngansach.contracts import AMOUNT_COLUMNS, COLUMNS, REQUIRED, SCHEMA

__all__ = ["Line", "Parsed", "UnreadableFile", "data_lines", "parse_file", "to_float"]

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
class Line:
    number: int  # 1-based physical line in the file
    text: str


@dataclass(frozen=True)
class Parsed:
    table: pa.Table  # SCHEMA
    lines: pa.Array  # int64: the line of each row of ``table``
    rejected: list[tuple[Line, str, str]]  # (line, column, problem)
    rows_in: int


def data_lines(data: bytes | str) -> list[Line]:
    """Non-empty lines after the header (the header is the first non-empty line)."""
    if isinstance(data, bytes):
        data = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    text = data
    lines = [
        Line(i + 1, t.rstrip("\r")) for i, t in enumerate(text.split("\n")) if t.rstrip("\r") != ""
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


def decimal_mark(cells: list[pa.Array], delimiter: str) -> str:
    """The file's decimal mark: the one more of its values can only be read with; if none
    tells, a point for a ``,``-separated file, else the spec's comma."""
    comma = sum(pc.sum(pc.match_substring_regex(c, ONLY_COMMA)).as_py() or 0 for c in cells)
    point = sum(pc.sum(pc.match_substring_regex(c, ONLY_POINT)).as_py() or 0 for c in cells)
    if comma != point:
        return "," if comma > point else "."
    return "." if delimiter == "," else ","


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
    period = when.parse_period(value)
    if period.kind != "THANG":
        raise ValueError(f"{value!r} is not a month")
    return f"{period.year}-{period.number:02d}"


def _read(text: str) -> tuple[pa.Table, list[int], str, int]:
    """Every cell as text, the (non-empty-line) numbers of rows with a wrong cell count, the
    separator and the header's width."""
    delimiter, names = header_of(text, COLUMNS)
    invalid: list[int] = []

    def skip(row: csv.InvalidRow) -> str:
        invalid.append(row.number)
        return "skip"

    try:
        table = csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=csv.ReadOptions(use_threads=False, column_names=names, skip_rows=1),
            parse_options=csv.ParseOptions(delimiter=delimiter, invalid_row_handler=skip),
            convert_options=csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        raise UnreadableFile(str(exc)) from None
    return table.select(COLUMNS), invalid, delimiter, len(names)


def parse_file(data: bytes) -> Parsed:
    text = decode(data).text
    table, invalid, delimiter, width = _read(text)
    lines = data_lines(text)
    if not lines:
        raise UnreadableFile("the file has a header but no data rows")
    if None in invalid or len(lines) != table.num_rows + len(invalid):
        raise UnreadableFile(
            f"{len(lines)} data lines but {table.num_rows + len(invalid)} CSV rows "
            "(a quoted line break?)"
        )
    bad_count = {n - 2 for n in invalid}  # row numbers count the header as 1
    rejected = [
        (lines[i], "*", f"expected {width} columns, found {lines[i].text.count(delimiter) + 1}")
        for i in sorted(bad_count)
    ]
    kept = [line for i, line in enumerate(lines) if i not in bad_count]
    cells = {c: pc.utf8_trim_whitespace(table[c]).combine_chunks() for c in COLUMNS}
    problems: dict[str, pa.Array] = {}  # column -> bool "this row's cell is bad"
    converted: dict[str, pa.Array] = {}
    mark = decimal_mark([cells[c] for c in AMOUNT_COLUMNS], delimiter)
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
    bad = pa.array([False] * table.num_rows)
    for c in COLUMNS:
        if c in problems:
            bad = pc.or_(bad, problems[c])
    for i in pc.indices_nonzero(bad).to_pylist():
        column = next(c for c in COLUMNS if c in problems and problems[c][i].as_py())
        value = cells[column][i].as_py()
        what = "is empty" if value == "" else f"{value!r} is not {_expected(column, mark)}"
        rejected.append((kept[i], column, what))
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
    numbers = pa.array([line.number for line in kept], pa.int64())
    rejected.sort(key=lambda r: r[0].number)
    return Parsed(out, pc.filter(numbers, good), rejected, len(lines))


def _expected(column: str, mark: str) -> str:
    if column in AMOUNT_COLUMNS:
        if mark == ",":
            return "a number with a decimal comma (1234,5 or 1.234,50)"
        return "a number with a decimal point (1234.5 or 1,234.50)"
    if column == "ky":
        return "a month (2024-03, 03/2024, Tháng 3/2024)"
    return "a date or time (2024-05-20, 20/05/2024, 2024-05-20T08:30:00+07:00)"

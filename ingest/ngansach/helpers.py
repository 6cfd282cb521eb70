"""Parsing one CSV export into the lake's columns, vectorised with pyarrow.

Every cell is read as text; each column is then checked and converted as a whole. A row
with any bad cell goes to quarantine, named by file, line and column; a file that cannot be
read at all (not UTF-8, wrong header, a line count that does not add up) raises
``UnreadableFile`` and is quarantined whole by the caller.

Amounts use a decimal comma: ``1234567,5`` or, with dot thousands, ``1.234.567,50``. A
value with dots but no decimal comma (``1.234``: one thousand two hundred and thirty-four,
or one point two three four?) is ambiguous and rejected, as is text.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as csv

from ingest.ngansach.settings import AMOUNT_COLUMNS, COLUMNS, REQUIRED, SCHEMA

PLAIN = r"^-?\d+(,\d+)?$"
GROUPED = r"^-?\d{1,3}(\.\d{3})+,\d+$"
KY = r"^\d{4}-(0[1-9]|1[0-2])$"
ISO_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"
LOCAL_OFFSET = pa.scalar(timedelta(hours=7), pa.duration("us"))
BOM = b"\xef\xbb\xbf"


class UnreadableFile(ValueError):
    """The file as a whole cannot be parsed; the message says why."""


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


def data_lines(data: bytes) -> list[Line]:
    """Non-empty lines after the header (the header is the first non-empty line)."""
    text = data.removeprefix(BOM).decode("utf-8", errors="replace")
    lines = [
        Line(i + 1, t.rstrip("\r")) for i, t in enumerate(text.split("\n")) if t.rstrip("\r") != ""
    ]
    return lines[1:]


def to_float(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Decimal-comma text → float64, and whether each value was a valid number (invalid →
    null). Accepts ``-1234,5`` and ``-1.234,50``; rejects text, empty cells and dots without
    a decimal comma."""
    text = pc.utf8_trim_whitespace(text)
    valid = pc.or_(pc.match_substring_regex(text, PLAIN), pc.match_substring_regex(text, GROUPED))
    valid = pc.fill_null(valid, False)
    cleaned = pc.replace_substring(pc.replace_substring(text, ".", ""), ",", ".")
    values = pc.cast(pc.if_else(valid, cleaned, pa.scalar(None, pa.string())), pa.float64())
    return values, valid


def _read(data: bytes) -> tuple[pa.Table, list[int]]:
    """Every cell as text, and the (non-empty-line) numbers of rows with a wrong cell count."""
    header = data.removeprefix(BOM).split(b"\n", 1)[0].rstrip(b"\r")
    try:
        names = [n.strip() for n in header.decode("utf-8").split(";")]
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"the header is not UTF-8: {exc}") from None
    if names != COLUMNS:
        raise UnreadableFile(f"header {';'.join(names)!r} is not {';'.join(COLUMNS)!r}")
    invalid: list[int] = []

    def skip(row: csv.InvalidRow) -> str:
        invalid.append(row.number)
        return "skip"

    try:
        table = csv.read_csv(
            io.BytesIO(data),
            read_options=csv.ReadOptions(use_threads=False, column_names=COLUMNS, skip_rows=1),
            parse_options=csv.ParseOptions(delimiter=";", invalid_row_handler=skip),
            convert_options=csv.ConvertOptions(
                column_types=dict.fromkeys(COLUMNS, pa.string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise UnreadableFile(str(exc)) from None
    return table, invalid


def parse_file(data: bytes) -> Parsed:
    table, invalid = _read(data)
    lines = data_lines(data)
    if None in invalid or len(lines) != table.num_rows + len(invalid):
        raise UnreadableFile(
            f"{len(lines)} data lines but {table.num_rows + len(invalid)} CSV rows "
            "(a quoted line break?)"
        )
    bad_count = {n - 2 for n in invalid}  # row numbers count the header as 1
    rejected = [
        (lines[i], "*", f"expected {len(COLUMNS)} columns, found {lines[i].text.count(';') + 1}")
        for i in sorted(bad_count)
    ]
    kept = [line for i, line in enumerate(lines) if i not in bad_count]
    cells = {c: pc.utf8_trim_whitespace(table[c]).combine_chunks() for c in COLUMNS}
    problems: dict[str, pa.Array] = {}  # column -> bool "this row's cell is bad"
    converted: dict[str, pa.Array] = {}
    for c in AMOUNT_COLUMNS:
        converted[c], ok = to_float(cells[c])
        problems[c] = pc.invert(ok)
    problems["ky"] = pc.invert(pc.match_substring_regex(cells["ky"], KY))
    stamp = pc.if_else(
        pc.match_substring_regex(cells["ngay_lap"], ISO_TIME),
        pc.replace_substring_regex(cells["ngay_lap"], "Z$", "+00:00"),
        pa.scalar(None, pa.string()),
    )
    utc = pc.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z", "us", error_is_null=True)
    converted["ngay_lap"] = pc.add(pc.cast(utc, pa.timestamp("us")), LOCAL_OFFSET)
    problems["ngay_lap"] = pc.is_null(converted["ngay_lap"])
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
        what = "is empty" if value == "" else f"{value!r} is not {_expected(column)}"
        rejected.append((kept[i], column, what))
    good = pc.invert(bad)
    ky = pc.filter(cells["ky"], good)
    first_day = pc.strptime(pc.binary_join_element_wise(ky, "01", "-"), "%Y-%m-%d", "s")
    out = pa.table(
        {
            "ky": ky,
            "ky_thang": first_day.cast(pa.date32()),
            "ma_dvhc": pc.filter(cells["ma_dvhc"], good),
            "cap_ngan_sach": pc.filter(cells["cap_ngan_sach"], good),
            "ma_nhom_thu": pc.filter(cells["ma_nhom_thu"], good),
            "ten_nhom_thu": _nfc(pc.filter(cells["ten_nhom_thu"], good)),
            **{c: pc.filter(converted[c], good) for c in [*AMOUNT_COLUMNS, "ngay_lap"]},
        },
        schema=SCHEMA,
    )
    numbers = pa.array([line.number for line in kept], pa.int64())
    rejected.sort(key=lambda r: r[0].number)
    return Parsed(out, pc.filter(numbers, good), rejected, len(lines))


def _expected(column: str) -> str:
    if column in AMOUNT_COLUMNS:
        return "a number with a decimal comma (1234,5 or 1.234,50)"
    if column == "ky":
        return "a month YYYY-MM"
    return "an ISO 8601 time with offset"


def _nfc(column: pa.Array) -> pa.Array:
    encoded = pc.dictionary_encode(column)
    names = [unicodedata.normalize("NFC", s) for s in encoded.dictionary.to_pylist()]
    return pa.array(names, pa.string()).take(encoded.indices)

"""A table people export, as text cells under its header: a CSV or text file, or a sheet of
a workbook (.xlsx, .xlsm, .xls, .ods: told by the bytes, not by the name).

The header is the first row (of the first 20 that hold anything) naming every wanted column,
in any order, case or spacing; rows above it (a title) are not data, and neither are rows
without a value (blank lines, ``;;;;``). A CSV cell may hold a line break in quotes (a
spreadsheet's Alt+Enter): its row is numbered by the line it starts on. Every cell is NFC
text with its spaces collapsed; a workbook's numbers are written with a decimal point
(``1234567.5``, whole ones without ``.0``), its dates and times in ISO form. A row that does
not split into the header's cells is rejected with the reason; a file with no such header,
or that is no text and no workbook, raises ``UnreadableFile``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from python_calamine import CalamineWorkbook

from ingest.common.textfile import DELIMITERS, UnreadableFile, decode, normalise_name

__all__ = ["Row", "Table", "UnreadableFile", "read_table"]

HEADER_SEARCH = 20  # non-empty rows the header is looked for in
WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # zip (.xlsx, .xlsm, .ods), OLE (.xls)


@dataclass(frozen=True)
class Row:
    where: str  # for people: "line 5", "sheet 'Thu', row 5"
    ref: str  # after the file's name in the lake's source_ref: "#line=5", "!Thu!A5"
    number: int  # the line or sheet row it starts on, 1-based
    text: str  # the row as the file held it: the quarantine's record


@dataclass(frozen=True)
class Table:
    cells: dict[str, list[str]]  # wanted column -> its cells, aligned with ``rows``
    rows: list[Row]
    rejected: list[tuple[Row, str]]  # rows that do not split into the header's cells, why
    decimal_point: bool  # numbers were written with a point: a ','-separated file, a workbook


def read_table(data: bytes, columns: list[str]) -> Table:
    if data.startswith(WORKBOOKS):
        return _workbook(data, columns)
    return _text(decode(data).text, columns)


def clean(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _is_header(cells: list[str], columns: list[str]) -> list[str] | None:
    """The row's names (a blank one as ``_blank<i>``) if it names every column."""
    names = [normalise_name(c) for c in cells]
    if not set(columns) <= set(names):
        return None
    names = [n or f"_blank{i}" for i, n in enumerate(names)]
    if len(set(names)) != len(names):
        raise UnreadableFile(f"the header {';'.join(cells)!r} names a column twice")
    return names


def _no_header(seen: list[str], columns: list[str]) -> UnreadableFile:
    first = seen[0][:200] if seen else ""
    names = {normalise_name(n) for d in DELIMITERS for n in first.split(d)}
    missing = [c for c in columns if c not in names]
    return UnreadableFile(
        f"the header {first!r} lacks the columns {', '.join(missing)} "
        f"(expected {';'.join(columns)})"
    )


class _Collector:
    """Data rows under a header, each split into the header's cells or rejected."""

    def __init__(self, names: list[str], columns: list[str]) -> None:
        self.names, self.columns = names, columns
        self.cells: dict[str, list[str]] = {c: [] for c in columns}
        self.rows: list[Row] = []
        self.rejected: list[tuple[Row, str]] = []
        self.index = [names.index(c) for c in columns]

    def add(self, row: Row, values: list[str], last_line: int = 0) -> None:
        width = len(self.names)
        extra = values[width:]
        if len(values) < width and all(n.startswith("_blank") for n in self.names[len(values) :]):
            values = values + [""] * (width - len(values))  # trailing empty cells not written
        elif extra and not any(v.strip() for v in extra):
            values = values[:width]
        if len(values) != width:
            why = f"expected {width} columns, found {len(values)}"
            if last_line > row.number:
                why += f" (a quote opened on line {row.number} runs to line {last_line})"
            self.rejected.append((row, why))
            return
        self.rows.append(row)
        for column, i in zip(self.columns, self.index, strict=True):
            self.cells[column].append(clean(values[i]))

    def table(self, decimal_point: bool) -> Table:
        return Table(self.cells, self.rows, self.rejected, decimal_point)


def _text(text: str, columns: list[str]) -> Table:
    physical = io.StringIO(text, newline="").readlines()
    seen = [line.strip() for line in physical if line.strip()][:HEADER_SEARCH]
    delimiter = next(
        (d for line in seen for d in DELIMITERS if _is_header(_split(line, d), columns)), None
    )
    if delimiter is None:
        raise _no_header(seen, columns)
    collector: _Collector | None = None
    for start, end, values in _records(text, delimiter):
        if not any(v.strip() for v in values):
            continue
        if collector is None:
            names = _is_header(values, columns)
            if names is not None:
                collector = _Collector(names, columns)
            continue
        source = "".join(physical[start - 1 : end]).rstrip("\r\n")
        collector.add(Row(f"line {start}", f"#line={start}", start, source), values, end)
    if collector is None:
        raise UnreadableFile("a quote opened above the header is not closed before it")
    if not collector.rows and not collector.rejected:
        raise UnreadableFile("the file has a header but no data rows")
    return collector.table(decimal_point=delimiter == ",")


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _records(text: str, delimiter: str) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of each CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for values in reader:
        yield start, reader.line_num, values
        start = reader.line_num + 1


def _workbook(data: bytes, columns: list[str]) -> Table:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False)
                  for n in book.sheet_names}  # fmt: skip
    except Exception as exc:  # calamine raises its own error types for broken files
        raise UnreadableFile(f"the workbook cannot be read: {exc}") from None
    for name, rows in sheets.items():
        texts = [[cell_text(v) for v in r] for r in rows]
        filled = [i for i, r in enumerate(texts) if any(r)][:HEADER_SEARCH]
        header = next((i for i in filled if _is_header(texts[i], columns)), None)
        if header is None:
            continue
        collector = _Collector(_is_header(texts[header], columns) or [], columns)
        for i in range(header + 1, len(texts)):
            values = texts[i]
            if not any(values):
                continue
            row = Row(f"sheet {name!r}, row {i + 1}", f"!{name}!A{i + 1}", i + 1,
                      ";".join(values).rstrip(";"))  # fmt: skip
            collector.add(row, values)
        if not collector.rows and not collector.rejected:
            raise UnreadableFile(f"sheet {name!r} has a header but no data rows")
        return collector.table(decimal_point=True)
    raise UnreadableFile(
        f"no sheet has the columns {';'.join(columns)} (sheets: {', '.join(sheets) or 'none'})"
    )


def cell_text(value: object) -> str:
    """A workbook cell as text: numbers with a point and no exponent, whole ones without
    ``.0``; dates and times in ISO form."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).upper()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return clean(str(value))

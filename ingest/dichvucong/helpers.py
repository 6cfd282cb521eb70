"""Turning pages of dossier records into typed Arrow rows, or quarantine entries.

The fast path never makes a Python object per value: ``decode_page`` parses the page body
straight into Arrow (with only the owner's identity number read out of ``ChuHoSo``), and
``convert_page`` checks, converts and pseudonymises whole columns (``convert_pages`` several
pages' at once; ``versions`` then tells repeats and conflicts apart). A page the Arrow JSON
reader refuses (a number sent as text, a time that is not ISO 8601...) is decoded with orjson
instead and goes the way it always went: whole-page ``from_pylist``, and when Arrow refuses
that too, record by record so that only the bad records are quarantined, each with its reason.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from ingest.common import parse
from ingest.common.http import Page
from ingest.common.pseudonymise import Pseudonymiser
from ingest.dichvucong.contracts import (
    BOOL_FIELDS,
    DOSSIER_SCHEMA,
    REQUIRED_FIELDS,
    STRING_FIELDS,
    TIME_FIELDS,
    WIRE_SCHEMA,
)

_SEVEN_HOURS = pa.scalar(7 * 3600 * 1_000_000, pa.duration("us"))
_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError)

# A page as the source sends it when all is well. Of the owner block only the identity
# number is read; name, phone and address are skipped by the parser, never materialised.
# A page kept in the raw archive carries the owner's token (ChuHoSoHash) in place of the block.
_OWNER = pa.struct([pa.field("SoGiayTo", pa.string())])
_RECORD = pa.struct([*WIRE_SCHEMA, ("ChuHoSo", _OWNER)])
TOKEN = r"^[0-9a-f]{32}$"  # what Pseudonymiser.token gives (a sent value like it is kept)
PAGE_SCHEMA = pa.schema(
    [
        pa.field("data", pa.list_(_RECORD)),
        pa.field("page", pa.int64()),
        pa.field("page_size", pa.int64()),
        pa.field("total", pa.int64()),
        pa.field("total_pages", pa.int64()),
    ]
)
_PARSE = pa_json.ParseOptions(explicit_schema=PAGE_SCHEMA, unexpected_field_behavior="ignore")


@dataclass
class PageResult:
    """The rows of a page (repeats included), each with its place in the page."""

    table: pa.Table
    positions: np.ndarray
    rejected: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)


@dataclass
class ArrowPage:
    """The records of a page as one Arrow struct array, and the body they came from."""

    records: pa.StructArray
    raw: bytes

    def __len__(self) -> int:
        return len(self.records)

    def as_dicts(self) -> list[dict[str, Any]]:
        """The records exactly as sent (owner block included), for the per-record path."""
        return orjson.loads(self.raw)["data"]


def decode_page(raw: bytes) -> dict[str, Any]:
    """A page body → its envelope, ``data`` an ``ArrowPage``; or, when the Arrow reader
    refuses the body, the envelope as orjson reads it (``ValueError`` if nobody can)."""
    try:
        read = pa_json.ReadOptions(use_threads=False, block_size=max(len(raw) + 1, 1 << 16))
        table = pa_json.read_json(io.BytesIO(raw), read_options=read, parse_options=_PARSE)
    except _ARROW_ERRORS:
        return orjson.loads(raw)
    if table.num_rows != 1:  # not one JSON object: let orjson say what it is
        return orjson.loads(raw)
    envelope = {name: table[name][0].as_py() for name in ("page", "page_size", "total")}
    envelope["total_pages"] = table["total_pages"][0].as_py()
    data = table["data"]
    data = data.chunk(0) if data.num_chunks == 1 else data.combine_chunks()  # no copy of one
    if data.null_count or envelope["total"] is None or envelope["total_pages"] is None:
        return orjson.loads(raw)  # not the envelope we know
    envelope["data"] = ArrowPage(data.flatten(), raw)
    if envelope["page_size"] is None:
        del envelope["page_size"]
    return envelope


def pseudonymise(records: list[dict[str, Any]], pseudonymiser: Pseudonymiser) -> None:
    """Replace each record's owner block by its token, in place, before anything else. A
    record without the block keeps a token it carries (a page of the raw archive); anything
    else in its place is taken for an identity number and replaced by its token."""
    for record in records:
        if not isinstance(record, dict):
            continue
        owner = record.pop("ChuHoSo", None)
        identity = owner.get("SoGiayTo") if isinstance(owner, dict) else None
        sent = record.get("ChuHoSoHash")
        if identity is None and isinstance(sent, str) and re.fullmatch(TOKEN, sent):
            continue
        record["ChuHoSoHash"] = pseudonymiser.token(identity if identity is not None else sent)


def convert_page(
    records: ArrowPage | list[dict[str, Any]], ref: str, pseudonymiser: Pseudonymiser
) -> PageResult:
    """Typed, pseudonymised rows of a page and the records to quarantine (repeats are left
    to ``versions.Copies``)."""
    if isinstance(records, ArrowPage):
        try:
            table = _fast_arrow(records.records, pseudonymiser)
            return PageResult(table, np.arange(table.num_rows))
        except _ARROW_ERRORS:
            records = records.as_dicts()  # something to quarantine: take it record by record
    pseudonymise(records, pseudonymiser)
    try:
        table = _fast(records)
        return PageResult(table, np.arange(table.num_rows))
    except _ARROW_ERRORS:
        return _slow(records, ref)


def convert_pages(pages: Sequence[Page], pseudonymiser: Pseudonymiser) -> list[PageResult]:
    """``convert_page`` of each page; pages of Arrow records are converted together, with
    one set of Arrow calls (a call's fixed cost is most of what one page's conversion costs),
    unless one of them needs the per-record path."""
    if len(pages) > 1 and all(isinstance(page.records, ArrowPage) for page in pages):
        try:
            records = pa.concat_arrays([page.records.records for page in pages])
            table = _fast_arrow(records, pseudonymiser)
        except _ARROW_ERRORS:
            pass  # a page to take record by record: each page on its own
        else:
            results, start = [], 0
            for page in pages:
                n = len(page.records)
                results.append(PageResult(table.slice(start, n), np.arange(n)))
                start += n
            return results
    return [convert_page(page.records, page.ref, pseudonymiser) for page in pages]


def _fast_arrow(records: pa.StructArray, pseudonymiser: Pseudonymiser) -> pa.Table:
    """Check and convert the whole page, and replace the owner block by its token."""
    if records.null_count:
        raise ValueError("a record is null")
    wire = pa.Table.from_struct_array(records)
    table = _typed(wire.drop_columns(["ChuHoSo"]))
    identities = pc.struct_field(wire["ChuHoSo"].combine_chunks(), "SoGiayTo")
    sent = wire["ChuHoSoHash"].combine_chunks()
    if sent.null_count == len(sent):  # a page as the source sends it
        hashes = pseudonymiser.tokens(identities)
    else:  # a page of the raw archive: the token it carries (see ``pseudonymise``)
        carried = pc.and_(pc.is_null(identities), pc.match_substring_regex(sent, TOKEN))
        carried = pc.fill_null(carried, False)
        hashes = pc.if_else(carried, sent, pseudonymiser.tokens(pc.coalesce(identities, sent)))
    index = table.schema.get_field_index("ChuHoSoHash")
    return table.set_column(index, "ChuHoSoHash", hashes)


def _fast(records: list[dict[str, Any]]) -> pa.Table:
    return _typed(pa.Table.from_pylist(records, WIRE_SCHEMA))


def _typed(wire: pa.Table) -> pa.Table:
    """Wire columns → the dataset's schema; ``ValueError`` if a page needs the slow path."""
    for name in REQUIRED_FIELDS:
        if wire[name].null_count:
            raise ValueError(f"{name} missing")
    rating = wire["DanhGiaHaiLong"]
    if pc.any(pc.or_(pc.less(rating, 1), pc.greater(rating, 5))).as_py():
        raise ValueError("DanhGiaHaiLong outside 1–5")
    columns = {}
    for name in DOSSIER_SCHEMA.names:
        if name not in wire.column_names:  # ChuHoSoHash on the Arrow path: filled in later
            columns[name] = pa.nulls(wire.num_rows, pa.string())
            continue
        column = wire[name]
        if name in TIME_FIELDS:
            utc = pc.cast(column, pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
            column = pc.add(utc, _SEVEN_HOURS)
        elif name in STRING_FIELDS and not pc.all(pc.string_is_ascii(column)).as_py():
            column = _nfc(column)  # ASCII is NFC already
        columns[name] = column
    return pa.table(columns, schema=DOSSIER_SCHEMA)


def _nfc(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """NFC of a text column, normalising each distinct value once (names of procedures and
    fields repeat on every page: a few dozen distinct values per thousand rows)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(column)
    return pc.utf8_normalize(encoded.dictionary, "NFC").take(encoded.indices)


def _slow(records: list[dict[str, Any]], ref: str) -> PageResult:
    """Record by record: the good rows (and their places in the page), and the bad ones."""
    rows, positions, rejected = [], [], []
    for index, record in enumerate(records):
        where = f"{ref}#record={index}"
        try:
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            rows.append(parse_record(record))
            positions.append(index)
        except ValueError as exc:
            name = record.get("MaHoSo") if isinstance(record, dict) else None
            rejected.append((record, where, f"MaHoSo {name!r}: {exc}"))
    table = pa.Table.from_pylist(rows, DOSSIER_SCHEMA)
    return PageResult(table, np.array(positions, np.int64), rejected)


def parse_record(record: dict[str, Any]) -> dict[str, Any]:
    """One record, field by field; ``ValueError`` names the field and the bad value."""
    out: dict[str, Any] = {}
    for name in DOSSIER_SCHEMA.names:
        value = record.get(name)
        try:
            if name in REQUIRED_FIELDS and value in (None, ""):
                raise ValueError("required value is missing")
            if name in TIME_FIELDS:
                out[name] = parse.parse_local_time(value)
            elif name in BOOL_FIELDS:
                out[name] = parse.parse_bool(value)
            elif name in ("PhiLePhi", "DanhGiaHaiLong"):
                out[name] = parse.parse_int(value)
                if name == "DanhGiaHaiLong" and out[name] is not None and not 1 <= out[name] <= 5:
                    raise ValueError(f"{value!r} is outside 1–5")
            else:
                out[name] = None if value is None else unicodedata.normalize("NFC", str(value))
        except ValueError as exc:
            raise ValueError(f"field {name}: {exc}") from None
    return out


def quarantine_rows(
    rejected: list[tuple[dict[str, Any], str, str]], load_id: str, dataset: str, now: datetime
) -> list[dict[str, Any]]:
    return [
        {
            "load_id": load_id,
            "dataset": dataset,
            "reason": reason,
            "raw_location": where,
            "record": orjson.dumps(record, default=str).decode(),
            "quarantined_at": now,
        }
        for record, where, reason in rejected
    ]

"""Turning pages of dossier records into typed Arrow rows, or quarantine entries.

Whole pages go through Arrow in one step (the fast path); a page that Arrow refuses is
taken record by record so that only the bad records are quarantined, each with its reason.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ingest.common import parse
from ingest.common.pseudonymise import Pseudonymiser
from ingest.dichvucong.settings import (
    BOOL_FIELDS,
    DOSSIER_SCHEMA,
    REQUIRED_FIELDS,
    STRING_FIELDS,
    TIME_FIELDS,
    WIRE_SCHEMA,
)

_SEVEN_HOURS = pa.scalar(7 * 3600 * 1_000_000, pa.duration("us"))


@dataclass
class PageResult:
    table: pa.Table
    refs: list[str]
    rejected: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)
    duplicates: int = 0


def pseudonymise(records: list[dict[str, Any]], pseudonymiser: Pseudonymiser) -> None:
    """Replace each record's owner block by its token, in place, before anything else."""
    for record in records:
        owner = record.pop("ChuHoSo", None)
        identity = owner.get("SoGiayTo") if isinstance(owner, dict) else None
        record["ChuHoSoHash"] = pseudonymiser.token(identity)


def convert_page(records: list[dict[str, Any]], ref: str, seen: set[int]) -> PageResult:
    """Typed rows for the new records of a page; duplicates (already seen) are skipped."""
    fresh, duplicates = [], 0
    for record in records:
        key = hash((record.get("MaHoSo"), record.get("NgayCapNhat")))
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        fresh.append(record)
    try:
        table = _fast(fresh)
        result = PageResult(table, [ref] * table.num_rows)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError):
        result = _slow(fresh, ref)
    result.duplicates = duplicates
    return result


def _fast(records: list[dict[str, Any]]) -> pa.Table:
    wire = pa.Table.from_pylist(records, WIRE_SCHEMA)
    for name in REQUIRED_FIELDS:
        if wire[name].null_count:
            raise ValueError(f"{name} missing")
    rating = wire["DanhGiaHaiLong"]
    if pc.any(pc.or_(pc.less(rating, 1), pc.greater(rating, 5))).as_py():
        raise ValueError("DanhGiaHaiLong outside 1–5")
    columns = {}
    for name in DOSSIER_SCHEMA.names:
        column = wire[name]
        if name in TIME_FIELDS:
            utc = pc.cast(column, pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
            column = pc.add(utc, _SEVEN_HOURS)
        elif name in STRING_FIELDS:
            column = pc.utf8_normalize(column, "NFC")
        columns[name] = column
    return pa.table(columns, schema=DOSSIER_SCHEMA)


def _slow(records: list[dict[str, Any]], ref: str) -> PageResult:
    rows, refs, rejected = [], [], []
    for index, record in enumerate(records):
        where = f"{ref}#record={index}"
        try:
            rows.append(parse_record(record))
            refs.append(ref)
        except ValueError as exc:
            rejected.append((record, where, f"MaHoSo {record.get('MaHoSo')!r}: {exc}"))
    return PageResult(pa.Table.from_pylist(rows, DOSSIER_SCHEMA), refs, rejected)


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

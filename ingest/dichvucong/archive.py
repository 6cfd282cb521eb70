"""Dossier pages for the raw archive (ingest/common/raw.py), owners pseudonymised.

A page is kept as received except each record's owner block (``ChuHoSo``: name, identity
number, phone, address), which is replaced by ``ChuHoSoHash``, the token ingestion gives the
same owner (same key). The connector reads such a page as it reads the source's (it keeps a
token it finds in place of the block), so a load replayed from the archive lands the same rows.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ingest.common.http import Page
from ingest.common.pseudonymise import Pseudonymiser
from ingest.common.raw import RawArchive
from ingest.dichvucong.helpers import PageResult, pseudonymise

_BLOCK = b'"ChuHoSo":{'
_TOKEN_AT = b'"ChuHoSoHash":"'


def archived(page: Page, result: PageResult, pseudonymiser: Pseudonymiser) -> bytes:
    """The page's body for the archive: each ``"ChuHoSo":{…}`` replaced by the token its
    row got (the usual page, cut and joined as bytes), or, when the body is not that plain
    (a record without the block or rejected, an escape, a brace or an odd quote in a block),
    by ``pseudonymised_body``."""
    hashes = result.table["ChuHoSoHash"]
    parts = page.raw.split(_BLOCK)
    if result.rejected or hashes.null_count or len(parts) != len(hashes) + 1:
        return pseudonymised_body(page.raw, pseudonymiser)
    cut = [part.split(b"}", 1) for part in parts[1:]]
    blocks = [c[0] for c in cut]
    if any(len(c) != 2 for c in cut) or any(b.count(b'"') % 2 for b in blocks):
        return pseudonymised_body(page.raw, pseudonymiser)
    seen = b"".join(blocks)
    if b"\\" in seen or b"{" in seen:
        return pseudonymised_body(page.raw, pseudonymiser)
    tokens = pc.binary_join_element_wise(_TOKEN_AT, hashes.cast(pa.binary()), b'"', b"")
    rests = (c[1] for c in cut)
    return parts[0] + b"".join(chain.from_iterable(zip(tokens.to_pylist(), rests, strict=False)))


def pseudonymised_body(raw: bytes, pseudonymiser: Pseudonymiser) -> bytes:
    """The page body with every owner block replaced by its token (as ``pseudonymise`` does
    before parsing); ``ValueError`` for a body that is not a page of records."""
    body = orjson.loads(raw)
    records = body.get("data") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise ValueError("not a page of records")
    pseudonymise(records, pseudonymiser)
    return orjson.dumps(body)


@dataclass
class BackgroundArchive:
    """A ``RawArchive`` written by a thread of its own: a page is compressed (Arrow lets go
    of the GIL) while the next one is converted. Pages keep their order."""

    archive: RawArchive
    _pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="raw-archive")
    )
    _last: Future | None = None

    def add(self, page: Page) -> None:
        if self._last is not None:
            self._last.result()  # at most one page waiting: bounded memory, errors surface
        self._last = self._pool.submit(self.archive.add, page)

    def commit(self) -> Path:
        self._pool.shutdown(wait=True)
        if self._last is not None:
            self._last.result()
        return self.archive.commit()

    def abort(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.archive.abort()

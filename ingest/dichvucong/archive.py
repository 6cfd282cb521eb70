"""Dossier pages for the raw archive (ingest/common/raw.py), owners pseudonymised.

A page is kept as received except each record's owner block (``ChuHoSo``: name, identity
number, phone, address), which is replaced by ``ChuHoSoHash``, the token ingestion gives the
same owner (same key). The connector reads such a page as it reads the source's (it keeps a
token it finds in place of the block), so a load replayed from the archive lands the same rows.
"""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ingest.common.http import Page
from ingest.common.pseudonymise import Pseudonymiser
from ingest.common.raw import RawArchive
from ingest.dichvucong.helpers import PageResult, pseudonymise

# An owner block: cut at its first closing brace (the checks below tell whether that was its
# end), its inside captured.
_BLOCK = re.compile(rb'"ChuHoSo":\{([^}]*)\}')
_TOKEN_AT = b'"ChuHoSoHash":"'


def archived(page: Page, result: PageResult, pseudonymiser: Pseudonymiser) -> bytes:
    """The page's body for the archive: each ``"ChuHoSo":{…}`` replaced by the token its
    row got, in a few passes over the bytes (the blocks cut out by one regular expression,
    checked at once, the tokens joined in); or, when the body is not that plain (a record
    without the block or rejected, an escape, a brace or an odd quote in a block), by
    ``pseudonymised_body``."""
    hashes = result.table["ChuHoSoHash"]
    cut = _BLOCK.split(page.raw)  # rest, block, rest, block, …, rest
    blocks = cut[1::2]
    if result.rejected or hashes.null_count or len(blocks) != len(hashes):
        return pseudonymised_body(page.raw, pseudonymiser)
    seen = b"".join(blocks)
    # an odd number of quotes: the brace was inside a text, and the block goes on after it
    odd = np.fromiter(map(bytes.count, blocks, repeat(b'"')), np.int64, len(blocks)) & 1
    if b"\\" in seen or b"{" in seen or odd.any():
        return pseudonymised_body(page.raw, pseudonymiser)
    tokens = pc.binary_join_element_wise(_TOKEN_AT, hashes.cast(pa.binary()), b'"', b"")
    cut[1::2] = tokens.to_pylist()  # each block's place, its token (no tuple per record)
    return b"".join(cut)


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

"""API responses kept as received, so any load can be parsed again and any mart recomputed.

Each page body of a load goes, byte for byte, into one zstd-compressed file beside the lake,
``<lake>/<source>/_raw/<dataset>/<load_id>.pages.zst`` (as drop files are kept under
``_raw/``). Framing: per page a header line ``<request>\\t<length>\\n``, the body's bytes,
then ``\\n``; each page is one zstd frame (level ``LEVEL``: compressed whole, in one call,
costs less CPU than a stream's chunks), and a zstd reader reads the frames as one stream.
The file is written beside its place and moved there when the load lands, so a re-run
replaces it whole. ``ReplayClient`` serves an archive in place of the source: a
connector run on it lands the same rows again.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from ingest.common.http import Decoder, Page

CODEC = "zstd"
LEVEL = 1  # zstd's fastest positive level: ~10x smaller than the JSON (negative levels: ~2x
# larger for ~15 % less CPU)
_COMPRESS = pa.Codec(CODEC, compression_level=LEVEL).compress


def raw_path(lake: Path, source: str, dataset: str, load_id: str) -> Path:
    return lake / source / "_raw" / dataset / f"{load_id}.pages.zst"


@dataclass
class RawArchive:
    """The pages of one load as received; ``commit`` moves the file into place."""

    target: Path
    pages: int = 0
    _out: Any = field(default=None, init=False, repr=False)

    @property
    def staging(self) -> Path:
        return self.target.with_name(f".{self.target.name}.tmp")

    def _open(self) -> Any:
        if self._out is None:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._out = self.staging.open("wb")
        return self._out

    def add(self, page: Page) -> None:
        ref = page.ref.replace("\t", " ").replace("\n", " ")
        framed = b"".join((f"{ref}\t{len(page.raw)}\n".encode(), page.raw, b"\n"))
        self._open().write(_COMPRESS(framed, asbytes=True))
        self.pages += 1

    def commit(self) -> Path:
        if self._out is None:  # no page (a source that answered nothing still answered)
            self._open().write(_COMPRESS(b"", asbytes=True))
        self._out.close()
        self._out = None
        os.replace(self.staging, self.target)
        return self.target

    def abort(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        self.staging.unlink(missing_ok=True)


def read_pages(path: Path) -> Iterator[tuple[str, bytes]]:
    """(request, body as received) of every page in an archive, in the order received:
    decompressed as a stream, one page at a time in memory."""
    with pa.input_stream(str(path), compression=CODEC) as raw, io.BufferedReader(raw) as f:
        while header := f.readline():
            ref, _, length = header[:-1].decode().rpartition("\t")
            body = f.read(int(length))
            if len(body) != int(length) or f.read(1) != b"\n":
                raise ValueError(f"{path}: page {ref!r} is cut short")
            yield ref, body


@dataclass
class ReplayClient:
    """Stands in for ``SourceClient.pages``: the pages of an archive, decoded again."""

    archive: Path

    def pages(
        self,
        path: str,
        params: dict[str, Any],
        page_size: int = 1000,
        decode: Decoder | None = None,
        prefetch: int = 0,
    ) -> Iterator[Page]:
        for number, (ref, raw) in enumerate(read_pages(self.archive), start=1):
            body = (decode or orjson.loads)(raw)
            yield Page(
                number=number,
                records=body["data"],
                page_size=int(body.get("page_size", page_size)),
                total=int(body["total"]),
                total_pages=int(body["total_pages"]),
                ref=ref,
                body=body,
                raw=raw,
            )

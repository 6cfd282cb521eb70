"""The whole result of the last refresh kept beside the stored fits (forecast/cache.py), with
a digest of its inputs: a refresh whose inputs are those of the last one (a re-run, a no-op
build, a load that changed no indicator figure) gets that result back as it was, without
splitting, fingerprinting, calibrating and choosing again (most of such a node's time:
benchmarks/README.md). The digest covers every figure and plan, every module of this package
and the library's version; anything else changed, ``fit.fit_all`` runs as before.

A module apart from fit.py and cache.py: those are part of the stored fits' digest, and
editing them makes the next refresh refit every series.
"""

from __future__ import annotations

import hashlib
import logging
import os
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from forecast import apart

log = logging.getLogger(__name__)

FILE = "result.parquet"
_DIGEST = b"ioc_forecast_inputs"  # the key of the digest in the file's metadata


def inputs_digest(*frames: pd.DataFrame) -> str:
    """A digest of ``frames`` (columns, types and rows, in whatever order the rows come:
    DuckDB returns them in none), of the package's code and of the library's version."""
    code = b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))
    h = hashlib.sha256(code + version("statsforecast").encode())
    for frame in frames:
        h.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
        rows = pd.util.hash_pandas_object(frame, index=False).to_numpy(np.uint64, copy=True)
        rows.sort()
        h.update(len(rows).to_bytes(8, "little") + rows.tobytes())
    return h.hexdigest()


def _kept(folder: Path, digest: str) -> pd.DataFrame | None:
    path = folder / FILE
    if not path.exists() or (pq.read_schema(path).metadata or {}).get(_DIGEST) != digest.encode():
        return None
    return pq.read_table(path).to_pandas()


def _keep(folder: Path, digest: str, frame: pd.DataFrame) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**table.schema.metadata, _DIGEST: digest.encode()})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def fits(values: pd.DataFrame, plans: pd.DataFrame, cache: Path | None) -> pd.DataFrame:
    """``fit.fit_all(values, plans, cache=cache)`` (in a process of its own,
    forecast/apart.py), or the result it gave last time with the same ``cache`` if
    ``values`` and ``plans`` are the same as then."""
    if cache is None:
        return apart.fit_all(values, plans, None)
    digest = inputs_digest(values, plans)
    out = _kept(cache, digest)
    if out is not None:
        log.info("forecast: the inputs of the last refresh: its result kept")
        return out
    out = apart.fit_all(values, plans, cache)
    _keep(cache, digest, out)
    return out

"""The ngansach source in Python: the files as the drop folder holds them at a moment,
their canonical rows and every cell deliberately spoiled (for tests and the report)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from simulator.clock import AS_OF_SEC, from_local_seconds
from simulator.faults import FaultConfig
from simulator.ngansach.files import FileVersion, canonical_rows, current, versions
from simulator.ngansach.render import Rendered, render
from simulator.ngansach.versions import with_versions
from simulator.ngansach.world import BudgetWorld

NAME_PATTERN = r"thu_ngan_sach_\d{6}\.csv"


@dataclass(frozen=True)
class DropFile:
    version: FileVersion
    rows: list[dict]  # canonical rows and the faults' copies, in file order (line = index + 2)
    rendered: Rendered

    @property
    def name(self) -> str:
        return self.version.name

    def summary(self) -> dict:
        v, r = self.version, self.rendered
        return {
            "name": v.name,
            "ky": v.ky,
            "version": v.version,
            "ngay_lap": from_local_seconds(v.exported_sec).isoformat(),
            "superseded": v.superseded,
            "rows": len(self.rows),
            "restated_rows": sum(row["ky"] != v.ky for row in self.rows),
            "sha256": hashlib.sha256(r.content).hexdigest(),
            "file_defect": r.file_defect,
            "malformed": [s.to_dict() for s in r.malformed],
            "unknown_codes": [s.to_dict() for s in r.unknown_codes],
        }


def drop_files(
    world: BudgetWorld,
    as_of_sec: int = AS_OF_SEC,
    faults: FaultConfig | None = None,
    every_version: bool = False,
) -> list[DropFile]:
    """The files in the drop folder at ``as_of_sec`` (with ``every_version``: also the
    versions a re-export replaced), rendered with ``faults``."""
    faults = faults or FaultConfig()
    chosen = versions(world, as_of_sec) if every_version else current(world, as_of_sec)
    out = []
    for fv in chosen:
        rows = with_versions(world, fv, canonical_rows(world, fv), faults)
        out.append(DropFile(fv, rows, render(fv, rows, world.seed, faults)))
    return out


def write_drop(folder: Path, files: list[DropFile]) -> list[str]:
    """Write ``files`` atomically, leave identical ones alone, remove this source's files not
    (or not yet) published; the names written."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f.name: f.rendered.content for f in files}
    written = []
    for name, content in wanted.items():
        target = folder / name
        if target.exists() and target.read_bytes() == content:
            continue
        tmp = folder / f".{name}.tmp"
        tmp.write_bytes(content)
        os.replace(tmp, target)
        written.append(name)
    for stale in folder.glob("thu_ngan_sach_*.csv"):
        if stale.name not in wanted:
            stale.unlink()
    return written


def report(
    world: BudgetWorld,
    lo: int,
    hi: int,
    as_of_sec: int = AS_OF_SEC,
    faults: FaultConfig | None = None,
) -> dict:
    """Every file version exported in [lo, hi) by ``as_of_sec``: rows, restated rows, hash
    of the bytes as written with ``faults``, the file-level defect and spoiled cells."""
    files = [
        f
        for f in drop_files(world, as_of_sec, faults, every_version=True)
        if lo <= f.version.exported_sec < hi
    ]
    summaries = [f.summary() for f in files]
    current_files = [s for s in summaries if not s["superseded"]]
    return {
        "window": {
            "cap_nhat_tu": from_local_seconds(lo).isoformat(),
            "cap_nhat_den": from_local_seconds(hi).isoformat(),
        },
        "as_of": from_local_seconds(as_of_sec).isoformat(),
        "files": summaries,
        "rows": sum(s["rows"] for s in current_files),
        "malformed_rows": sum(
            s["rows"] if s["file_defect"] else len(s["malformed"]) for s in current_files
        ),
        "unknown_code_rows": sum(len(s["unknown_codes"]) for s in current_files),
        "faults": (faults or FaultConfig()).to_dict(),
    }

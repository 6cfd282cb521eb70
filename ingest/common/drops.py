"""Files that sources drop into a folder (Excel reports, budget CSV exports).

A file is identified by its name *and* content: ``load_id = <stem>__<sha256[:12]>``. A file
dropped again unchanged is not loaded twice; a file resent with new content is a new load
(the earlier one stays as history). Every file is archived byte for byte under
``<lake>/<source>/_raw/`` before it is parsed, so what was received can always be shown.
A file whose name does not fit its source's pattern is quarantined once: the same name and
bytes would be quarantined again for the same reason, so later runs only say it is still
there (``quarantined_once``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingest.common.ledger import Ledger
from ingest.common.parse import LOCAL_OFFSET

log = logging.getLogger(__name__)

CHUNK = 1 << 20
ANY_NAME = re.compile(r".+", re.DOTALL)  # every file: one whose name does not fit is quarantined


@dataclass(frozen=True)
class DropFile:
    path: Path
    sha256: str
    size: int
    modified_at: datetime | None = None  # naive local time: when the file arrived

    @property
    def load_id(self) -> str:
        return f"{self.path.stem}__{self.sha256[:12]}"

    @classmethod
    def read(cls, path: Path) -> DropFile:
        digest = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
        stat = path.stat()
        modified = datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None) + LOCAL_OFFSET
        return cls(path, digest.hexdigest(), stat.st_size, modified)


def list_drops(folder: Path, pattern: re.Pattern[str]) -> list[DropFile]:
    """Files in ``folder`` whose whole name matches ``pattern``, by name. Hidden and
    temporary files (a writer's ``.tmp``, Excel's ``~$`` lock files) are never matched."""
    if not folder.is_dir():
        raise FileNotFoundError(f"drop folder {folder} does not exist")
    return [
        DropFile.read(p)
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith((".", "~$")) and pattern.fullmatch(p.name)
    ]


def pending(files: list[DropFile], ledger: Ledger, source: str, dataset: str) -> list[DropFile]:
    """Files not yet loaded with this content. A load that landed (``success``) or was
    rejected by a blocking check is done: the same bytes would give the same result."""
    done = {
        e["load_id"]
        for e in ledger.entries(source, dataset).to_pylist()
        if e["status"] in ("success", "rejected")
    }
    return [f for f in files if f.load_id not in done]


def archive(file: DropFile, lake: Path, source: str) -> Path:
    """Copy the file as received to ``<lake>/<source>/_raw/<stem>__<sha12><suffix>``."""
    target = lake / source / "_raw" / f"{file.load_id}{file.path.suffix}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(file.path, tmp)
        tmp.replace(target)
    return target


def quarantined_once(
    misnamed: list[DropFile], ledger: Ledger, source: str, dataset: str
) -> list[DropFile]:
    """Of the files whose name does not fit, those not quarantined before (no attempt in the
    ledger with this name and content); each of the others is named in the log, with when it
    was quarantined, and left alone until it is renamed (or its content changes)."""
    if not misnamed:
        return []
    first: dict[str, datetime] = {}
    for e in ledger.entries(source, dataset).select(["load_id", "started_at"]).to_pylist():
        when = first.get(e["load_id"])
        first[e["load_id"]] = e["started_at"] if when is None else min(when, e["started_at"])
    for f in misnamed:
        if f.load_id in first:
            log.warning(
                "%s (%s): its name does not fit; quarantined on %s already, not again: "
                "rename it to load it",
                f.path,
                source,
                f"{first[f.load_id]:%Y-%m-%d %H:%M}",
            )
    return [f for f in misnamed if f.load_id not in first]

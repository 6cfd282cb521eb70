"""Writing the Excel drop: every file sent by the clock's time, atomically, unchanged files
left alone. A resent report (phien_ban 2) overwrites its file with the new content; a file's
modification time is when its version was sent (as a file server keeps it)."""

from __future__ import annotations

import os
from pathlib import Path

from simulator.clock import from_local_seconds
from simulator.faults import FaultConfig
from simulator.reporting.excel import ExcelReport, content, xlsx_bytes
from simulator.reporting.world import ReportingWorld


def files_at(world: ReportingWorld, cfg: FaultConfig, as_of: int) -> list[ExcelReport]:
    """The content of every file in the drop at ``as_of`` (each report's newest version)."""
    out = []
    for r in world.file_reports:
        sent = [v for v in range(1, r.versions + 1) if r.sent_at(v) <= as_of]
        if sent:
            out.append(content(r, max(sent), world.seed, cfg))
    return out


def write_drop(world: ReportingWorld, cfg: FaultConfig, as_of: int, folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for x in files_at(world, cfg, as_of):
        data = xlsx_bytes(x, world.seed)
        target = folder / x.name
        if target.exists() and target.read_bytes() == data:
            continue
        tmp = folder / f".{x.name}.tmp"
        tmp.write_bytes(data)
        sent = from_local_seconds(x.report.sent_at(x.version)).timestamp()
        os.utime(tmp, (sent, sent))  # the file arrived when its version was sent
        os.replace(tmp, target)
        written.append(x.name)
    return written

"""What the simulator holds for a window of ``ngay_cap_nhat``, and what it spoils in it."""

from __future__ import annotations

from collections import Counter

from simulator.clock import DAY, day_number, from_local_seconds
from simulator.faults import FaultConfig
from simulator.reporting import corrupt
from simulator.reporting.rows import row_json, rows_at
from simulator.reporting.world import ReportingWorld


def window_report(
    world: ReportingWorld, cfg: FaultConfig, as_of: int, lo: int, hi: int, seed: int | None = None
) -> dict:
    """Report versions (as the API holds them at ``as_of``) with lo <= ngay_cap_nhat < hi:
    ``reports`` (versions), ``figures``, ``by_state``, the ``malformed`` and
    ``unknown_codes`` items the fault config puts in them (each {ma_bao_cao, phien_ban,
    field, index, kind, sent, expected}; ``index`` = position in ``so_lieu``, null for a
    header field) and ``missing``: reports never sent whose due date falls in the window."""
    rows = [r for r in rows_at(world, as_of) if lo <= r.step.at < hi]
    bad, unknown = corrupt.decide(cfg, [r.key for r in rows])
    spoiled = []
    for i, row in enumerate(rows):
        if not (bad[i] or unknown[i]):
            continue
        clean = row_json(row, world.seed if seed is None else seed)
        for c in corrupt.for_row(cfg, row.key, clean, bool(bad[i]), bool(unknown[i])):
            spoiled.append(
                {
                    "ma_bao_cao": row.report.code,
                    "phien_ban": row.version,
                    "field": c.field,
                    "index": c.index,
                    "kind": c.kind,
                    "sent": c.sent,
                    "expected": c.expected,
                }
            )
    missing = [
        {
            "ma_bo_chi_tieu": r.indicator_set.code,
            "ma_don_vi": r.unit,
            "ky": {"loai": r.period.kind, "nam": r.period.year, "so_ky": r.period.number},
            "han_gui": r.period.due.isoformat(),
        }
        for r in world.reports
        if not r.versions and lo <= day_number(r.period.due) * DAY < min(hi, as_of)
    ]
    return {
        "window": {
            "cap_nhat_tu": from_local_seconds(lo).isoformat(),
            "cap_nhat_den": from_local_seconds(hi).isoformat(),
        },
        "as_of": from_local_seconds(as_of).isoformat(),
        "reports": len(rows),
        "distinct_reports": len({r.report.code for r in rows}),
        "figures": sum(len(r.figures) for r in rows),
        "by_state": dict(Counter(r.step.state for r in rows)),
        "malformed": [s for s in spoiled if not s["kind"].startswith("unknown")],
        "unknown_codes": [s for s in spoiled if s["kind"].startswith("unknown")],
        "missing": missing,
        "faults": cfg.to_dict(),
    }

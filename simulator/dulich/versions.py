"""Records that come again: revisions, stale copies, repeats and conflicts (switchable faults).

Shared by the ``dulich`` and ``giaoduc`` listings. Decided per row by (fault seed, the row's
key), the same on every request, applied to a listing before paging (``with_versions``):

- ``revision_rate``: the figure is republished ``REVISED_AFTER`` after its own time (its
  ``time_field`` moved on, its ``adjust`` fields raised by ``delta``); from then on the listing
  shows the revised row instead. Listings without a time field are not revised.
- ``stale_copy_rate``: an older copy (time ``STALE_BEFORE`` earlier, figures lowered by
  ``delta``) is listed just before the row: the newest must win, not the first seen.
- ``repeat_rate``: an identical copy is listed just after the row (no effect).
- ``conflict_rate``: a copy with the same time and figures raised by ``delta`` is listed just
  after the row: two different figures, no newer one.

``delta`` = max(1, 1 % of the first adjusted field). A test recomputes what was sent with the
same function (the simulator is the outside world; it says what it served).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from simulator.clock import from_local_seconds
from simulator.faults import FaultConfig
from simulator.hashing import key_of, uniform

REVISED_AFTER = timedelta(days=35)
STALE_BEFORE = timedelta(days=2)


@dataclass(frozen=True)
class VersionRules:
    key_fields: tuple[str, ...]  # a row's identity (its fault decisions hang on these)
    adjust: tuple[str, ...]  # fields a revision changes, all by the same delta
    time_field: str | None = None  # publication / update time (ISO 8601 +07:00)


def delta(row: dict, rules: VersionRules) -> int:
    return max(1, round(0.01 * float(row[rules.adjust[0]])))


def _shifted(row: dict, rules: VersionRules, by: int, moved: timedelta) -> dict:
    out = dict(row)
    for name in rules.adjust:
        out[name] = row[name] + by
    if rules.time_field and moved:
        out[rules.time_field] = (datetime.fromisoformat(row[rules.time_field]) + moved).isoformat()
    return out


def decisions(rows: Sequence[dict], rules: VersionRules, cfg: FaultConfig) -> dict[str, np.ndarray]:
    keys = np.array([key_of(*(str(r[f]) for f in rules.key_fields)) for r in rows], np.int64)
    out = {}
    for name in ("revision", "stale_copy", "repeat", "conflict"):
        rate = getattr(cfg, f"{name}_rate")
        out[name] = (
            uniform(cfg.seed, name.replace("_", "-"), keys) < rate
            if rate and len(rows)
            else np.zeros(len(rows), dtype=bool)
        )
    return out


def with_versions(
    rows: Sequence[dict], rules: VersionRules, cfg: FaultConfig, as_of_sec: int
) -> list[dict]:
    """The listing as sent at ``as_of_sec`` with the versions the faults add."""
    if not (cfg.revision_rate or cfg.stale_copy_rate or cfg.repeat_rate or cfg.conflict_rate):
        return list(rows)
    now = from_local_seconds(as_of_sec)
    d = decisions(rows, rules, cfg)
    out: list[dict] = []
    for i, row in enumerate(rows):
        by = delta(row, rules)
        if d["revision"][i] and rules.time_field:
            revised = _shifted(row, rules, by, REVISED_AFTER)
            moment = datetime.fromisoformat(revised[rules.time_field])
            if (moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)) <= now:
                row = revised
        if d["stale_copy"][i]:
            out.append(_shifted(row, rules, -by, -STALE_BEFORE if rules.time_field else None))
        out.append(row)
        if d["repeat"][i]:
            out.append(dict(row))
        if d["conflict"][i]:
            out.append(_shifted(row, rules, by, timedelta(0)))
    return out

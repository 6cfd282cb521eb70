"""A report's life: sent (on time or late, or never), approved, sent back and resent, restated.

Every decision is drawn from (seed, set, unit, period), so a report's history does not depend
on any other report. Times are local seconds (see ``simulator.clock``), in office hours.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from simulator.clock import DAY, day_number
from simulator.reporting.periods import Period

NEVER_SENT = 0.02
LATE = 0.12
SENT_BACK = 0.08
RESTATED = 0.04

DA_GUI, DA_DUYET, TRA_LAI = "DA_GUI", "DA_DUYET", "TRA_LAI"


@dataclass(frozen=True)
class Step:
    version: int  # phien_ban
    state: str  # trang_thai from this moment
    at: int  # local seconds


@dataclass(frozen=True)
class Life:
    steps: tuple[Step, ...]  # in time order; empty = never sent
    corrected: bool  # version 2 corrects errors of version 1 (sent back)
    restated: bool  # version 2 revises an approved version 1


def _office_time(rng: random.Random, day: int) -> int:
    return day * DAY + rng.randint(7 * 3600 + 1800, 17 * 3600 + 1800)


def life(seed: int, set_code: str, unit: str, period: Period) -> Life:
    rng = random.Random(f"{seed}|life|{set_code}|{unit}|{period}")
    if rng.random() < NEVER_SENT:
        return Life((), False, False)
    due = day_number(period.due)
    first = day_number(period.end) + (6 if period.kind == "NAM" else 1)
    day = due + rng.randint(1, 25) if rng.random() < LATE else rng.randint(first, due)
    sent = _office_time(rng, day)
    steps = [Step(1, DA_GUI, sent)]
    if rng.random() < SENT_BACK:
        back = _office_time(rng, day + rng.randint(1, 5))
        resent = _office_time(rng, back // DAY + rng.randint(1, 7))
        approved = _office_time(rng, resent // DAY + rng.randint(1, 4))
        steps += [Step(1, TRA_LAI, back), Step(2, DA_GUI, resent), Step(2, DA_DUYET, approved)]
        return Life(tuple(steps), True, False)
    approved = _office_time(rng, day + rng.randint(1, 6))
    steps.append(Step(1, DA_DUYET, approved))
    if rng.random() < RESTATED:
        resent = _office_time(rng, approved // DAY + rng.randint(20, 150))
        again = _office_time(rng, resent // DAY + rng.randint(1, 4))
        steps += [Step(2, DA_GUI, resent), Step(2, DA_DUYET, again)]
        return Life(tuple(steps), False, True)
    return Life(tuple(steps), False, False)


def state_at(steps: tuple[Step, ...], version: int, as_of: int) -> Step | None:
    """The version's latest step at ``as_of`` (None if it was not sent by then)."""
    latest = None
    for step in steps:
        if step.version == version and step.at <= as_of:
            latest = step
    return latest

"""DossierWorld: the dichvucong source's data for one (seed, scale), with bounded caches."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from simulator.admin_units import DemoUnits, load_demo_units
from simulator.clock import AS_OF_SEC, DAY
from simulator.dichvucong.calendar import FIRST_DAY, LAST_DAY, daily_intensity
from simulator.dichvucong.generator import MAX_SPAN_DAYS, DayCore, World, generate_day, lookup
from simulator.dichvucong.people import owner_tables
from simulator.dichvucong.tables import CodeTables, ProcTables, code_tables, proc_tables
from simulator.dichvucong.window import WindowRecords, select

LOOKBACK_DAYS = MAX_SPAN_DAYS


class DossierWorld:
    """Generates days and windows on demand; caches recent days and windows (LRU)."""

    def __init__(
        self,
        seed: int = 56,
        scale: float = 0.1,
        units: DemoUnits | None = None,
        day_cache: int = 220,
        window_cache: int = 3,
    ) -> None:
        self.seed, self.scale = int(seed), float(scale)
        self.units = units or load_demo_units()
        pt, ct = proc_tables(), code_tables(self.units, self.seed)
        self.owners = owner_tables(self.units)
        self.world = World(
            seed=self.seed,
            scale=self.scale,
            intensity=daily_intensity(),
            first_day=FIRST_DAY,
            place_pop=self.owners.population,
            pt=pt,
            ct=ct,
            proc_lookup=np.array([lookup(m) for m in pt.month_weight]),
            proc_lookup_off=np.array([lookup(m) for m in pt.month_weight_off]),
            place_lookup=lookup(self.units.weight),
        )
        self._days: OrderedDict[int, DayCore] = OrderedDict()
        self._windows: OrderedDict[tuple[int, int], WindowRecords] = OrderedDict()
        self._day_cache, self._window_cache = day_cache, window_cache
        self._lock = threading.RLock()

    @property
    def pt(self) -> ProcTables:
        return self.world.pt

    @property
    def ct(self) -> CodeTables:
        return self.world.ct

    def day(self, day: int) -> DayCore:
        with self._lock:
            core = self._days.get(day)
            if core is not None:
                self._days.move_to_end(day)
                return core
        core = generate_day(self.world, day)
        with self._lock:
            self._days[day] = core
            while len(self._days) > self._day_cache:
                self._days.popitem(last=False)
        return core

    def window(self, lo: int, hi: int) -> WindowRecords:
        """Records with lo <= NgayCapNhat < min(hi, as_of), in canonical order (cached)."""
        hi = min(hi, AS_OF_SEC)
        key = (lo, hi)
        with self._lock:
            cached = self._windows.get(key)
            if cached is not None:
                self._windows.move_to_end(key)
                return cached
            first = max(FIRST_DAY, lo // DAY - LOOKBACK_DAYS)
            last = min(LAST_DAY, (hi - 1) // DAY)
            cores = [self.day(d) for d in range(first, last + 1)] if hi > lo else []
            records = select(cores, lo, hi, self.pt, self.ct)
            self._windows[key] = records
            while len(self._windows) > self._window_cache:
                self._windows.popitem(last=False)
            return records

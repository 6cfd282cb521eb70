"""Injected faults: configuration, deterministic decisions and counters, per source.

Every decision is a pure function of (fault seed, what is asked, attempt number), so a test
run is reproducible: the n-th request for the same page gets the same fate whatever else was
asked in between. Transient faults (429, 5xx, slow) are drawn afresh on every attempt; a short
page only ever happens on the first attempt for a page; duplicated pages, malformed values and
unknown codes are fixed properties of the window's data (every attempt sees the same).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from dataclasses import dataclass, fields

import numpy as np

from simulator.hashing import key_of, uniform, uniform1

RATE_FIELDS = (
    "error_rate",
    "slow_rate",
    "rate_limit_rate",
    "duplicate_page_rate",
    "short_page_rate",
    "malformed_rate",
    "unknown_code_rate",
    "revision_rate",
    "stale_copy_rate",
    "repeat_rate",
    "conflict_rate",
    "late_correction_rate",
)


@dataclass(frozen=True)
class FaultConfig:
    """What may go wrong, per source. All rates are fractions in [0, 1]; 0 = off."""

    seed: int = 0
    error_rate: float = 0.0  # 5xx on this fraction of requests (each attempt drawn afresh)
    error_statuses: tuple[int, ...] = (500, 502, 503)
    slow_rate: float = 0.0  # answer only after slow_seconds (clients time out)
    slow_seconds: float = 5.0
    rate_limit_rate: float = 0.0  # 429 with Retry-After
    retry_after: int = 1  # seconds
    token_ttl_seconds: float | None = None  # tokens die after this, whatever expires_in said
    token_max_requests: int | None = None  # a token dies after this many authorised requests
    duplicate_page_rate: float = 0.0  # a page is sent again as the next page
    short_page_rate: float = 0.0  # first fetch of a non-last page returns fewer rows
    malformed_rate: float = 0.0  # records with a malformed value
    unknown_code_rate: float = 0.0  # records with a code not in the reference lists
    # Records that come again (dulich, giaoduc: simulator/dulich/versions.py): republished
    # with a newer time, an older copy beside the current one, an identical copy, a copy
    # with the same time and other figures; and (giaoduc) a pre-reform school year's row
    # corrected after the reform, sent with the new commune code.
    revision_rate: float = 0.0
    stale_copy_rate: float = 0.0
    repeat_rate: float = 0.0
    conflict_rate: float = 0.0
    late_correction_rate: float = 0.0

    @classmethod
    def from_dict(cls, data: dict | None) -> FaultConfig:
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(unknown)}")
        if "error_statuses" in data:
            data["error_statuses"] = tuple(int(s) for s in data["error_statuses"])
        cfg = cls(**data)
        for name in RATE_FIELDS:
            value = getattr(cfg, name)
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], got {value}")
        if any(not 500 <= s <= 599 for s in cfg.error_statuses):
            raise ValueError("error_statuses must be 5xx codes")
        return cfg

    def to_dict(self) -> dict:
        out = dataclasses.asdict(self)
        out["error_statuses"] = list(self.error_statuses)
        return out


@dataclass(frozen=True)
class Transient:
    kind: str  # "rate_limit" | "error" | "slow"
    status: int = 200


class FaultState:
    """A source's current fault config, attempt counters and counts of injected faults."""

    MAX_KEYS = 1_000_000

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._config = config or FaultConfig()
        self._attempts: dict[tuple, int] = {}
        self.version = 0  # bumped by every set(): what was rendered before is stale
        self.counts: Counter[str] = Counter()

    @property
    def config(self) -> FaultConfig:
        return self._config

    def set(self, config: FaultConfig) -> None:
        """Replace the config; attempt counters and counts start again."""
        with self._lock:
            self._config = config
            self.version += 1
            self._attempts.clear()
            self.counts.clear()

    def count(self, kind: str, n: int = 1) -> None:
        with self._lock:
            self.counts[kind] += n

    def attempt(self, key: tuple) -> int:
        """0 for the first request with this key, 1 for the second, ..."""
        with self._lock:
            if len(self._attempts) >= self.MAX_KEYS:
                self._attempts.clear()
            n = self._attempts.get(key, 0)
            self._attempts[key] = n + 1
            return n

    def transient(self, key: tuple, attempt: int) -> Transient | None:
        cfg = self._config
        k = key_of(*key, attempt)
        if cfg.rate_limit_rate and uniform1(cfg.seed, "rate-limit", k) < cfg.rate_limit_rate:
            self.count("rate_limit")
            return Transient("rate_limit", 429)
        if cfg.error_rate and uniform1(cfg.seed, "error", k) < cfg.error_rate:
            statuses = cfg.error_statuses
            status = statuses[int(uniform1(cfg.seed, "error-status", k) * len(statuses))]
            self.count(f"error_{status}")
            return Transient("error", status)
        if cfg.slow_rate and uniform1(cfg.seed, "slow", k) < cfg.slow_rate:
            self.count("slow")
            return Transient("slow")
        return None

    def short_length(self, key: tuple, attempt: int, length: int) -> int:
        """Rows to send of a non-last page of ``length`` rows (first attempt may be short).

        Pure: the caller counts a short page when it sends one."""
        cfg = self._config
        if attempt > 0 or length < 2 or not cfg.short_page_rate:
            return length
        k = key_of(*key)
        if uniform1(cfg.seed, "short", k) >= cfg.short_page_rate:
            return length
        share = 0.3 + 0.5 * uniform1(cfg.seed, "short-len", k)
        return max(1, min(length - 1, int(length * share)))

    def page_layout(self, window_key: tuple, n_rows: int, page_size: int) -> np.ndarray:
        """Canonical page index served as each page (a duplicated page appears twice in a row)."""
        n_pages = -(-n_rows // page_size)
        cfg = self._config
        canon = np.arange(n_pages)
        if not cfg.duplicate_page_rate or n_pages < 2:
            return canon
        keys = (key_of(*window_key, page_size) >> 16) + canon
        doubled = uniform(cfg.seed, "duplicate-page", keys) < cfg.duplicate_page_rate
        doubled[-1] = False
        return np.repeat(canon, 1 + doubled.astype(np.int64))

    def record_mask(self, stream: str, keys: np.ndarray, rate: float) -> np.ndarray:
        if not rate:
            return np.zeros(len(keys), dtype=bool)
        return uniform(self._config.seed, stream, keys) < rate

"""Counter-based randomness: a value is a pure function of (seed, stream, key).

Used wherever a draw must not depend on what else was generated before it: owner
attributes, fault decisions, malformed-value choices. Vectorised over numpy uint64 keys.
"""

from __future__ import annotations

import hashlib
import zlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser."""
    with np.errstate(over="ignore"):
        x = x + _GOLDEN
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
        return x ^ (x >> np.uint64(31))


def stream_id(name: str) -> int:
    """A stable 32-bit id for a named random stream."""
    return zlib.crc32(name.encode())


def hash64(seed: int, stream: str, keys: np.ndarray | int) -> np.ndarray:
    """64-bit hashes of ``keys`` (any integer array) in the stream ``stream`` of ``seed``."""
    k = np.asarray(keys).astype(np.uint64)
    base = _mix(np.array([(seed & 0xFFFFFFFF) << 32 | stream_id(stream)], dtype=np.uint64))
    with np.errstate(over="ignore"):
        return _mix(_mix(k ^ base[0]) + base[0])


def uniform(seed: int, stream: str, keys: np.ndarray | int) -> np.ndarray:
    """Uniform floats in [0, 1) for ``keys``."""
    return (hash64(seed, stream, keys) >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def uniform1(seed: int, stream: str, key: int) -> float:
    """One uniform float in [0, 1) for a scalar key."""
    return float(uniform(seed, stream, np.array([key], dtype=np.int64))[0])


def integers(seed: int, stream: str, keys: np.ndarray | int, high: np.ndarray | int) -> np.ndarray:
    """Integers in [0, high) for ``keys`` (``high`` may be an array)."""
    u = uniform(seed, stream, keys)
    return np.minimum((u * np.asarray(high)).astype(np.int64), np.asarray(high) - 1)


def key_of(*parts: int | str) -> int:
    """Combine integers/strings into one 63-bit key (for scalar decisions)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") & 0x7FFF_FFFF_FFFF_FFFF

"""Pseudonymisation of personal data (Decree 13/2023/NĐ-CP) before anything touches disk.

A keyed BLAKE2b hash of the owner's identity document number: the same person gets the
same token across loads (so repeat filers can be counted), and without the key nobody can
turn a token back into a number by hashing candidate numbers.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

MIN_KEY_BYTES = 16
# Identity numbers already in canonical form (NFC, stripped, upper case, no spaces).
_CANONICAL = r"^[0-9A-Z]+$"


@dataclass(frozen=True)
class Pseudonymiser:
    key: bytes
    _keyed: hashlib._Hash = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.key) < MIN_KEY_BYTES:
            raise ValueError(f"pseudonymisation key must have at least {MIN_KEY_BYTES} bytes")
        # The key block hashed once; each token continues from a copy of this state.
        object.__setattr__(self, "_keyed", hashlib.blake2b(key=self.key, digest_size=16))

    @classmethod
    def from_secret(cls, secret: str) -> Pseudonymiser:
        return cls(secret.encode("utf-8"))

    def token(self, identity: object) -> str | None:
        """Token for an identity number; ``None`` when there is none."""
        if identity is None:
            return None
        text = unicodedata.normalize("NFC", str(identity)).strip().upper().replace(" ", "")
        if not text:
            return None
        return self._hash(text)

    def _hash(self, text: str) -> str:
        h = self._keyed.copy()
        h.update(text.encode("utf-8"))
        return h.hexdigest()

    def tokens(self, identities: pa.Array) -> pa.Array:
        """``token`` of each value of a string array, in bulk: the same tokens, faster.

        Values already canonical (digits and capital letters, the usual case) are hashed as
        they are; anything else (blanks, lower case, spaces, nulls) goes through ``token``.
        """
        canonical = pc.match_substring_regex(identities, _CANONICAL)
        if canonical.null_count == 0 and pc.all(canonical).as_py() is not False:
            copy = self._keyed.copy

            def hashed(text: bytes) -> str:  # _hash of bytes already UTF-8: no decoding
                h = copy()
                h.update(text)
                return h.hexdigest()

            out = list(map(hashed, identities.cast(pa.binary()).to_pylist()))
        else:
            values, flags = identities.to_pylist(), canonical.to_pylist()
            out = [
                self._hash(v) if ok else self.token(v) for v, ok in zip(values, flags, strict=True)
            ]
        return pa.array(out, pa.string())

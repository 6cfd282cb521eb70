"""Pseudonymisation of personal data (Decree 13/2023/NĐ-CP) before anything touches disk.

A keyed BLAKE2b hash of the owner's identity document number: the same person gets the
same token across loads (so repeat filers can be counted), and without the key nobody can
turn a token back into a number by hashing candidate numbers.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

MIN_KEY_BYTES = 16


@dataclass(frozen=True)
class Pseudonymiser:
    key: bytes

    def __post_init__(self) -> None:
        if len(self.key) < MIN_KEY_BYTES:
            raise ValueError(f"pseudonymisation key must have at least {MIN_KEY_BYTES} bytes")

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
        return hashlib.blake2b(text.encode("utf-8"), key=self.key, digest_size=16).hexdigest()

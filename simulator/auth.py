"""OAuth2 client-credentials tokens for one simulated source."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from simulator.faults import FaultConfig


@dataclass
class _Token:
    issued: float
    ttl: float  # seconds the token lives
    uses: int = 0


@dataclass(frozen=True)
class AuthError:
    status: int
    code: str
    message: str


class TokenStore:
    """Issues and checks bearer tokens; expiry by time (ttl) and by fault settings."""

    MAX_TOKENS = 10_000

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        ttl_seconds: float = 3600,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not client_id or not client_secret:
            raise ValueError("client id and secret are required")
        self._id, self._secret = client_id, client_secret
        self.ttl = float(ttl_seconds)
        self._clock = clock
        self._tokens: dict[str, _Token] = {}
        self._lock = threading.Lock()

    def issue(self, form: dict[str, str]) -> dict | AuthError:
        """Answer a token request (form fields) with the token JSON or an error."""
        if form.get("grant_type") != "client_credentials":
            return AuthError(
                400, "unsupported_grant_type", "Chỉ hỗ trợ grant_type=client_credentials."
            )
        ok_id = hmac.compare_digest(form.get("client_id", "").encode(), self._id.encode())
        ok_secret = hmac.compare_digest(
            form.get("client_secret", "").encode(), self._secret.encode()
        )
        if not (ok_id and ok_secret):
            return AuthError(401, "invalid_client", "Sai mã ứng dụng hoặc khóa bí mật.")
        token = secrets.token_urlsafe(32)
        now = self._clock()
        with self._lock:
            if len(self._tokens) >= self.MAX_TOKENS:
                self._tokens = {k: t for k, t in self._tokens.items() if now - t.issued < t.ttl}
            self._tokens[token] = _Token(issued=now, ttl=self.ttl)
        return {"access_token": token, "token_type": "Bearer", "expires_in": int(self.ttl)}

    def check(self, authorization: str | None, faults: FaultConfig) -> AuthError | None:
        """None if the Authorization header holds a live token (and count the use)."""
        if not authorization or not authorization.lower().startswith("bearer "):
            return AuthError(401, "unauthorized", "Thiếu access token (Authorization: Bearer).")
        token = authorization[7:].strip()
        with self._lock:
            t = self._tokens.get(token)
            if t is None:
                return AuthError(401, "invalid_token", "Access token không hợp lệ.")
            ttl = (
                t.ttl if faults.token_ttl_seconds is None else min(t.ttl, faults.token_ttl_seconds)
            )
            if self._clock() - t.issued >= ttl or (
                faults.token_max_requests is not None and t.uses >= faults.token_max_requests
            ):
                return AuthError(401, "invalid_token", "Access token đã hết hạn.")
            t.uses += 1
        return None

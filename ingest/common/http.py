"""The HTTP client every API source shares.

OAuth2 client credentials (a fresh token when the old one expires or is refused), page-number
paging with the sources' envelope, and retries with exponential backoff that honour
``Retry-After``. Built on httpx and tenacity.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from ingest.common.settings import SourceEndpoint

log = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}


class SourceError(RuntimeError):
    """A source refused a request for good (not worth retrying)."""


class RetryableError(RuntimeError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Page:
    number: int
    records: list[dict[str, Any]]
    page_size: int
    total: int
    total_pages: int
    ref: str


def _wait_retry_after(retry_state: Any) -> float:
    """Backoff, or exactly what the server asked for with Retry-After."""
    exc = retry_state.outcome.exception() if retry_state.outcome else None
    if isinstance(exc, RetryableError) and exc.retry_after is not None:
        return min(exc.retry_after, 120.0)
    return _BACKOFF(retry_state)


_BACKOFF = wait_exponential_jitter(multiplier=0.2, max=20.0, jitter=0.2)


def _is_transient(exc: BaseException) -> bool:
    return isinstance(exc, RetryableError | httpx.TransportError)


@dataclass
class SourceClient:
    """One authenticated session with an HTTP source."""

    endpoint: SourceEndpoint
    timeout: float = 30.0
    max_attempts: int = 8
    _token: str | None = field(default=None, init=False)
    _token_expires: float = field(default=0.0, init=False)
    _http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self._http = httpx.Client(base_url=self.endpoint.base_url, timeout=self.timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET a JSON document, retrying what is transient."""
        retrying = Retrying(
            retry=retry_if_exception(_is_transient),
            wait=_wait_retry_after,
            stop=stop_after_attempt(self.max_attempts),
            reraise=True,
            before_sleep=lambda rs: log.warning(
                "retrying %s %s after %s", path, params, rs.outcome.exception()
            ),
        )
        return retrying(self._get_once, path, params)

    def pages(self, path: str, params: dict[str, Any], page_size: int = 1000) -> Iterator[Page]:
        """Every page of a paged listing, in order; a short page is fetched again."""
        number, total_pages = 1, 1
        while number <= total_pages:
            query = {**params, "page": number, "page_size": page_size}
            body = self.get_json(path, query)
            page = Page(
                number=number,
                records=body["data"],
                page_size=int(body.get("page_size", page_size)),
                total=int(body["total"]),
                total_pages=int(body["total_pages"]),
                ref=f"GET {path}?{httpx.QueryParams(query)}",
            )
            total_pages = page.total_pages
            expected = (
                page.page_size
                if number < total_pages
                else (page.total - page.page_size * (total_pages - 1))
            )
            if len(page.records) < expected:
                # A page closed early: ask again (the rows are still there).
                log.warning(
                    "short page %s: %d of %d rows; refetching",
                    page.ref,
                    len(page.records),
                    expected,
                )
                self._refetch_short(path, query, expected, page)
            yield page
            number += 1

    def _refetch_short(self, path: str, query: dict[str, Any], expected: int, page: Page) -> None:
        for _ in range(self.max_attempts):
            body = self.get_json(path, query)
            if len(body["data"]) >= expected:
                page.records = body["data"]
                return
        raise SourceError(f"{page.ref}: page stays short ({len(page.records)} of {expected})")

    # -- one request -----------------------------------------------------------------
    def _get_once(self, path: str, params: dict[str, Any] | None) -> Any:
        resp = self._http.get(path, params=params, headers=self._auth_header())
        if resp.status_code == 401:
            self._token = None  # expired or revoked mid-run: a new token, then retry
            raise RetryableError(f"401 from {path}: token refused")
        return self._decode(resp, path)

    def _auth_header(self) -> dict[str, str]:
        if self._token is None or time.monotonic() >= self._token_expires:
            self._fetch_token()
        return {"Authorization": f"Bearer {self._token}"}

    def _fetch_token(self) -> None:
        resp = self._http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.endpoint.client_id,
                "client_secret": self.endpoint.client_secret,
            },
        )
        if resp.status_code in (400, 401, 403):
            raise SourceError(
                f"{self.endpoint.base_url}/oauth/token refused the client credentials "
                f"({resp.status_code}): {resp.text[:200]}"
            )
        body = self._decode(resp, "/oauth/token")
        self._token = body["access_token"]
        # Renew a little early so a long page loop does not hit the edge.
        self._token_expires = time.monotonic() + max(float(body.get("expires_in", 3600)) - 30, 1)

    @staticmethod
    def _decode(resp: httpx.Response, path: str) -> Any:
        if resp.status_code in RETRY_STATUSES:
            retry_after = resp.headers.get("Retry-After")
            raise RetryableError(
                f"{resp.status_code} from {path}",
                float(retry_after) if retry_after and retry_after.isdigit() else None,
            )
        if resp.status_code >= 400:
            raise SourceError(f"{resp.status_code} from {path}: {resp.text[:300]}")
        try:
            return orjson.loads(resp.content)
        except orjson.JSONDecodeError as exc:
            # A body cut off mid-way is a transport fault: ask again.
            raise RetryableError(f"invalid JSON from {path}: {exc}") from exc

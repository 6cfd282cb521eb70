"""The HTTP client every API source shares.

OAuth2 client credentials (a fresh token when the old one expires or is refused), page-number
paging with the sources' envelope, and retries with exponential backoff that honour
``Retry-After``. Built on urllib3 (keep-alive connections; it costs less than half the
CPU of httpx per byte received) and tenacity.

``pages`` can fetch ahead: with ``prefetch=n``, ``IN_FLIGHT`` background threads request and
decode up to ``n`` pages while the caller works on the current one (memory stays bounded by
``n + 1`` pages). Two requests at a time, so that the source prepares the next page while the
last one is read and decoded here: one request at a time leaves each side idle while the other
works. The page decoder is pluggable, so a connector can turn the body straight into Arrow.
"""

from __future__ import annotations

import http.client
import logging
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import certifi
import orjson
import urllib3
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from ingest.common.settings import SourceEndpoint

log = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
IN_FLIGHT = 2  # requests at once when fetching ahead (a source's own limit is its 429s)

Decoder = Callable[[bytes], Any]


class SourceError(RuntimeError):
    """A source refused a request for good (not worth retrying)."""


class RetryableError(RuntimeError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Page:
    number: int
    records: Any  # what the decoder made of ``data``: a list of dicts by default (sized)
    page_size: int
    total: int
    total_pages: int
    ref: str
    body: dict[str, Any] = field(default_factory=dict, repr=False)  # the decoded envelope
    raw: bytes = field(default=b"", repr=False)  # the body as received (ingest/common/raw.py)


def _wait_retry_after(retry_state: Any) -> float:
    """Backoff, or exactly what the server asked for with Retry-After."""
    exc = retry_state.outcome.exception() if retry_state.outcome else None
    if isinstance(exc, RetryableError) and exc.retry_after is not None:
        return min(exc.retry_after, 120.0)
    return _BACKOFF(retry_state)


_BACKOFF = wait_exponential_jitter(multiplier=0.2, max=20.0, jitter=0.2)

# Connection refused or reset, time-outs, bodies cut off: worth another attempt.
_TRANSPORT_ERRORS = (
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
)


def _is_transient(exc: BaseException) -> bool:
    return isinstance(exc, (RetryableError, *_TRANSPORT_ERRORS))


@dataclass
class SourceClient:
    """One authenticated session with an HTTP source (``pages`` may use it from its threads)."""

    endpoint: SourceEndpoint
    timeout: float = 30.0
    max_attempts: int = 8
    _token: str | None = field(default=None, init=False)
    _token_expires: float = field(default=0.0, init=False)
    _http: urllib3.PoolManager = field(init=False)
    _token_lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _base: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self._base = self.endpoint.base_url.rstrip("/")
        options: dict[str, Any] = {
            "num_pools": 1,
            "maxsize": IN_FLIGHT,  # keep-alive connections: one per request in flight
            "retries": False,  # tenacity decides
            "timeout": urllib3.Timeout(connect=self.timeout, read=self.timeout),
            "ca_certs": certifi.where(),  # the same trust store httpx used
        }
        proxy = _proxy_for(self._base)
        self._http = (
            urllib3.ProxyManager(proxy, **options) if proxy else urllib3.PoolManager(**options)
        )

    def close(self) -> None:
        self._http.clear()

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_json(
        self, path: str, params: dict[str, Any] | None = None, decode: Decoder | None = None
    ) -> Any:
        """GET a JSON document (``decode`` turns its bytes into it), retrying what is transient.

        A decoder signals a body it cannot read (cut off mid-way) with ``ValueError``: that is
        a transport fault and the request is made again.
        """
        retrying = Retrying(
            retry=retry_if_exception(_is_transient),
            wait=_wait_retry_after,
            stop=stop_after_attempt(self.max_attempts),
            reraise=True,
            before_sleep=lambda rs: log.warning(
                "retrying %s %s after %s", path, params, rs.outcome.exception()
            ),
        )
        return retrying(self._get_once, path, params, decode or orjson.loads)

    def pages(
        self,
        path: str,
        params: dict[str, Any],
        page_size: int = 1000,
        decode: Decoder | None = None,
        prefetch: int = 0,
    ) -> Iterator[Page]:
        """Every page of a paged listing, in order; a short page is fetched again.

        ``decode`` turns a body into the envelope (a mapping with ``data``, ``total``,
        ``total_pages``; ``data`` only needs a length). ``prefetch`` > 0 fetches up to that many
        pages ahead (``IN_FLIGHT`` requests at a time) while the caller works on the current
        page. Either way page n + 1 is taken only if page n's ``total_pages`` reaches it.
        """
        if prefetch <= 0:
            number, total_pages = 1, 1
            while number <= total_pages:
                page = self._page(path, params, page_size, decode, number)
                total_pages = max(page.total_pages, 1)  # an empty listing may say 0 pages
                yield page
                number += 1
            return
        yield from self._ahead(path, params, page_size, decode, prefetch)

    def _ahead(
        self,
        path: str,
        params: dict[str, Any],
        page_size: int,
        decode: Decoder | None,
        depth: int,
    ) -> Iterator[Page]:
        """``pages`` with up to ``depth`` pages requested ahead; errors re-raised in order."""
        with ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="source-prefetch") as pool:
            ahead: deque[tuple[int, Future[Page]]] = deque()
            total_pages, asked = 1, 0
            try:
                while True:
                    while asked < total_pages and len(ahead) < depth:
                        asked += 1
                        ahead.append(
                            (asked, pool.submit(self._page, path, params, page_size, decode, asked))
                        )
                    if not ahead or ahead[0][0] > total_pages:
                        return  # the last page (the listing may have shrunk meanwhile)
                    page = ahead.popleft()[1].result()
                    total_pages = max(page.total_pages, 1)  # an empty listing may say 0 pages
                    yield page
            finally:
                for _, future in ahead:
                    future.cancel()
                # leaving the pool waits for the requests under way: the connections are free
                # again before the caller goes on

    def _page(
        self,
        path: str,
        params: dict[str, Any],
        page_size: int,
        decode: Decoder | None,
        number: int,
    ) -> Page:
        query = {**params, "page": number, "page_size": page_size}
        received: list[bytes] = []
        body = self.get_json(path, query, _keeping(decode, received))
        page = Page(
            number=number,
            records=body["data"],
            page_size=int(body.get("page_size", page_size)),
            total=int(body["total"]),
            total_pages=int(body["total_pages"]),
            ref=f"GET {path}?{urlencode(query)}",
            body=body,
            raw=received[-1],
        )
        total_pages = max(page.total_pages, 1)
        expected = (
            page.page_size
            if number < total_pages
            else (page.total - page.page_size * (total_pages - 1))
        )
        if len(page.records) < expected:
            # A page closed early: ask again (the rows are still there).
            log.warning(
                "short page %s: %d of %d rows; refetching", page.ref, len(page.records), expected
            )
            self._refetch_short(path, query, expected, page, decode)
        return page

    def _refetch_short(
        self, path: str, query: dict[str, Any], expected: int, page: Page, decode: Decoder | None
    ) -> None:
        for _ in range(self.max_attempts):
            received: list[bytes] = []
            body = self.get_json(path, query, _keeping(decode, received))
            if len(body["data"]) >= expected:
                page.records, page.body, page.raw = body["data"], body, received[-1]
                return
        raise SourceError(f"{page.ref}: page stays short ({len(page.records)} of {expected})")

    # -- one request -----------------------------------------------------------------
    def _get_once(self, path: str, params: dict[str, Any] | None, decode: Decoder) -> Any:
        url = self._base + path + (f"?{urlencode(params)}" if params else "")
        resp = self._http.request("GET", url, headers=self._auth_header(), retries=False)
        if resp.status == 401:
            self._token = None  # expired or revoked mid-run: a new token, then retry
            raise RetryableError(f"401 from {path}: token refused")
        return self._decode(resp, path, decode)

    def _auth_header(self) -> dict[str, str]:
        with self._token_lock:  # one token request, whichever thread finds it missing
            if self._token is None or time.monotonic() >= self._token_expires:
                self._fetch_token()
            return {"Authorization": f"Bearer {self._token}"}

    def _fetch_token(self) -> None:
        resp = self._http.request(
            "POST",
            self._base + "/oauth/token",
            body=urlencode(
                {
                    "grant_type": "client_credentials",
                    "client_id": self.endpoint.client_id,
                    "client_secret": self.endpoint.client_secret,
                }
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            retries=False,
        )
        if resp.status in (400, 401, 403):
            raise SourceError(
                f"{self.endpoint.base_url}/oauth/token refused the client credentials "
                f"({resp.status}): {_text(resp.data, 200)}"
            )
        body = self._decode(resp, "/oauth/token", orjson.loads)
        self._token = body["access_token"]
        # Renew a little early so a long page loop does not hit the edge.
        self._token_expires = time.monotonic() + max(float(body.get("expires_in", 3600)) - 30, 1)

    @staticmethod
    def _decode(resp: urllib3.BaseHTTPResponse, path: str, decode: Decoder) -> Any:
        if resp.status in RETRY_STATUSES:
            retry_after = resp.headers.get("Retry-After")
            raise RetryableError(
                f"{resp.status} from {path}",
                float(retry_after) if retry_after and retry_after.isdigit() else None,
            )
        if resp.status >= 400:
            raise SourceError(f"{resp.status} from {path}: {_text(resp.data, 300)}")
        try:
            return decode(resp.data)
        except ValueError as exc:  # orjson.JSONDecodeError is one
            # A body cut off mid-way is a transport fault: ask again.
            raise RetryableError(f"invalid JSON from {path}: {exc}") from exc


def _keeping(decode: Decoder | None, received: list[bytes]) -> Decoder:
    """``decode``, keeping the bytes of the body it read (appended to ``received``)."""
    inner = decode or orjson.loads

    def keep(data: bytes) -> Any:
        out = inner(data)
        received.append(data)
        return out

    return keep


def _proxy_for(url: str) -> str | None:
    """The proxy the environment (HTTP(S)_PROXY, NO_PROXY) asks for this URL, as httpx did."""
    parts = urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxy


def _text(data: bytes, limit: int) -> str:
    return data[:limit].decode("utf-8", "replace")

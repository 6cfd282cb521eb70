"""``SourceClient.pages`` against a paged listing served by the stdlib on 127.0.0.1 (a stand-in
for an upstream system, written here and independent of the simulator): pages come in order
with two requests in flight, a listing that grows or shrinks is followed as one request at a
time would follow it, an error comes after the pages before it, and a caller that stops early
leaves no request running."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from ingest.common.http import IN_FLIGHT, SourceClient, SourceError
from ingest.common.settings import SourceEndpoint

SIZE = 10


@dataclass
class Listing:
    """``total_pages(number)``: what page ``number`` says of the listing's length;
    ``delay(number)``: how long the source takes over it; ``status(number)``: its HTTP status."""

    total_pages: Callable[[int], int]
    delay: Callable[[int], float] = lambda number: 0.0
    status: Callable[[int], int] = lambda number: 200
    asked: list[int] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(listing: Listing) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real sources

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._send(200, {"access_token": "t", "expires_in": 3600})

        def do_GET(self) -> None:
            number = int(parse_qs(urlsplit(self.path).query)["page"][0])
            with listing.lock:
                listing.asked.append(number)
                listing.in_flight += 1
                listing.most_in_flight = max(listing.most_in_flight, listing.in_flight)
            try:
                time.sleep(listing.delay(number))
                if (status := listing.status(number)) != 200:
                    self._send(status, {"error": {"code": "X", "message": f"page {number}"}})
                    return
                pages = listing.total_pages(number)
                rows = [{"id": f"{number}-{i}"} for i in range(SIZE)] if number <= pages else []
                self._send(
                    200,
                    {
                        "data": rows,
                        "page": number,
                        "page_size": SIZE,
                        "total": pages * SIZE,
                        "total_pages": pages,
                    },
                )
            finally:
                with listing.lock:
                    listing.in_flight -= 1

    return Handler


@contextmanager
def served(listing: Listing) -> Iterator[SourceClient]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(listing))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with SourceClient(SourceEndpoint(base, "id", "secret"), timeout=5.0) as client:
            yield client
    finally:
        server.shutdown()
        server.server_close()


def numbers(client: SourceClient, prefetch: int) -> list[int]:
    out = []
    for page in client.pages("/items", {}, SIZE, prefetch=prefetch):
        assert [r["id"] for r in page.records] == [f"{page.number}-{i}" for i in range(SIZE)]
        out.append(page.number)
    return out


def test_pages_come_in_order_with_two_requests_in_flight() -> None:
    # the source is slowest on the even pages: answers arrive out of order
    listing = Listing(total_pages=lambda n: 12, delay=lambda n: 0.06 if n % 2 == 0 else 0.01)
    with served(listing) as client:
        assert numbers(client, prefetch=5) == list(range(1, 13))
    assert listing.most_in_flight == IN_FLIGHT == 2
    assert sorted(listing.asked) == list(range(1, 13))  # each page asked once

    one = Listing(total_pages=lambda n: 12, delay=lambda n: 0.01)
    with served(one) as client:
        assert numbers(client, prefetch=0) == list(range(1, 13))
    assert one.most_in_flight == 1


@pytest.mark.parametrize(
    ("says", "expected"),
    [
        # pages 1-2 say 6 pages, page 3 says 3: the listing shrank, page 3 is the last
        (lambda n: 6 if n <= 2 else 3, [1, 2, 3]),
        # pages 1-2 say 3 pages, pages 3-5 say 5: it grew, pages 4 and 5 are taken too
        (lambda n: 3 if n <= 2 else 5, [1, 2, 3, 4, 5]),
        (lambda n: 0, [1]),  # an empty listing: its one page
    ],
)
def test_a_listing_that_changes_is_followed_as_one_request_at_a_time_would(
    says: Callable[[int], int], expected: list[int]
) -> None:
    for prefetch in (0, 4):
        listing = Listing(total_pages=says)
        with served(listing) as client:
            got = [p.number for p in client.pages("/items", {}, SIZE, prefetch=prefetch)]
        assert got == expected, prefetch


def test_an_error_comes_after_the_pages_before_it() -> None:
    listing = Listing(total_pages=lambda n: 8, status=lambda n: 404 if n == 4 else 200)
    got: list[int] = []
    with served(listing) as client, pytest.raises(SourceError, match="404 from /items"):
        for page in client.pages("/items", {}, SIZE, prefetch=6):
            got.append(page.number)
    assert got == [1, 2, 3]


def test_a_caller_that_stops_early_leaves_no_request_running() -> None:
    listing = Listing(total_pages=lambda n: 200, delay=lambda n: 0.02)
    with served(listing) as client:
        pages = client.pages("/items", {}, SIZE, prefetch=5)
        assert next(pages).number == 1
        pages.close()  # the caller goes away
        assert listing.in_flight == 0  # the requests under way were waited for
        asked = len(listing.asked)
        time.sleep(0.2)
        assert len(listing.asked) == asked <= 1 + 5 + IN_FLIGHT  # and nothing asked since

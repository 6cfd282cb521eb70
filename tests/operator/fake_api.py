"""A tiny stand-in for one upstream API (the tourism statistics system, spec/sources.md §4),
written for the operator tests and independent of the simulator: OAuth2 client credentials,
one paged listing, a few records. Served by the stdlib on 127.0.0.1 in a thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CLIENT_ID = "so-vhttdl"
CLIENT_SECRET = "a-secret-for-the-tests"
TOKEN = "token-123"


def figure(ky: str, total: int, kind: str = "CHINH_THUC") -> dict:
    """One monthly figure for the province (56), in the source's own field names."""
    return {
        "ky": ky,
        "ma_dvhc": "56",
        "loai_so_lieu": kind,
        "tong_luot_khach": total,
        "khach_quoc_te": total // 4,
        "khach_noi_dia": total - total // 4,
        "khach_luu_tru": total // 2,
        "ngay_khach_luu_tru": total,
        "doanh_thu_ty_dong": "1.234,5",  # Vietnamese number format, as sources send it
        "cong_suat_phong_pct": 61.5,
        "so_co_so_luu_tru": 410,
        "ngay_cong_bo": f"{ky}-28T09:00:00+07:00",
    }


@dataclass
class FakeApi:
    months: dict[tuple[int, int], list[dict]]
    url: str = ""
    requests: list[str] = field(default_factory=list)


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            api.requests.append(f"POST {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            if urlsplit(self.path).path != "/oauth/token":
                return self._send(404, {"error": {"code": "NOT_FOUND", "message": self.path}})
            if form.get("client_id") != [CLIENT_ID] or form.get("client_secret") != [CLIENT_SECRET]:
                return self._send(401, {"error": {"code": "UNAUTHORIZED", "message": "bad"}})
            return self._send(200, {"access_token": TOKEN, "expires_in": 3600})

        def do_GET(self) -> None:
            api.requests.append(f"GET {self.path}")
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._send(401, {"error": {"code": "UNAUTHORIZED", "message": "token"}})
            parts = urlsplit(self.path)
            if parts.path != "/api/v1/thong-ke-thang":
                return self._send(404, {"error": {"code": "NOT_FOUND", "message": parts.path}})
            q = {k: v[0] for k, v in parse_qs(parts.query).items()}
            rows = api.months.get((int(q["nam"]), int(q["thang"])), [])
            page, size = int(q.get("page", 1)), int(q.get("page_size", 500))
            chunk = rows[(page - 1) * size : page * size]
            pages = (len(rows) + size - 1) // size
            body = {"data": chunk, "page": page, "page_size": size, "total": len(rows)}
            return self._send(200, {**body, "total_pages": pages})

    return Handler


@contextmanager
def serve(months: dict[tuple[int, int], list[dict]]) -> Iterator[FakeApi]:
    api = FakeApi(months)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()

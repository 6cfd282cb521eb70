"""Run the simulator: in a background thread (tests) or in the foreground (CLI)."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from simulator.app import Settings, build_app


@dataclass(frozen=True)
class RunningSimulator:
    base_url: str  # http://127.0.0.1:<port>
    app: FastAPI

    def url(self, source: str) -> str:
        """Base URL of one source, e.g. http://127.0.0.1:8765/dichvucong."""
        return f"{self.base_url}/{source}"


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class _Server(uvicorn.Server):
    """uvicorn server that writes its base URL to a ready file once it accepts requests."""

    def __init__(
        self, config: uvicorn.Config, base_url: str, ready_file: Path | None, announce: bool
    ) -> None:
        super().__init__(config)
        self.base_url, self.ready_file, self.announce = base_url, ready_file, announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self.announce:
            print(f"simulator: serving at {self.base_url}", file=sys.stderr, flush=True)
        if self.started and self.ready_file:
            tmp = self.ready_file.with_name(self.ready_file.name + ".tmp")
            tmp.write_text(self.base_url + "\n", encoding="utf-8")
            os.replace(tmp, self.ready_file)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.ready_file:
            self.ready_file.unlink(missing_ok=True)
        await super().shutdown(sockets)


def _server(
    settings: Settings,
    sock: socket.socket,
    ready_file: Path | None,
    log_level: str,
    announce: bool = False,
) -> _Server:
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        build_app(settings),
        log_level=log_level,
        access_log=False,
        lifespan="off",
        timeout_keep_alive=30,
    )
    return _Server(config, f"http://{host}:{port}", ready_file, announce)


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8765,
    ready_file: Path | None = None,
    log_level: str = "warning",
) -> None:
    """Serve in the foreground until interrupted (port 0 = any free port)."""
    sock = bind(host, port)
    _server(settings, sock, ready_file, log_level, announce=True).run(sockets=[sock])


@contextmanager
def run_in_thread(
    settings: Settings, host: str = "127.0.0.1", port: int = 0, timeout: float = 30.0
) -> Iterator[RunningSimulator]:
    """Start the simulator in a daemon thread on a free port; stop it on exit."""
    sock = bind(host, port)
    server = _server(settings, sock, None, "warning")
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="simulator"
    )
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("simulator did not start")
        time.sleep(0.02)
    try:
        yield RunningSimulator(server.base_url, server.config.app)
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()

"""Helpers for the simulator tests: a reference client and independent reference data."""

from __future__ import annotations

import csv
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson

SEED, SCALE = 56, 0.01
UNITS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "admin_units"
MARCH = ("2024-03-01T00:00:00+07:00", "2024-04-01T00:00:00+07:00")


@dataclass
class Pull:
    """What a client got for a window: records in arrival order and what happened."""

    records: list[dict] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    pages: list[list[dict]] = field(default_factory=list)
    short_pages: int = 0
    timeouts: int = 0
    retry_after: list[str] = field(default_factory=list)
    total: int = 0
    total_pages: int = 0


class SourceClient:
    """A correct client of one simulated source: refreshes tokens, retries what is transient,
    re-asks a short page. ``retry=False`` makes it naive (takes every page as it comes)."""

    def __init__(self, base: str, client_id: str, secret: str, timeout: float = 10.0) -> None:
        self.base, self.client_id, self.secret = base, client_id, secret
        self.http = httpx.Client(timeout=timeout)
        self.token: str | None = None

    def close(self) -> None:
        self.http.close()

    def fetch_token(self) -> httpx.Response:
        return self.http.post(
            f"{self.base}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.secret,
            },
        )

    def get(
        self, path: str, params: dict, pull: Pull | None = None, retry: bool = True
    ) -> httpx.Response:
        for _ in range(60):
            if self.token is None:
                try:
                    r = self.fetch_token()
                except httpx.TimeoutException:
                    if pull is not None:
                        pull.timeouts += 1
                    continue
                if r.status_code != 200:
                    if pull is not None:
                        pull.statuses.append(r.status_code)
                    time.sleep(0.01)
                    continue
                self.token = r.json()["access_token"]
            try:
                r = self.http.get(
                    f"{self.base}{path}",
                    params=params,
                    headers={"Authorization": f"Bearer {self.token}"},
                )
            except httpx.TimeoutException:
                if pull is not None:
                    pull.timeouts += 1
                continue
            if pull is not None:
                pull.statuses.append(r.status_code)
            if r.status_code == 429 and pull is not None:
                pull.retry_after.append(r.headers.get("Retry-After", ""))
            if r.status_code == 401:
                self.token = None
                continue
            if retry and (r.status_code == 429 or r.status_code >= 500):
                time.sleep(float(r.headers.get("Retry-After", "0")))
                continue
            return r
        raise AssertionError("gave up after 60 attempts")

    def pull(self, tu: str, den: str, page_size: int = 100, retry: bool = True) -> Pull:
        out, page = Pull(), 1
        while True:
            params = {"cap_nhat_tu": tu, "cap_nhat_den": den, "page": page, "page_size": page_size}
            r = self.get("/api/v1/ho-so", params, out, retry)
            assert r.status_code == 200, r.text
            body = orjson.loads(r.content)
            data, out.total, out.total_pages = body["data"], body["total"], body["total_pages"]
            if len(data) < page_size and page < out.total_pages:
                out.short_pages += 1
                if retry:
                    continue
            out.pages.append(data)
            out.records.extend(data)
            if page >= out.total_pages:
                return out
            page += 1


def read_units() -> dict[str, set[str]]:
    """Reference codes of the demo province, read straight from the CSVs."""
    old: dict[str, set[str]] = {"province": set(), "district": set(), "commune": set()}
    with (UNITS_DIR / "units_before_2025_07_01.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["province_code"] in ("56", "58"):
                old["province"].add(r["province_code"])
                old["district"].add(r["district_code"])
                old["commune"].add(r["commune_code"])
    new: set[str] = set()
    every: set[str] = set()
    with (UNITS_DIR / "units_after_2025_07_01.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            every |= {r["province_code"], r["commune_code"]}
            if r["province_code"] == "56":
                new.add(r["commune_code"])
    with (UNITS_DIR / "units_before_2025_07_01.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            every |= {r["province_code"], r["district_code"], r["commune_code"]}
    return {
        "old_province": old["province"],
        "old_district": old["district"],
        "old_commune": old["commune"],
        "new_commune": new,
        "every": every,
    }


def pages_needed(n: int, size: int) -> int:
    return math.ceil(n / size)

"""Login rate limiting (superset_config: AUTH_RATE_LIMIT per client address and user name):
the login form and the REST API's login answer 429 once a user name has been tried too often,
and another user still logs in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from conftest import LiveSuperset

TRIES = 25
PER_WORKER = 10  # AUTH_RATE_LIMIT = "10 per minute", counted in each of the 2 web workers
WORKERS = 2


def _assert_limited(codes: list[int], allowed: int) -> None:
    assert codes[:PER_WORKER] == [allowed] * PER_WORKER, codes  # the first tries are answered
    assert set(codes) <= {allowed, 429}, codes
    assert codes.count(429) >= TRIES - PER_WORKER * WORKERS, codes


def test_api_login_is_rate_limited(live_superset: LiveSuperset) -> None:
    settings = live_superset.settings
    with httpx.Client(base_url=settings.base_url) as client:
        body = {"username": "doan-mat-khau-api", "password": "sai", "provider": "db"}
        codes = [client.post("/api/v1/security/login", json=body).status_code for _ in range(TRIES)]
        _assert_limited(codes, allowed=401)
        admin = {"username": "admin", "password": settings.admin_password, "provider": "db"}
        assert client.post("/api/v1/security/login", json=admin).status_code == 200


def test_login_form_is_rate_limited(live_superset: LiveSuperset) -> None:
    with httpx.Client(base_url=live_superset.settings.base_url) as client:
        page = client.get("/login/").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        form = {"username": "doan-mat-khau-form", "password": "sai", "csrf_token": token[1]}
        codes = [client.post("/login/", data=form).status_code for _ in range(TRIES)]
        _assert_limited(codes, allowed=302)  # a wrong password: back to the login page

"""A small client for Superset's REST API (login, CSRF, JSON calls, bundle import)."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx


class SupersetError(RuntimeError):
    """Superset answered a call with an error status."""


class SupersetClient:
    """A logged-in session against one Superset server (JWT bearer + CSRF token)."""

    def __init__(self, base_url: str, username: str, password: str, timeout: float = 120) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=timeout)
        login = self._http.post(
            "/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": False},
        )
        self._check(login, "log in")
        self._http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        csrf = self._http.get("/api/v1/security/csrf_token/")
        self._check(csrf, "get a CSRF token")
        self._http.headers["X-CSRFToken"] = csrf.json()["result"]
        self._http.headers["Referer"] = base_url

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._http.close()

    @staticmethod
    def _check(response: httpx.Response, action: str) -> None:
        if response.is_error:
            raise SupersetError(
                f"Superset refused to {action}: HTTP {response.status_code} {response.text[:2000]}"
            )

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        response = self._http.get(path, params=params)
        self._check(response, f"GET {path}")
        return response.json()

    def chart_data(self, chart_id: int, force: bool = True) -> httpx.Response:
        """Run a chart's saved query context; `force` bypasses Superset's result cache."""
        return self._http.get(f"/api/v1/chart/{chart_id}/data/", params={"force": str(force)})

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        """POST JSON and return the raw response (callers inspect errors themselves)."""
        return self._http.post(path, json=body)

    def import_assets(self, bundle_zip: bytes) -> None:
        """Import an assets bundle, overwriting every database, dataset, chart and dashboard."""
        response = self._http.post(
            "/api/v1/assets/import/",
            files={"bundle": ("bundle.zip", bundle_zip, "application/zip")},
        )
        self._check(response, "import the bundle")

    def put(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self._http.put(path, json=body)

    def delete(self, path: str) -> None:
        self._check(self._http.delete(path), f"DELETE {path}")

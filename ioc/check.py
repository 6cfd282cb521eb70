"""``ioc check``: is this province's configuration one a refresh can run on?

For each source of the registry: configured or not; for a connection, that it parses into a
base URL, that the host answers, that it accepts the client credentials (one OAuth2 token
request, no retries); for a drop folder, that it exists and can be read, and that no
other source's drop variable names it too. Then the
pseudonymisation key when a source with personal data is configured. Each finding is one
line; a problem makes the command exit non-zero. Settings are read as a process outside
Airflow sees them (``AIRFLOW_CONN_*``, ``AIRFLOW_VAR_*``: see README "Run it for your
province").
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import httpx

from ingest.common.pseudonymise import MIN_KEY_BYTES
from ingest.common.settings import SourceEndpoint
from ioc.sources import (
    PSEUDONYMISATION_KEY,
    SOURCES,
    EnvSettings,
    Source,
    configuration,
    env_name,
    shared_drop_folders,
)

TIMEOUT = 10.0  # seconds for one request to a source


@dataclass(frozen=True)
class Finding:
    subject: str  # a source name, or "pseudonymisation"
    ok: bool | None  # None: nothing to check (a source not configured)
    message: str

    @property
    def mark(self) -> str:
        return {True: "ok", False: "PROBLEM", None: "--"}[self.ok]

    @property
    def line(self) -> str:
        return f"{self.mark:7} {self.subject}: {self.message}"


def check() -> list[Finding]:
    """Every finding for this process's environment, in registry order, then the key."""
    settings = EnvSettings.current()
    findings: list[Finding] = []
    for source in SOURCES.values():
        findings += check_source(source, settings)
    findings += [Finding("drop folders", False, shared) for shared in shared_drop_folders(settings)]
    needing = [
        s.name
        for s in SOURCES.values()
        if s.needs_pseudonymisation_key and configuration(s, settings).is_configured
    ]
    if needing:
        findings.append(check_key(settings.variable(PSEUDONYMISATION_KEY), needing))
    if all(f.ok is None for f in findings):
        wanted = ", ".join(i for s in SOURCES.values() for i in s.inputs)
        findings.append(Finding("sources", False, f"no source is configured: set {wanted}"))
    return findings


def check_source(source: Source, settings: EnvSettings) -> list[Finding]:
    state = configuration(source, settings)
    if not state.is_configured:
        wanted = " or ".join(source.inputs)
        return [Finding(source.name, None, f"not configured (its DAG will not run; set {wanted})")]
    out = []
    if source.conn_id and state.has_connection:
        out.append(check_connection(source.name, source.conn_id))
    if source.drop_variable and state.drop_dir:
        out.append(check_drop_dir(source.name, source.drop_variable, state.drop_dir))
    return out


def check_connection(name: str, conn_id: str) -> Finding:
    var = env_name("conn", conn_id)
    try:
        endpoint = SourceEndpoint.from_env(conn_id)  # the connectors decide what is valid
    except (ValueError, KeyError) as exc:
        return Finding(name, False, f"{var} cannot be read: {exc}")
    url = f"{endpoint.base_url}/oauth/token"
    form = {
        "grant_type": "client_credentials",
        "client_id": endpoint.client_id,
        "client_secret": endpoint.client_secret,
    }
    try:
        resp = httpx.post(url, data=form, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        return Finding(name, False, f"{endpoint.base_url} is unreachable ({var}): {_reason(exc)}")
    if resp.status_code in (400, 401, 403):
        return Finding(
            name,
            False,
            f"{endpoint.base_url} refused the credentials of {var} "
            f"(HTTP {resp.status_code}): check its login (client id) and password (secret)",
        )
    if resp.status_code >= 300:
        return Finding(name, False, f"{url} answered HTTP {resp.status_code} ({var})")
    try:
        resp.json()["access_token"]
    except (ValueError, KeyError, TypeError):
        return Finding(name, False, f"{url} answered without an access token: is it the API?")
    return Finding(name, True, f"{endpoint.base_url} reachable, credentials accepted")


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def check_drop_dir(name: str, variable: str, value: str) -> Finding:
    var = env_name("var", variable)
    folder = Path(value)
    if not folder.exists():
        return Finding(name, False, f"drop folder {folder} ({var}) does not exist")
    if not folder.is_dir():
        return Finding(name, False, f"drop folder {folder} ({var}) is not a folder")
    if not os.access(folder, os.R_OK | os.X_OK):
        return Finding(name, False, f"drop folder {folder} ({var}) cannot be read by this user")
    try:
        files = [p for p in folder.iterdir() if p.is_file()]
    except OSError as exc:
        return Finding(name, False, f"drop folder {folder} ({var}) cannot be listed: {exc}")
    unreadable = [p.name for p in files if not os.access(p, os.R_OK)]
    if unreadable:
        shown = ", ".join(sorted(unreadable)[:5])
        return Finding(
            name, False, f"{len(unreadable)} file(s) in {folder} cannot be read: {shown}"
        )
    return Finding(name, True, f"drop folder {folder} readable, {len(files)} file(s)")


def check_key(value: str | None, sources: list[str]) -> Finding:
    var = env_name("var", PSEUDONYMISATION_KEY)
    used_by = ", ".join(sources)
    if not value:
        return Finding(
            "pseudonymisation",
            False,
            f"no key: set {var} (at least {MIN_KEY_BYTES} bytes, secret and "
            f"stable) — {used_by} cannot load owner data without it",
        )
    size = len(value.encode("utf-8"))
    if size < MIN_KEY_BYTES:
        return Finding(
            "pseudonymisation",
            False,
            f"{var} is {size} bytes; it needs at least {MIN_KEY_BYTES}",
        )
    return Finding("pseudonymisation", True, f"key set ({size} bytes), used by {used_by}")

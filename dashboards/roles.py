"""Roles, their row-level security and demo users, as code (``roles.yaml``), over the REST API.

Each role gets Gamma's permissions (view only, no SQL Lab) — and sql_lab's too when it says
``sql_lab: true`` (analysts; row-level security then applies in SQL Lab, RLS_IN_SQLLAB) — plus
``datasource_access`` on the datasets it may read, and one row-level security rule per dataset
that has a clause. Re-running replaces the role's permissions and rules, so the YAML stays the
only source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dashboards.api import SupersetClient, SupersetError

ROLES_FILE = Path(__file__).resolve().parent / "roles.yaml"
BASE_ROLE = "Gamma"
SQL_LAB_ROLE = "sql_lab"


def role_definitions() -> list[dict[str, Any]]:
    return yaml.safe_load(ROLES_FILE.read_text(encoding="utf-8"))["roles"]


def dataset_scope(role: dict[str, Any], bundle_tables: list[str]) -> dict[str, str | None]:
    """Table name → RLS clause (None: every row) of the datasets the role may read."""
    if role["datasets"] == "all":
        return dict.fromkeys(bundle_tables)
    unknown = set(role["datasets"]) - set(bundle_tables)
    if unknown:
        raise ValueError(f"{ROLES_FILE}: role {role['name']!r} names unknown datasets {unknown}")
    return dict(role["datasets"])


def _all_pages(client: SupersetClient, path: str, columns: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 0
    while True:
        batch = client.get(path, q=f"(columns:!({columns}),page:{page},page_size:100)")["result"]
        rows += batch
        if len(batch) < 100:
            return rows
        page += 1


def _checked(response: Any, action: str) -> dict[str, Any]:
    if response.is_error:
        raise SupersetError(f"{action}: HTTP {response.status_code} {response.text[:2000]}")
    return response.json() if response.content else {}


def _role_ids(client: SupersetClient) -> dict[str, int]:
    return {r["name"]: r["id"] for r in _all_pages(client, "/api/v1/security/roles/", "id,name")}


def apply_roles(
    client: SupersetClient, datasets: dict[str, int], demo_password: str | None
) -> dict[str, int]:
    """Create or update every role of ``roles.yaml``; return role name → id."""
    roles = _role_ids(client)
    base, sql_lab = (
        [
            p["id"]
            for p in client.get(f"/api/v1/security/roles/{roles[name]}/permissions/")["result"]
        ]
        for name in (BASE_ROLE, SQL_LAB_ROLE)
    )
    pvms = _all_pages(
        client, "/api/v1/security/permissions-resources/", "id,permission.name,view_menu.name"
    )
    access = {
        row["view_menu"]["name"]: row["id"]
        for row in pvms
        if row["permission"]["name"] == "datasource_access"
    }
    _let_the_login_page_speak_vietnamese(client, roles, pvms)
    ours = {}
    for role in role_definitions():
        name = role["name"]
        if name not in roles:
            created = _checked(client.post("/api/v1/security/roles/", {"name": name}), name)
            roles[name] = created["id"]
        ours[name] = roles[name]
        scope = dataset_scope(role, sorted(datasets))
        readable = [
            pvm for view, pvm in access.items()
            for table in scope if view.endswith(f".[{table}](id:{datasets[table]})")
        ]  # fmt: skip
        if len(readable) != len(scope):
            raise SupersetError(f"role {name!r}: no datasource_access for some of {list(scope)}")
        granted = base + sql_lab if role.get("sql_lab") else base
        body = {"permission_view_menu_ids": sorted(set(granted)) + readable}
        _checked(client.post(f"/api/v1/security/roles/{roles[name]}/permissions", body), name)
    _apply_rls(client, datasets, ours)
    if demo_password:
        _apply_users(client, ours, demo_password)
    return ours


def _let_the_login_page_speak_vietnamese(
    client: SupersetClient, roles: dict[str, int], pvms: list[dict[str, Any]]
) -> None:
    """The login page, shown before anyone logs in, fetches the language pack: Public (the
    anonymous user's role) may read it, and nothing else."""
    (pack,) = [
        row["id"]
        for row in pvms
        if (row["permission"]["name"], row["view_menu"]["name"])
        == ("can_language_pack", "Superset")
    ]
    body = {"permission_view_menu_ids": [pack]}
    _checked(client.post(f"/api/v1/security/roles/{roles['Public']}/permissions", body), "Public")


def _apply_rls(client: SupersetClient, datasets: dict[str, int], ours: dict[str, int]) -> None:
    """Drop every rule on our roles, then create one rule per role × restricted dataset."""
    rules = _all_pages(client, "/api/v1/rowlevelsecurity/", "id,name,roles.id")
    stale = [r["id"] for r in rules if {x["id"] for x in r["roles"]} & set(ours.values())]
    for rule_id in stale:
        client.delete(f"/api/v1/rowlevelsecurity/{rule_id}")
    for role in role_definitions():
        for table, clause in dataset_scope(role, sorted(datasets)).items():
            if clause is None:
                continue
            body = {
                "name": f"{role['name']} — {table}",
                "description": role["description"],
                "filter_type": "Regular",
                "tables": [datasets[table]],
                "roles": [ours[role["name"]]],
                "clause": clause,
            }
            _checked(client.post("/api/v1/rowlevelsecurity/", body), body["name"])


def _apply_users(client: SupersetClient, ours: dict[str, int], password: str) -> None:
    users = {
        u["username"]: u["id"] for u in _all_pages(client, "/api/v1/security/users/", "id,username")
    }
    for role in role_definitions():
        body = {
            "first_name": role["name"],
            "last_name": "(demo)",
            "username": role["user"],
            "email": f"{role['user']}@ioc.invalid",
            "active": True,
            "password": password,
            "roles": [ours[role["name"]]],
        }
        if role["user"] in users:
            response = client.put(f"/api/v1/security/users/{users[role['user']]}", body)
        else:
            response = client.post("/api/v1/security/users/", body)
        _checked(response, f"user {role['user']}")

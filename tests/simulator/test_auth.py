"""OAuth2 client-credentials: good and bad secrets, missing tokens, expiry."""

from __future__ import annotations

import time

import httpx

from simulator import Settings, run_in_thread

HO_SO = {"cap_nhat_tu": "2024-03-01T00:00:00+07:00", "cap_nhat_den": "2024-03-02T00:00:00+07:00"}


def _token(http: httpx.Client, base: str, cid: str, secret: str, **extra: str) -> httpx.Response:
    return http.post(
        f"{base}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": cid,
            "client_secret": secret,
            **extra,
        },
    )


def test_good_secret_gets_a_working_token(sim, credentials) -> None:
    base = sim.url("dichvucong")
    with httpx.Client() as http:
        r = _token(http, base, *credentials)
        assert r.status_code == 200
        body = r.json()
        assert body["expires_in"] == 3600 and len(body["access_token"]) >= 32
        data = http.get(
            f"{base}/api/v1/ho-so",
            params=HO_SO,
            headers={"Authorization": f"Bearer {body['access_token']}"},
        )
        assert data.status_code == 200


def test_wrong_secret_or_id_is_401_with_error_json(sim, credentials) -> None:
    base = sim.url("dichvucong")
    with httpx.Client() as http:
        for cid, secret in (
            (credentials[0], "wrong"),
            ("someone-else", credentials[1]),
            (credentials[0], ""),
        ):
            r = _token(http, base, cid, secret)
            assert r.status_code == 401
            err = r.json()["error"]
            assert err["code"] == "invalid_client" and err["message"]
        r = http.post(
            f"{base}/oauth/token",
            data={
                "grant_type": "password",
                "client_id": credentials[0],
                "client_secret": credentials[1],
            },
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "unsupported_grant_type"


def test_http_basic_client_credentials_are_accepted(sim, credentials) -> None:
    with httpx.Client() as http:
        r = http.post(
            f"{sim.url('dichvucong')}/oauth/token",
            auth=credentials,
            data={"grant_type": "client_credentials"},
        )
        assert r.status_code == 200, r.text


def test_data_needs_a_valid_bearer_token(sim) -> None:
    base = sim.url("dichvucong")
    with httpx.Client() as http:
        for headers in (
            {},
            {"Authorization": "Bearer not-a-token"},
            {"Authorization": "Basic abc"},
        ):
            for path in ("/api/v1/ho-so", "/api/v1/thu-tuc"):
                r = http.get(f"{base}{path}", params=HO_SO, headers=headers)
                assert r.status_code == 401
                assert r.json()["error"]["code"] in ("unauthorized", "invalid_token")


def test_token_expires_after_its_lifetime(credentials) -> None:
    settings = Settings(
        client_id=credentials[0], client_secret=credentials[1], scale=0.002, token_ttl=1
    )
    with run_in_thread(settings) as sim, httpx.Client() as http:
        base = sim.url("dichvucong")
        r = _token(http, base, *credentials)
        assert r.json()["expires_in"] == 1
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        assert http.get(f"{base}/api/v1/thu-tuc", headers=headers).status_code == 200
        time.sleep(1.1)
        expired = http.get(f"{base}/api/v1/thu-tuc", headers=headers)
        assert expired.status_code == 401 and expired.json()["error"]["code"] == "invalid_token"
        fresh = _token(http, base, *credentials).json()["access_token"]
        ok = http.get(f"{base}/api/v1/thu-tuc", headers={"Authorization": f"Bearer {fresh}"})
        assert ok.status_code == 200


def test_fault_token_dies_after_n_requests(sim, credentials, faults) -> None:
    faults({"token_max_requests": 3})
    base = sim.url("dichvucong")
    with httpx.Client() as http:
        headers = {
            "Authorization": f"Bearer {_token(http, base, *credentials).json()['access_token']}"
        }
        codes = [http.get(f"{base}/api/v1/thu-tuc", headers=headers).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 401, 401]


def test_fault_token_dies_after_n_seconds(sim, credentials, faults) -> None:
    faults({"token_ttl_seconds": 0.5})
    base = sim.url("dichvucong")
    with httpx.Client() as http:
        r = _token(http, base, *credentials)
        assert r.json()["expires_in"] == 3600  # the advertised lifetime is not what happens
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        assert http.get(f"{base}/api/v1/thu-tuc", headers=headers).status_code == 200
        time.sleep(0.6)
        assert http.get(f"{base}/api/v1/thu-tuc", headers=headers).status_code == 401

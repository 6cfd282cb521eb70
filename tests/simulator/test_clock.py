"""The simulated "now": shared by every source, movable by tests, never past the data."""

from __future__ import annotations

import httpx

from simulator import Settings, run_in_thread
from simulator.clock import AS_OF


def test_clock_defaults_moves_and_refuses_nonsense(sim) -> None:
    http = httpx.Client(base_url=sim.base_url)
    services = sim.app.state.services
    try:
        assert http.get("/_sim/clock").json()["as_of"] == AS_OF.isoformat()
        r = http.post("/_sim/clock", json={"as_of": "2024-04-05T09:00:00+07:00"})
        assert r.status_code == 200 and r.json()["as_of"] == "2024-04-05T09:00:00+07:00"
        # One clock for the world: every source sees the same instant.
        assert len({id(s.ctx.clock) for s in services.values()}) == 1
        for bad in ({"as_of": "2027-01-01T00:00:00+07:00"}, {"as_of": "soon"}, {}):
            assert http.post("/_sim/clock", json=bad).status_code == 400
        assert http.get("/_sim/clock").json()["as_of"] == "2024-04-05T09:00:00+07:00"
    finally:
        http.post("/_sim/clock", json={"as_of": AS_OF.isoformat()})


def test_file_sources_drop_into_their_own_folder(tmp_path) -> None:
    settings = Settings("id", "secret", scale=0.005, drop_dir=tmp_path)
    with run_in_thread(settings) as running:
        services = running.app.state.services
        for name, service in services.items():
            assert service.ctx.drop_dir == tmp_path / name
        body = httpx.post(f"{running.base_url}/_sim/drops").json()
        droppers = {n for n, s in services.items() if hasattr(s, "drop")}
        assert set(body["dropped"]) == droppers

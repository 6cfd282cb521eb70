"""The small parts of the history run and of ``ioc airflow start``: when the history's pulls
stop, and the scheduler's log server port (a free one, kept while the scheduler runs, unless
the operator set one). The whole run under a real scheduler: test_scheduler.py."""

from __future__ import annotations

import socket
from datetime import datetime

import pendulum

from dags.closing_tasks import history_end
from ioc import airflow_services
from ioc.airflow_services import LOG_SERVER_PORT, log_server_port


def test_the_history_stops_at_the_close_of_its_last_month() -> None:
    tz = "Asia/Ho_Chi_Minh"
    triggered = pendulum.datetime(2026, 12, 6, 1, 0, tz="UTC")  # 08:00 local on 6 December
    # August's reports are due on 18 September: its close is 01:00 local on the 19th
    assert history_end("2026-08", triggered) == pendulum.datetime(2026, 9, 19, 1, tz=tz)
    # by default the last month closed when the run was triggered: October (19 November);
    # November closes on 19 December
    assert history_end(None, triggered) == pendulum.datetime(2026, 11, 19, 1, tz=tz)
    on_the_day = pendulum.datetime(2026, 11, 18, 18, 0, tz="UTC")  # 01:00 local, 19 November
    assert history_end(None, on_the_day).naive() == datetime(2026, 11, 19, 1)
    assert history_end(None, on_the_day.subtract(minutes=1)).naive() == datetime(2026, 10, 19, 1)


def test_the_log_server_gets_a_free_port_unless_the_operator_set_one(tmp_path, monkeypatch):
    kept = tmp_path / "run" / "log_server.port"
    assert log_server_port({LOG_SERVER_PORT: "9911"}, kept) == "9911"
    assert not kept.exists()

    chosen = log_server_port({}, kept)
    assert kept.read_text() == chosen
    with socket.socket() as s:  # free: it can be bound
        s.bind(("127.0.0.1", int(chosen)))
    # while the scheduler that got it runs, the same port (the API server must find it)
    monkeypatch.setattr(airflow_services, "running", lambda name: 4242)
    assert log_server_port({}, kept) == chosen
    # once it is gone, a new free one
    monkeypatch.setattr(airflow_services, "running", lambda name: None)
    with socket.socket() as held:
        held.bind(("127.0.0.1", int(chosen)))
        held.listen()
        assert log_server_port({}, kept) != chosen

"""refresh/dbt_events.py: debug events nothing writes are neither built nor sent; the lines
written are the same."""

from __future__ import annotations

import inspect
import io
from collections.abc import Iterator
from contextlib import contextmanager

from dbt.adapters.events.types import SQLQuery
from dbt.tracking import track_behavior_change_warn
from dbt_common.events.base_types import BaseEvent, EventLevel, msg_from_base_event
from dbt_common.events.event_manager import EventManager
from dbt_common.events.logger import PRINT_EVENT_NAMES, LineFormat, LoggerConfig, _Logger
from dbt_common.events.types import Note

from refresh.dbt_events import only_logged_events


def parameters(method) -> list[str]:
    return list(inspect.signature(method).parameters)


def test_the_methods_replaced_are_dbts_and_are_restored() -> None:
    # (fails here when a dbt upgrade renames or reshapes them)
    init, fire_event = BaseEvent.__dict__["__init__"], EventManager.__dict__["fire_event"]
    assert parameters(init) == ["self", "args", "kwargs"]
    assert parameters(BaseEvent.__getattr__) == ["self", "key"]
    assert parameters(BaseEvent.__setattr__) == ["self", "key", "value"]
    assert parameters(fire_event) == ["self", "e", "level", "node", "force_warn_or_error_handling"]
    assert set(PRINT_EVENT_NAMES) >= {"PrintEvent"}
    assert hasattr(EventManager(), "callbacks") and hasattr(EventManager(), "loggers")
    with only_logged_events():
        assert BaseEvent.__init__ is not init and EventManager.fire_event is not fire_event
    assert BaseEvent.__dict__["__init__"] is init
    assert EventManager.__dict__["fire_event"] is fire_event


def text_logger(name: str, level: EventLevel, out: io.StringIO) -> _Logger:
    from dbt_common.events.logger import _TextLogger

    config = LoggerConfig(
        name=name, level=level, line_format=LineFormat.PlainText, output_stream=out
    )
    return _TextLogger(config)


@contextmanager
def manager(*levels: EventLevel) -> Iterator[tuple[EventManager, list[io.StringIO]]]:
    """An event manager as dbt sets one up: text loggers at ``levels``, dbt's tracker."""
    events = EventManager()
    outs = [io.StringIO() for _ in levels]
    for i, (level, out) in enumerate(zip(levels, outs, strict=True)):
        events.loggers.append(text_logger(f"test_dbt_events_{i}", level, out))
    events.callbacks.append(track_behavior_change_warn)
    yield events, outs


def fire(events: EventManager) -> list[SQLQuery]:
    fired = [
        SQLQuery(conn_name="model.ioc.x", sql="select 1", node_info={}),
        Note(msg="1 of 2 START"),
        SQLQuery(conn_name="model.ioc.x", sql="select 2", node_info={}),
    ]
    events.fire_event(fired[0])
    events.fire_event(fired[1], level=EventLevel.INFO)
    events.fire_event(fired[2])
    return fired


def messages(out: io.StringIO) -> list[str]:
    return [line.split("  ", 1)[1] for line in out.getvalue().splitlines()]  # after the time


def test_a_debug_event_nothing_writes_is_neither_built_nor_sent() -> None:
    with manager(EventLevel.INFO, EventLevel.WARN) as (events, outs), only_logged_events():
        query, note, _ = fire(events)
        assert "pb_msg" not in query.__dict__  # its message never made
        assert "pb_msg" in note.__dict__
    assert messages(outs[0]) == ["1 of 2 START"]
    assert messages(outs[1]) == []
    # read later, it is whole
    assert query.sql == "select 1" and query.message() == "On model.ioc.x: select 1"
    assert msg_from_base_event(query).data.conn_name == "model.ioc.x"


def test_a_debug_event_is_sent_when_a_logger_or_a_callback_may_take_it() -> None:
    with manager(EventLevel.INFO, EventLevel.DEBUG) as (events, outs):
        fire(events)
    expected = messages(outs[1])
    assert expected == ["On model.ioc.x: select 1", "1 of 2 START", "On model.ioc.x: select 2"]
    with manager(EventLevel.INFO, EventLevel.DEBUG) as (events, outs), only_logged_events():
        fire(events)
    assert messages(outs[1]) == expected and messages(outs[0]) == ["1 of 2 START"]

    taken: list[str] = []
    with manager(EventLevel.INFO) as (events, outs), only_logged_events():
        events.callbacks.append(lambda msg: taken.append(msg.info.msg))
        fire(events)
    assert taken == expected and messages(outs[0]) == ["1 of 2 START"]

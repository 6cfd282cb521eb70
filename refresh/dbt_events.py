"""dbt's debug events neither built nor sent when nothing would write them.

dbt fires ~20 events a node at debug level (every statement, its status, BEGIN/ROLLBACK,
connection hand-overs), none written: its loggers (stdout and dbt.log) are at info
(refresh/dbt.py). Each event is still made into a protobuf message from its fields when it
is created (``BaseEvent.__init__``: ``ParseDict``), then again with its message text, time,
thread and invocation when fired (``EventManager.fire_event``: ``msg_from_base_event``),
before each logger drops it (refresh/dbt_log.py skips only the formatting): 13-19 % of the
Python of a month's or a no-op build (py-spy, SF1).

``only_logged_events`` (for one invocation) makes a debug event keep its fields and build its
message when something reads it, and ``fire_event`` drop a debug event when every logger is
above debug and the only callback is dbt's own tracker of behaviour-change warnings (which
reads no other event). The lines written are the same; an event fired at info or above, or
while any logger writes debug (``--debug``, ``--log-level debug``), or with a callback of the
caller's, goes as before (tests/dbt/test_dbt_events.py). Should dbt change the methods
replaced, the test fails, so an upgrade is noticed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

_LAZY = "_fields"  # a debug event's fields until its message is built


@cache
def _dbts() -> tuple:
    """dbt's tracker callback, the debug levels, the events printed as errors, its logger."""
    from dbt.tracking import track_behavior_change_warn
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.logger import PRINT_EVENT_NAMES, _Logger

    quiet = (EventLevel.DEBUG, EventLevel.TEST)
    return track_behavior_change_warn, quiet, PRINT_EVENT_NAMES, _Logger


def _written_by_none(manager: Any, event: Any, level: Any, force: bool) -> bool:
    """Whether firing ``event`` would change nothing: a debug event, every logger one of
    dbt's own above debug (``_Logger.write_line``: the line sent to its Python logger at the
    event's level), no callback but dbt's tracker."""
    tracker, quiet, printed, dbt_logger = _dbts()
    if force or (level or event.level_tag()) not in quiet:
        return False
    if type(event).__name__ in printed:  # written as errors (dbt's --quiet)
        return False
    if any(callback is not tracker for callback in manager.callbacks):
        return False
    return all(
        isinstance(logger, dbt_logger)
        and logger._python_logger is not None
        and not logger._python_logger.isEnabledFor(logging.DEBUG)
        for logger in manager.loggers
    )


def _read_builds_it() -> None:
    """A debug event kept as its fields builds its message when read or changed (installed
    once per process: an event made inside ``only_logged_events`` may be read after it)."""
    from dbt_common.events.base_types import BaseEvent

    if getattr(BaseEvent.__getattr__, "builds", False):
        return
    init, getattr_, setattr_ = BaseEvent.__init__, BaseEvent.__getattr__, BaseEvent.__setattr__

    def build(event: Any) -> None:
        fields = event.__dict__.pop(_LAZY, None)
        if fields is not None:
            init(event, **fields)

    def build_then_get(self: Any, key: str) -> Any:
        if key != _LAZY and _LAZY in self.__dict__:
            build(self)
            return getattr(self, key)
        return getattr_(self, key)

    def build_then_set(self: Any, key: str, value: Any) -> None:
        build(self)
        setattr_(self, key, value)

    build_then_get.builds = True  # type: ignore[attr-defined]
    BaseEvent.__getattr__ = build_then_get
    BaseEvent.__setattr__ = build_then_set


@contextmanager
def only_logged_events() -> Iterator[None]:
    """Inside, a debug event keeps its fields until read and is not fired when nothing would
    write it (``_written_by_none``)."""
    from dbt_common.events.base_types import BaseEvent, DebugLevel, TestLevel
    from dbt_common.events.event_manager import EventManager

    init, fire_event = BaseEvent.__dict__["__init__"], EventManager.__dict__["fire_event"]
    _read_builds_it()

    def keep_fields(self: Any, *args: Any, **kwargs: Any) -> None:
        if args or not isinstance(self, (DebugLevel, TestLevel)):
            init(self, *args, **kwargs)
        else:
            object.__setattr__(self, _LAZY, kwargs)

    def fire_logged_event(
        self: Any,
        e: Any,
        level: Any = None,
        node: Any = None,
        force_warn_or_error_handling: bool = False,
    ) -> None:
        if not _written_by_none(self, e, level, force_warn_or_error_handling):
            fire_event(self, e, level, node, force_warn_or_error_handling)

    BaseEvent.__init__ = keep_fields
    EventManager.fire_event = fire_logged_event
    try:
        yield
    finally:
        BaseEvent.__init__ = init
        EventManager.fire_event = fire_event

"""dbt's log lines formatted only when a logger writes them.

dbt fires ~20 events a node (every statement, BEGIN/ROLLBACK, connection hand-overs) and
formats each for every logger — the time, the thread, the message scrubbed of secrets by a
scan of the whole environment — before Python's logging drops it below the logger's level
(stdout and dbt.log at info: 9 lines in 10). ``write_only_logged_lines`` makes dbt's
loggers ask first, as ``send_to_logger`` would: the lines written are the same, the
dropped ones cost nothing (about 3 ms of a test node's ~30 ms).
"""

from __future__ import annotations

import logging

# dbt_common.events.logger.send_to_logger: an event's level → the logging call it makes
_LEVELS = {
    "test": logging.DEBUG,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "error": logging.ERROR,
}


def write_only_logged_lines() -> None:
    """Patch dbt's loggers (once per process) to skip the lines their logger would drop."""
    from dbt_common.events import logger as dbt_logger

    cls = dbt_logger._Logger
    if getattr(cls.write_line, "only_logged", False):
        return
    write_line = cls.write_line

    def write_logged_line(self, msg) -> None:
        python_logger = self._python_logger
        level = _LEVELS.get(msg.info.level)
        if (
            python_logger is not None
            and level is not None
            and not dbt_logger._is_print_event(msg)  # sent as errors (dbt's --quiet)
            and not python_logger.isEnabledFor(level)
        ):
            return
        write_line(self, msg)

    write_logged_line.only_logged = True  # type: ignore[attr-defined]
    cls.write_line = write_logged_line

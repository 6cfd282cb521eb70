"""refresh/dbt_log.py: dbt's loggers write the same lines and format no other."""

from __future__ import annotations

import io

from dbt_common.events.base_types import EventLevel, msg_from_base_event
from dbt_common.events.logger import LineFormat, LoggerConfig, _TextLogger
from dbt_common.events.types import Note

from refresh.dbt_log import write_only_logged_lines


def test_lines_below_the_level_are_neither_written_nor_formatted() -> None:
    write_only_logged_lines()
    write_only_logged_lines()  # once per process, however often a refresh calls it
    scrubbed: list[str] = []

    def scrubber(line: str) -> str:
        scrubbed.append(line)
        return line

    out = io.StringIO()
    logger = _TextLogger(
        LoggerConfig(
            name="test_dbt_log",
            level=EventLevel.INFO,
            line_format=LineFormat.DebugText,
            scrubber=scrubber,
            output_stream=out,
        )
    )
    for text, level in [
        ("select 1", EventLevel.DEBUG),
        ("1 of 2 START", EventLevel.INFO),
        ("cannot cast", EventLevel.ERROR),
        ("BEGIN", EventLevel.DEBUG),
    ]:
        logger.write_line(msg_from_base_event(Note(msg=text), level=level))
    lines = out.getvalue().splitlines()
    assert [line.split("]: ", 1)[1] for line in lines] == ["1 of 2 START", "cannot cast"]
    assert "[error]" in lines[1]
    assert scrubbed == ["1 of 2 START", "cannot cast"]

"""``ioc schedule`` (``bin/ioc schedule``) as an operator runs it: the next twelve months of
every DAG's runs, printed from the DAG folder as Airflow parses it, match the reporting
calendar of Decree 09/2019/NĐ-CP as the due-date seed states it.

The expected closes are worked out here from the regime, written out by hand (monthly reports
due the 18th of the next month; quarterly, 6- and 9-monthly the 20th of the next month;
annual 31 January; a period closes at 01:00 the day after), checked against the seed, and
from the window the command printed. Holidays move nothing: a close in Tết's weeks (late
January, February) is on the same day as any other month's."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta

from ingest.common.settings import REPO_ROOT

# period type → (the months its periods end in, months after the end, due day)
REGIME = {
    "month": (tuple(range(1, 13)), 1, 18),
    "quarter": ((3, 6, 9, 12), 1, 20),
    "half_year": ((6, 12), 1, 20),
    "nine_months": ((9,), 1, 20),
    "year": ((12,), 1, 31),
}
LABEL = {"month": "{y}-{m:02d}", "quarter": "{y}-Q{q}", "half_year": "{y}-H{h}",
         "nine_months": "{y}-9M", "year": "{y}"}  # fmt: skip


def _expected_closes(period_type: str, start: datetime, end: datetime) -> list[str]:
    ends, after, day = REGIME[period_type]
    lines = []
    for y in range(start.year - 1, end.year + 1):
        for m in ends:
            due_y, due_m = (y + 1, m + after - 12) if m + after > 12 else (y, m + after)
            due = date(due_y, due_m, day)
            closes = datetime.combine(due + timedelta(days=1), datetime.min.time()).replace(hour=1)
            if start <= closes <= end:
                label = LABEL[period_type].format(y=y, m=m, q=m // 3, h=m // 6)
                lines.append(f"  {closes:%Y-%m-%d %H:%M}  closes {label} (due {due:%Y-%m-%d})")
    return lines


def test_the_seed_states_the_regime() -> None:
    with (REPO_ROOT / "dbt_project" / "seeds" / "report_due_rules.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if not r["indicator_set_code"]]
    seeded = {
        r["period_type"]: (int(r["months_after_period_end"]), int(r["due_day"])) for r in rows
    }
    assert seeded == {t: rule[1:] for t, rule in REGIME.items()}


def test_schedule_prints_twelve_months_of_every_dag_on_the_calendar(tmp_path) -> None:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "IOC_"))}
    done = subprocess.run(
        [sys.executable, "-m", "ioc", "schedule", "--months", "12"],
        env=keep | {"IOC_WAREHOUSE": str(tmp_path / "warehouse")},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # what it printed (Airflow's own log lines, e.g. the DagBag's, left out)
    lines = [ln for ln in done.stdout.splitlines() if not re.match(r"\d{4}-\d\d-\d\dT", ln)]
    window = re.fullmatch(r"runs from (\S+ \S+) to (\S+ \S+) \(Asia/Ho_Chi_Minh\)", lines[0])
    start, end = (datetime.strptime(t, "%Y-%m-%d %H:%M") for t in window.groups())
    assert end.year * 12 + end.month - start.year * 12 - start.month == 12
    blocks: dict[str, list[str]] = {}
    for line in lines[1:]:
        if not line.startswith("  "):
            blocks[line.split(":")[0]] = []
        blocks[list(blocks)[-1]].append(line)

    # every DAG of the folder, once
    ingestion = {"ingest_dichvucong", "ingest_dulich", "ingest_giaoduc"}
    daily = {"ingest_ngansach", "ingest_reporting", "refresh_daily"}
    closing = {f"close_{t}" for t in REGIME}
    many = "ingest_provinces"  # every province of a many-province warehouse, monthly
    assert set(blocks) == ingestion | daily | closing | {"refresh_marts", "load_history", many}
    assert blocks["load_history"] == [
        "load_history: never scheduled (runs when asked for, e.g. bin/ioc history)"
    ]

    # the closes: the calendar's, to the minute, with the period each closes and its due date
    # (the window starts at the minute printed: a close at that very minute may fall either
    # side of it, so the comparison leaves that minute out)
    for period_type in REGIME:
        head, *runs = blocks[f"close_{period_type}"]
        start_after = start + timedelta(minutes=1)
        expected = _expected_closes(period_type, start_after, end)
        assert [r for r in runs if r[2:18] != f"{start:%Y-%m-%d %H:%M}"] == expected, head
        assert head.endswith(f": {len(runs)} run(s)")
    assert len(blocks["close_month"]) - 1 in (12, 13)
    assert len(blocks["close_year"]) - 1 == 1
    # the daily ones: every day at their hour, summarised; the monthly ingestion at 00:00 on
    # each month's first day; the marts' refresh on the lake's Assets, not on a calendar
    for dag_id in daily:
        days = re.search(r": (\d+) runs, first", blocks[dag_id][0])
        assert days and int(days[1]) in (365, 366, 367), blocks[dag_id][0]
    for dag_id in ingestion:
        firsts = [r.strip() for r in blocks[dag_id][1:]]
        assert firsts and all(re.fullmatch(r"\d{4}-\d{2}-01 00:00", r) for r in firsts)
        assert len(firsts) in (12, 13)
    provinces = [r.strip() for r in blocks[many][1:]]
    assert provinces and all(re.fullmatch(r"\d{4}-\d{2}-01 02:00", r) for r in provinces)
    assert len(provinces) in (12, 13)
    assert "not on a calendar" in blocks["refresh_marts"][0]

"""``fit.fit_all`` in a Python process of its own.

The dbt Python model runs in dbt's process, beside the thread that runs the build's other
nodes (at that point hundreds of small tests and models, mostly dbt's own Python): the two
share one interpreter lock. The October refit at SF10 took 10.4 s there and 7.8 s apart,
on the build's critical path (benchmarks/README.md). The frames go through Parquet, as the
kept result already does (forecast/result.py); the child's log records are logged again
here under their own logger and level.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]  # where the package is imported from
MARK = "\x1f"  # starts each of the child's log records on its standard error


def fit_all(values: pd.DataFrame, plans: pd.DataFrame, cache: Path | None) -> pd.DataFrame:
    """``forecast.fit.fit_all(values, plans, cache=cache)``, computed in a child process."""
    with tempfile.TemporaryDirectory(prefix="ioc_forecast_") as tmp:
        folder = Path(tmp)
        values.to_parquet(folder / "values.parquet", index=False)
        plans.to_parquet(folder / "plans.parquet", index=False)
        done = subprocess.run(
            [sys.executable, "-m", "forecast.apart", str(folder), str(cache or "")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        other = _relog(done.stderr)
        if done.returncode:
            said = other[-1] if other else "no message"
            tail = "\n".join(other)[-3000:]
            raise RuntimeError(f"the forecast fits failed (exit {done.returncode}): {said}\n{tail}")
        for line in other:
            log.warning("%s", line)  # not a log record: a Python warning, say
        return pq.read_table(folder / "result.parquet").to_pandas()


def _relog(stderr: str) -> list[str]:
    """Log the child's records again; the other lines of its standard error."""
    other = []
    for line in stderr.splitlines():
        if line.startswith(MARK):
            level, name, message = line[1:].split(MARK, 2)
            logging.getLogger(name).log(int(level), "%s", message)
        elif line.strip():
            other.append(line)
    return other


def _main(folder: Path, cache: str) -> None:
    from forecast.fit import fit_all as fit_here

    logging.basicConfig(
        level=logging.INFO, format=f"{MARK}%(levelno)d{MARK}%(name)s{MARK}%(message)s"
    )
    values = pq.read_table(folder / "values.parquet").to_pandas()
    plans = pq.read_table(folder / "plans.parquet").to_pandas()
    fit_here(values, plans, cache=Path(cache) if cache else None).to_parquet(
        folder / "result.parquet", index=False
    )


if __name__ == "__main__":
    _main(Path(sys.argv[1]), sys.argv[2])

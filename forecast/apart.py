"""``fit.fit_all`` in a process of its own (``python -m forecast.apart``).

The dbt Python node that fits the series runs inside dbt's process, beside dbt's other
thread. Both are Python most of the time (the fit: pandas, scipy's optimiser, statsforecast;
dbt: rendering and running its next small nodes) and take turns on the interpreter's lock,
so each runs at about half speed: at SF10 the node took 9.7 s beside a month's other nodes
against ~5 s alone. In a process of its own the fit has the other core, and the import of
statsforecast, scipy and statsmodels is paid there, not under dbt's lock.

The inputs and the result cross as pickles in a temporary folder: both ends are this
package, run by the same interpreter. What the fit logs comes back to this process's log.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)


def fit_apart(values: pd.DataFrame, plans: pd.DataFrame, cache: Path | None) -> pd.DataFrame:
    """``fit.fit_all(values, plans, cache=cache)``, computed by a child process."""
    with tempfile.TemporaryDirectory(prefix="ioc-forecast-") as tmp:
        inputs, result = Path(tmp) / "inputs.pickle", Path(tmp) / "result.pickle"
        inputs.write_bytes(pickle.dumps((values, plans, cache), protocol=5))
        # the child finds the project as this process does (sys.path, not only the .pth)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        proc = subprocess.run(
            [sys.executable, "-m", "forecast.apart", str(inputs), str(result)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        said = proc.stderr.decode("utf-8", "replace").splitlines()
        for line in said:
            log.info("forecast fit: %s", line)
        if proc.returncode != 0:
            tail = "\n".join(said[-20:])
            raise RuntimeError(f"the forecast fit failed (exit {proc.returncode}):\n{tail}")
        return pickle.loads(result.read_bytes())


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")
    from forecast.fit import fit_all

    inputs, result = (Path(a) for a in argv)
    values, plans, cache = pickle.loads(inputs.read_bytes())
    out = fit_all(values, plans, cache=cache)
    result.write_bytes(pickle.dumps(out, protocol=5))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Source simulator: serves the upstream systems of spec/sources.md with synthetic data.

    python -m simulator --port 8765 --seed 56 --scale 0.1   # see README.md

In-process (tests): ``with run_in_thread(Settings(client_id=..., client_secret=...)) as sim:``
then ``sim.url("dichvucong")`` is the source's base URL.
"""

from simulator.app import Settings, build_app
from simulator.faults import FaultConfig
from simulator.runner import RunningSimulator, run_in_thread, serve

__all__ = ["FaultConfig", "RunningSimulator", "Settings", "build_app", "run_in_thread", "serve"]

"""Simulated source `ngansach`: budget revenue, monthly CSV files in a drop folder."""

from simulator.ngansach.api import DropFile, drop_files, report, write_drop
from simulator.ngansach.files import COLUMNS, FileVersion, canonical_rows, file_name
from simulator.ngansach.world import BudgetWorld

__all__ = [
    "COLUMNS",
    "BudgetWorld",
    "DropFile",
    "FileVersion",
    "canonical_rows",
    "drop_files",
    "file_name",
    "report",
    "write_drop",
]

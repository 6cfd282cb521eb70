"""Simulated provincial reporting system (sources.md §1): API reports and an Excel drop."""

from simulator.reporting.api import excel_files, indicators_json, report, reports, sets_json
from simulator.reporting.world import ReportingWorld

__all__ = ["ReportingWorld", "excel_files", "indicators_json", "report", "reports", "sets_json"]

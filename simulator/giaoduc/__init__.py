"""Simulated source `giaoduc` (spec/sources.md)."""

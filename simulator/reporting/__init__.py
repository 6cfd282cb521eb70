"""Simulated source `reporting` (spec/sources.md)."""

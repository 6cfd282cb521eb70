"""Simulated source `dulich` (spec/sources.md)."""

"""Simulated source `ngansach` (spec/sources.md)."""

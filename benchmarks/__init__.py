"""Benchmarks of the pipeline's own code (run with ``python -m benchmarks.<name>``)."""

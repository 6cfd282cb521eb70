"""Connectors: one package per source, sharing `ingest.common` (HTTP client, lake writer)."""

"""Superset assets as code (bundle/), their deployment, and the Superset server runner."""

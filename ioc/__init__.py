"""The operator's side of the platform: the registry of sources, and the ``ioc`` command
(``python -m ioc``: check, refresh, airflow, status)."""

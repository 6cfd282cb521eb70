"""The main job on the embedded default: simulated sources → Airflow → lake → marts →
Superset. ``python -m demo`` (what ``bin/ioc demo`` runs)."""

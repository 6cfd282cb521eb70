"""Daily refresh, by choice of the province (like Sơn La's daily update before 17:00).

Airflow DAG `refresh_daily`: every day at 16:00 local, pull the sources listed in the Variable
`ioc_daily_sources` (comma-separated, e.g. `ngansach,reporting`), build and publish the marts.
Without the Variable it pulls nothing and publishes nothing."""

from dags.closing import daily_dag

daily_dag(__doc__, __file__)

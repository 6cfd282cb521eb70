"""Monthly close (báo cáo tháng) on the reporting calendar of Decree 09/2019/NĐ-CP.

Airflow DAG `close_month`: the day after each period's due date (seeds/report_due_rules.csv),
pull the configured sources, record the period's close, build and publish the marts."""

from dags.closing import closing_dag

closing_dag("month", __doc__, __file__)

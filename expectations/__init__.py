"""Great Expectations suites, one module per raw dataset, and the runner that validates a
load just landed (``expectations.validate``)."""

import logging

# GE logs ~200 INFO lines as it is imported ("Skipping registering function …"): in every
# validate task's Airflow log, ahead of what an operator looks for. Its warnings still show.
logging.getLogger("great_expectations._docs_decorators").setLevel(logging.WARNING)

"""Great Expectations suites, one module per raw dataset, and the runner that validates a
load just landed (``expectations.validate``)."""

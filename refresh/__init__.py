"""After the lake: build the marts with dbt into a private database, gate on the tests,
and publish the serving copy atomically (write → audit → publish)."""

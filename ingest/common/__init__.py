"""What every connector shares: configuration, HTTP client, lake writer, ledger, quarantine."""

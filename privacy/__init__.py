"""Personal numbers are redacted before anything is kept or logged (see README, Privacy)."""

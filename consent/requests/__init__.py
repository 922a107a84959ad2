"""consent.requests."""

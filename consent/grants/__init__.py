"""consent.grants."""

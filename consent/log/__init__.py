"""consent.log."""

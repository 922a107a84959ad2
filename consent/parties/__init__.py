"""consent.parties."""

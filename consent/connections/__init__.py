"""consent.connections."""

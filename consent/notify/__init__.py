"""Who hears of a sharing event: one call per event from the service that makes it."""

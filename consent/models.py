"""Every table of the consent package, imported in one place for Alembic and the app."""

"""Test support: throwaway PostgreSQL clusters, database templates, a live app server."""

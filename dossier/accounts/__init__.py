"""Accounts: key bundles, login proofs, recovery and login sessions."""

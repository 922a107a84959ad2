"""Encrypted document bytes behind the `BlobStore` interface (database or filesystem)."""

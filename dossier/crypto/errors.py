"""Errors of the crypto wire format.

Every failure to open or verify raises `TamperedError` with the same message, whatever the
cause (wrong key, flipped bit, moved ciphertext, bad signature): an attacker who can observe
the error learns nothing about which check failed. Only input that cannot even be parsed
raises `MalformedError`, and a structure from another format version `UnsupportedVersion`.
"""

from __future__ import annotations


class CryptoError(Exception):
    """Base of every error raised by `dossier.crypto`."""


class TamperedError(CryptoError):
    """A ciphertext did not open or a signature did not verify; deliberately uninformative."""

    def __init__(self, detail: str = "could not open or verify") -> None:
        super().__init__(detail)


class UnauthorisedAuthor(TamperedError):
    """An entry's author is neither the owner nor an `append` grantee at the time it was made."""

    def __init__(self, detail: str = "author is not authorised for this section") -> None:
        super().__init__(detail)


class AnotherAuthor(TamperedError):
    """A later version of an entry whose author is not the author of its first version (or
    whose first version is missing): only that author may change an entry (issue 19)."""

    def __init__(self, detail: str = "version is not by the author of the first version") -> None:
        super().__init__(detail)


class UnsupportedVersion(CryptoError):
    """A structure carries a `v` this implementation does not speak; checked before all else."""


class MalformedError(CryptoError):
    """Input that cannot be parsed: a missing field, bad base64, a wrong length or type."""


class WeakParameters(CryptoError):
    """KDF parameters below the v1 minimum; a client refuses them rather than derive weak keys."""

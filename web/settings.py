"""Settings: one frozen object, built from `RUGZAK_*` environment variables by `load_settings()`.

Nothing reads the environment at import time; tests build `Settings(...)` directly.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

import msgspec

from dossier.db import DEFAULT_DATABASE_URL

PREFIX = "RUGZAK_"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Every setting, with its default. README lists each one as `RUGZAK_<NAME>`."""

    database_url: str = DEFAULT_DATABASE_URL
    """SQLAlchemy async URL. SQLite (WAL mode) by default; `postgresql+asyncpg://…` to scale out."""
    db_pool_size: int = 20
    """Database connections each worker keeps open (PostgreSQL). At least the requests one
    worker has in flight at once: past it (plus 10 overflow) requests wait for a connection,
    and overflow connections are opened and closed per request (a backend fork, a TLS
    attempt). Keep workers x (this + 10) below PostgreSQL's `max_connections` (100)."""
    secret_key: str = ""
    """Server secret for CSRF tokens and decoy KDF salts. Empty means a random one per process
    (fine for one process; set it when running several workers)."""
    base_url: str = "http://127.0.0.1:8000"
    """Public address, used in invite links and QR codes."""
    session_ttl_seconds: int = 8 * 3600
    """How long a login session lives without use."""
    session_max_seconds: int = 7 * 24 * 3600
    """Absolute lifetime of a session, however active."""
    cookie_secure: bool = True
    """Send cookies only over HTTPS. Set to false only for plain-HTTP local development."""
    max_json_bytes: int = 2 * 1024 * 1024
    """Largest JSON request body (a rotation upload of many entries is the biggest)."""
    max_document_bytes: int = 100 * 1024 * 1024
    """Largest document (plaintext size; the ciphertext adds 17 bytes per 64 KiB)."""
    blob_store: str = "database"
    """Where encrypted document bytes live: `database`, `filesystem` or `s3`."""
    blob_dir: str = "./var/blobs"
    """Folder for the `filesystem` blob store."""
    s3_endpoint_url: str = ""
    """The `s3` store's endpoint (MinIO, Garage, a cloud's S3 API); empty means AWS."""
    s3_bucket: str = ""
    """The `s3` store's bucket (required for `s3`); it must exist."""
    s3_region: str = "us-east-1"
    """The `s3` store's region."""
    s3_access_key_id: str = ""
    """The `s3` store's access key; empty means the usual AWS credential chain."""
    s3_secret_access_key: str = ""
    """The `s3` store's secret key."""
    s3_prefix: str = "blobs/"
    """Key prefix of the `s3` store's objects (`rugzak blobs check` looks only there)."""
    login_rate_per_minute: int = 10
    """Login and recovery attempts allowed per minute for one account name."""
    address_rate_per_minute: int = 60
    """Requests to the sign-up/login routes allowed per minute from one client address (higher
    than per account: a school's network puts many students behind one address)."""
    oidc_loopback_http: bool = False
    """Allow an organisation's OpenID Connect provider at a plain-http loopback address
    (`http://127.0.0.1:…`): only for the demo provider and tests. Off, an issuer and every
    provider endpoint must be https, so an organisation admin cannot make the server call its
    own local services."""
    smtp_url: str = ""
    """Mail server for notices: `smtp://[user:password@]host:port` (STARTTLS when offered) or
    `smtps://…`. Empty: mail is written as `.eml` files under `mail_dir` (the demo)."""
    mail_from: str = "Rugzak <noreply@rugzak.invalid>"
    """The From of every notice."""
    mail_dir: str = "./var/mail"
    """Folder for `.eml` files when no SMTP server is set."""
    vapid_private_key: str = ""
    """The VAPID private key for Web Push (PEM, or the raw P-256 key base64url-encoded).
    Empty: no Web Push."""
    vapid_subject: str = "mailto:beheer@rugzak.invalid"
    """The contact push services see in the VAPID token (`mailto:` or `https:`)."""
    push_loopback_http: bool = False
    """Accept push endpoints at plain-http loopback addresses: only for tests."""
    debug: bool = False
    """Litestar debug mode (tracebacks in responses). Never in production."""

    def secret(self) -> bytes:
        return self.secret_key.encode() if self.secret_key else _PROCESS_SECRET


_PROCESS_SECRET = secrets.token_bytes(32)


def _coerce(name: str, raw: str, kind: Any) -> Any:
    if kind is bool or kind == "bool":
        value = raw.strip().lower()
        if value in {"1", "true", "yes", "on"}:
            return True
        if value in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"{PREFIX}{name.upper()} must be true or false, not {raw!r}")
    if kind is int or kind == "int":
        return int(raw)
    return raw


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build settings from `RUGZAK_*` variables (the process environment by default)."""
    source = os.environ if env is None else env
    values: dict[str, Any] = {}
    for field in msgspec.structs.fields(Settings):
        raw = source.get(PREFIX + field.name.upper())
        if raw is not None:
            values[field.name] = _coerce(field.name, raw, field.type)
    return Settings(**values)

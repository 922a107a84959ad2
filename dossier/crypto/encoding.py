"""Encodings shared by every structure: base64url, canonical JSON and strict field readers.

Invariant: the bytes that are signed or used as associated data are produced only by
`canonical`, so the Python and JavaScript implementations agree byte for byte. For that to
hold across languages `canonical` accepts only JSON values that both represent exactly:
strings, booleans, null, integers within ±(2**53 - 1), lists and objects with string keys.
Floats are refused because `1.0` and `1` serialise differently in Python and JavaScript.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from dossier.crypto.errors import MalformedError, UnsupportedVersion

VERSION: Final = 2
MAX_SAFE_INT: Final = 2**53 - 1
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_B64URL_VALUE: Final = {
    c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
}
_TRAILING_BITS: Final = (0, 0, 0b1111, 0b11)
_PADDING: Final = (b"", b"", b"==", b"=")
_TO_STANDARD: Final = bytes.maketrans(b"-_", b"+/")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_TIME_FORMAT: Final = "%Y-%m-%dT%H:%M:%SZ"


def b64e(data: bytes) -> str:
    """Unpadded base64url, the only way binary values travel in the JSON."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64d(text: str) -> bytes:
    """Strict inverse of `b64e`: no padding, no other alphabet, no non-zero trailing bits.

    Strictness keeps one byte string to one text, so a signed value cannot be re-encoded into
    a different-looking but equal value.
    """
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise MalformedError("not unpadded base64url")
    # Canonical means no set bit after the last whole byte: the last character of a text
    # of 4n+2 characters carries 4 such bits, of 4n+3 characters 2 (the same test as
    # encoding the bytes again and comparing, without the second encoding).
    tail = len(text) % 4
    if tail and _B64URL_VALUE[text[-1]] & _TRAILING_BITS[tail]:
        raise MalformedError("non-canonical base64url")
    return binascii.a2b_base64(text.encode("ascii").translate(_TO_STANDARD) + _PADDING[tail])


def _check_json(value: object) -> None:
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INT:
            raise MalformedError("integer outside the range JavaScript represents exactly")
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_json(item)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise MalformedError("object keys must be strings")
            _check_json(item)
        return
    raise MalformedError(f"{type(value).__name__} has no canonical JSON form")


def _nfc(value: object) -> object:
    """Every string (keys included) in Unicode NFC, so "é" typed composed or decomposed signs
    and hashes the same; two keys that are equal after NFC are refused."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, (list, tuple)):
        return [_nfc(item) for item in value]
    if isinstance(value, Mapping):
        out = {unicodedata.normalize("NFC", k): _nfc(v) for k, v in value.items()}
        if len(out) != len(value):
            raise MalformedError("two keys are equal after NFC normalisation")
        return out
    return value


def canonical(obj: object) -> bytes:
    """UTF-8 JSON of the NFC-normalised value, keys sorted by code point, separators without
    spaces, non-ASCII kept as is.

    A JavaScript implementation must sort keys by code point (not by UTF-16 unit) to match;
    every key used by the wire format itself is ASCII, where both orders coincide.
    """
    _check_json(obj)
    text = json.dumps(_nfc(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedError("string is not valid Unicode") from exc


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def check_version(d: object) -> Mapping[str, Any]:
    """The first check of every `from_json`: only `"v": 2` (an integer, not `true`) is spoken."""
    if not isinstance(d, Mapping):
        raise MalformedError("expected a JSON object")
    v = d.get("v")
    if type(v) is not int or v != VERSION:
        raise UnsupportedVersion(f"unsupported version {v!r}")
    return d


def get_str(d: Mapping[str, Any], key: str) -> str:
    value = d.get(key)
    if not isinstance(value, str):
        raise MalformedError(f"{key}: expected a string")
    return value


def get_int(d: Mapping[str, Any], key: str) -> int:
    value = d.get(key)
    if type(value) is not int or not 0 <= value <= MAX_SAFE_INT:
        raise MalformedError(f"{key}: expected a non-negative integer")
    return value


def get_bytes(d: Mapping[str, Any], key: str, length: int | None = None) -> bytes:
    value = d.get(key)
    if not isinstance(value, str):
        raise MalformedError(f"{key}: expected a base64url string")
    data = b64d(value)
    if length is not None and len(data) != length:
        raise MalformedError(f"{key}: expected {length} bytes")
    return data


def check_len(name: str, data: bytes, length: int) -> bytes:
    if not isinstance(data, bytes) or len(data) != length:
        raise MalformedError(f"{name}: expected {length} bytes")
    return data


def parse_json_object(data: bytes) -> dict[str, Any]:
    """Decode a plaintext that was produced by `canonical` and must be an object."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedError("plaintext is not JSON") from exc
    if not isinstance(value, dict):
        raise MalformedError("plaintext is not a JSON object")
    return value


def parse_time(text: str) -> datetime:
    """RFC 3339 in the one form the format signs: UTC, whole seconds, a literal `Z`."""
    if not isinstance(text, str) or not _TIME.fullmatch(text):
        raise MalformedError("time must look like 2025-01-31T12:00:00Z")
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise MalformedError("not a valid date and time") from exc


def format_time(at: datetime | str) -> str:
    """Normalise to the signed form; sub-second precision is truncated."""
    if isinstance(at, str):
        parse_time(at)
        return at
    if at.tzinfo is None:
        raise MalformedError("time must be timezone-aware")
    return at.astimezone(UTC).strftime(_TIME_FORMAT)

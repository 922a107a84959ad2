from __future__ import annotations

import base64
import json
import threading
from pathlib import Path
from typing import Any

import nacl.utils
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier import crypto as c
from dossier.crypto.encoding import check_version, get_int, get_str, parse_json_object
from dossier.vectors import _rng

safe_ints = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
json_values = st.recursive(
    st.none() | st.booleans() | safe_ints | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(st.binary(max_size=100))
def test_b64_round_trip(data: bytes) -> None:
    text = c.b64e(data)
    assert "=" not in text
    assert c.b64d(text) == data


@given(json_values)
def test_canonical_is_a_fixed_point(value: Any) -> None:
    once = c.canonical(value)
    assert c.canonical(json.loads(once)) == once


@given(st.dictionaries(st.text(max_size=8), safe_ints, max_size=8))
def test_canonical_ignores_key_order(d: dict[str, int]) -> None:
    reversed_order = dict(reversed(list(d.items())))
    assert c.canonical(reversed_order) == c.canonical(d)


def test_canonical_shape() -> None:
    assert c.canonical({"b": [1, (2,)], "a": "é"}) == '{"a":"é","b":[1,[2]]}'.encode()


@pytest.mark.parametrize("value", [1.0, {1: "x"}, b"raw", {"s": "\ud800"}, 2**60])
def test_canonical_refuses_non_portable_values(value: Any) -> None:
    with pytest.raises(c.MalformedError):
        c.canonical(value)


@pytest.mark.parametrize("text", ["a=", "a+", "a", "YR", 5, "Zé", "YQ\n"])
def test_b64d_is_strict(text: Any) -> None:
    with pytest.raises(c.MalformedError):
        c.b64d(text)


B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def test_b64d_accepts_exactly_the_texts_b64e_gives() -> None:
    """The trailing-bit test in `b64d` against its definition (encode again, compare): every
    last character after every length class, and every pair of characters."""
    texts = [a + b for a in B64URL for b in B64URL]
    texts += [f"{p}{z}" for p in ("A", "QU", "QUJD", "QUJDRA", "QUJDRA0") for z in B64URL]
    for text in texts:
        try:
            data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except ValueError:
            data = None
        canonical = data is not None and c.b64e(data) == text
        if canonical:
            assert c.b64d(text) == data, text
        else:
            with pytest.raises(c.MalformedError):
                c.b64d(text)


@pytest.mark.parametrize("d", [{"v": 1}, {"v": 3}, {"v": True}, {"v": "2"}, {}])
def test_version_is_checked_first(d: dict[str, Any]) -> None:
    with pytest.raises(c.UnsupportedVersion):
        check_version(d)


def test_version_on_non_object() -> None:
    with pytest.raises(c.MalformedError):
        check_version([1])


@pytest.mark.parametrize("value", [True, -1, "1", 2**53])
def test_get_int_is_strict(value: Any) -> None:
    with pytest.raises(c.MalformedError):
        get_int({"n": value}, "n")


@pytest.mark.parametrize("data", [b"\xff", b"[1]", b"{"])
def test_parse_json_object(data: bytes) -> None:
    with pytest.raises(c.MalformedError):
        parse_json_object(data)


def test_scripted_randomness_is_strict() -> None:
    with pytest.raises(AssertionError, match="exhausted"), _rng.scripted([]):
        nacl.utils.random(1)
    with pytest.raises(AssertionError, match="drawn"), _rng.scripted([b"ab"]):
        nacl.utils.random(3)
    with pytest.raises(AssertionError, match="not drawn"), _rng.scripted([b"ab"]):
        pass
    assert nacl.utils.random(32) != nacl.utils.random(32)


def test_scripted_randomness_stays_in_its_thread() -> None:
    """A live server thread in the same process keeps drawing real randomness."""
    seen: list[bytes] = []
    with _rng.scripted([bytes(32)]):
        worker = threading.Thread(target=lambda: seen.append(nacl.utils.random(32)))
        worker.start()
        worker.join()
        assert nacl.utils.random(32) == bytes(32)
    assert seen[0] != bytes(32)


def test_the_production_package_has_no_scripted_randomness() -> None:
    """Issue 19: the vector RNG lives in dossier.vectors, which dossier.crypto never imports."""
    crypto_dir = Path(c.__file__).parent
    assert not (crypto_dir / "_rng.py").exists()
    for source in crypto_dir.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "dossier.vectors" not in text
        assert "scripted" not in text


def test_get_str_is_strict() -> None:
    with pytest.raises(c.MalformedError):
        get_str({"s": 1}, "s")


def test_canonical_signs_strings_in_nfc() -> None:
    """Issue 19: "é" composed or decomposed (keys too) gives the same signed bytes."""
    composed, decomposed = "Zo\u00e9", "Zoe\u0301"
    assert c.canonical({composed: composed}) == c.canonical({decomposed: decomposed})
    assert c.canonical([decomposed]) == f'["{composed}"]'.encode()


def test_two_keys_equal_after_nfc_are_refused() -> None:
    with pytest.raises(c.MalformedError, match="equal after NFC"):
        c.canonical({"Zo\u00e9": 1, "Zoe\u0301": 2})

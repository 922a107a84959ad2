from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier import crypto as c
from dossier.crypto import _rng
from dossier.crypto.encoding import check_version, get_int, get_str, parse_json_object

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


@pytest.mark.parametrize("text", ["a=", "a+", "a", "YR", 5])
def test_b64d_is_strict(text: Any) -> None:
    with pytest.raises(c.MalformedError):
        c.b64d(text)


@pytest.mark.parametrize("d", [{"v": 2}, {"v": True}, {"v": "1"}, {}])
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
        _rng.random_bytes(1)
    with pytest.raises(AssertionError, match="drawn"), _rng.scripted([b"ab"]):
        _rng.random_bytes(3)
    with pytest.raises(AssertionError, match="not drawn"), _rng.scripted([b"ab"]):
        pass
    assert not _rng.is_scripted()
    assert _rng.random_bytes(32) != _rng.random_bytes(32)


def test_get_str_is_strict() -> None:
    with pytest.raises(c.MalformedError):
        get_str({"s": 1}, "s")

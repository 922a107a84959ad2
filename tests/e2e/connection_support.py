"""Helpers shared by the connection journeys (tests/e2e/test_connection_*.py): an invite
accepted by the youth, a refused call's problem, and the dark modules of a QR code. The
professional's card (`PRO_CARD`), `person` and the `pro` fixture are in tests/e2e/conftest.py."""

import re

import pytest
import segno

from dossier.client.api import ApiError


def connect(youth, pro, name="Kim", preference="WhatsApp na 16 uur"):
    """The professional's invite, accepted by the youth; no card goes back (unlike `connect`
    in tests/e2e/conftest.py)."""
    invite = pro.create_invite()
    return youth.accept_invite(invite.token, name, preference)


def problem_of(call):
    with pytest.raises(ApiError) as caught:
        call()
    return caught.value.status, caught.value.problem


def qr_modules(svg):
    """Read the dark modules back from segno's SVG path (`M x y`, `m dx dy`, `h n`)."""
    [path] = re.findall(r' d="([^"]+)"', svg)
    dark, x, y = set(), 0.0, 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(y), int(x) + i) for i in range(int(a)))
            x += float(a)
    return dark


def segno_modules(text, border=4):
    matrix = segno.make(text, error="m").matrix
    return {
        (r + border, c + border)
        for r, row in enumerate(matrix)
        for c, dark in enumerate(row)
        if dark
    }

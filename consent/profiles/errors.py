from __future__ import annotations

from dossier.errors import Conflict


class ProfileMissing(Conflict):
    """A professional tried to invite before making their profile card."""

    code = "profile-missing"

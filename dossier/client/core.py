"""Account side of the client: sign-up, unlock, recovery, passphrase change, sessions.

Security invariants: the passphrase, the master key, the wrap key and the identity's private
keys never leave this process; only `auth_key` (a sub-key) and sealed bundles are sent."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from dossier import crypto
from dossier.client.campaigns import CampaignsClient
from dossier.client.documents import DocumentsClient
from dossier.client.handover import HandoverClient
from dossier.client.log import LogClient
from dossier.client.notify import NotifyClient
from dossier.client.parties import PartiesClient
from dossier.client.recovery import RecoveryClient
from dossier.client.sections import SectionView
from dossier.sections.catalogue import SECTIONS

__all__ = ["RugzakClient", "SectionView"]


class RugzakClient(
    CampaignsClient,
    LogClient,
    RecoveryClient,
    HandoverClient,
    PartiesClient,
    DocumentsClient,
    NotifyClient,
):
    """One person's client: `RugzakClient(base_url)`, then `sign_up` or `login`."""

    # -- account -----------------------------------------------------------------------------

    def sign_up(
        self,
        username: str,
        passphrase: str,
        *,
        birth_date: dt.date | None,
        kind: str = "youth",
    ) -> str:
        """Create the account (and, for a youth, the dossier); returns the recovery code,
        which is shown once and never stored anywhere."""
        account_id = str(uuid.uuid4())
        identity = crypto.Identity.generate()
        params = crypto.KdfParams.new()
        keys = crypto.derive_subkeys(crypto.derive_master_key(passphrase, params))
        code = crypto.new_recovery_code()
        recovery = crypto.recovery_subkeys(crypto.parse_recovery_code(code))
        self.api.call(
            "POST",
            "/api/v1/auth/signup",
            json={
                "id": account_id,
                "username": username,
                "kind": kind,
                "birth_date": None if birth_date is None else birth_date.isoformat(),
                "kdf": params.to_json(),
                "auth_key": crypto.b64e(keys.auth_key),
                "recovery_auth_key": crypto.b64e(recovery.auth_key),
                "bundle": crypto.seal_bundle(identity, keys.wrap_key, account_id).to_json(),
                "recovery_bundle": crypto.seal_bundle(
                    identity, recovery.wrap_key, account_id, kind="recovery"
                ).to_json(),
                "identity": identity.public.to_json(),
            },
        )
        self._login_with(username, keys.auth_key, keys.wrap_key)
        if kind == "youth":
            self._create_dossier()
        return code

    def login(self, username: str, passphrase: str) -> None:
        """Unlock; a youth's client then rotates sections that ended grants could still open
        (an expired grant is rotated on the next unlock, DESIGN.md §4)."""
        params = self._kdf_params(username)
        keys = crypto.derive_subkeys(crypto.derive_master_key(passphrase, params))
        self._login_with(username, keys.auth_key, keys.wrap_key)
        if self.unlocked().dossier_id is not None:
            self.rotate_due()

    def logout(self) -> None:
        self.api.call("POST", "/api/v1/account/logout")
        self.api.token = None
        self.me = None
        self.forget()

    def recover(self, username: str, code: str, new_passphrase: str) -> None:
        """Set a new passphrase with the recovery code; the bundle is re-sealed here."""
        recovery = crypto.recovery_subkeys(crypto.parse_recovery_code(code))
        proof = crypto.b64e(recovery.auth_key)
        data = self.api.call(
            "POST",
            "/api/v1/auth/recovery/open",
            json={"username": username, "recovery_auth_key": proof},
        )
        identity = crypto.open_bundle(
            crypto.SealedBundle.from_json(data["recovery_bundle"]),
            recovery.wrap_key,
            data["account_id"],
            kind="recovery",
        )
        params = crypto.KdfParams.new()
        keys = crypto.derive_subkeys(crypto.derive_master_key(new_passphrase, params))
        self.api.call(
            "POST",
            "/api/v1/auth/recovery",
            json={
                "username": username,
                "recovery_auth_key": proof,
                "kdf": params.to_json(),
                "auth_key": crypto.b64e(keys.auth_key),
                "bundle": crypto.seal_bundle(identity, keys.wrap_key, data["account_id"]).to_json(),
            },
        )
        self._login_with(username, keys.auth_key, keys.wrap_key)

    def change_passphrase(self, old: str, new: str) -> None:
        me = self.unlocked()
        old_keys = crypto.derive_subkeys(
            crypto.derive_master_key(old, self._kdf_params(me.username))
        )
        params = crypto.KdfParams.new()
        keys = crypto.derive_subkeys(crypto.derive_master_key(new, params))
        self.api.call(
            "PUT",
            "/api/v1/account/passphrase",
            json={
                "auth_key": crypto.b64e(old_keys.auth_key),
                "new_kdf": params.to_json(),
                "new_auth_key": crypto.b64e(keys.auth_key),
                "new_bundle": crypto.seal_bundle(
                    me.identity, keys.wrap_key, me.account_id
                ).to_json(),
            },
        )

    def delete_account(self, passphrase: str) -> None:
        me = self.unlocked()
        keys = crypto.derive_subkeys(
            crypto.derive_master_key(passphrase, self._kdf_params(me.username))
        )
        self.api.call(
            "POST", "/api/v1/account/delete", json={"auth_key": crypto.b64e(keys.auth_key)}
        )
        self.api.token = None
        self.me = None

    def sessions(self) -> list[dict[str, Any]]:
        return list(self.api.call("GET", "/api/v1/account/sessions"))

    def end_session(self, session_id: str) -> None:
        self.api.call("DELETE", f"/api/v1/account/sessions/{session_id}")

    # -- dossier creation --------------------------------------------------------------------

    def _create_dossier(self) -> None:
        """Make one keypair per catalogue section, sign each public key, and seal each private
        key to our own box key: the owner holds every section key."""
        me = self.unlocked()
        dossier_id = str(uuid.uuid4())
        sections = []
        for key in SECTIONS:
            pair = crypto.SectionKeyPair.generate()
            signed = crypto.sign_section_key(me.identity, dossier_id, key, 1, pair.pk)
            sealed_sk = crypto.seal_to(bytes(me.identity.box.public_key), bytes(pair.sk))
            sections.append(
                {
                    "key": key,
                    "signed_key": signed.to_json(),
                    "owner_sealed_sk": crypto.b64e(sealed_sk),
                }
            )
        self.api.call("POST", "/api/v1/dossiers", json={"id": dossier_id, "sections": sections})
        me.dossier_id = dossier_id

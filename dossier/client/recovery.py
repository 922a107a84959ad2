"""Recovery through a contact, client side (docs/recovery.md): the youth's setup, veto and
recovery-code check; the contact's approval; and the new device that gets back in.

Security invariants: the recovery key, the contact share in the clear and the new device's
private key exist only in this process; the server gets its own share, shares sealed to box
keys and a bundle copy it cannot open. A contact re-seals only a share the youth signed for
this account, and only after the short code matched what the new device shows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from nacl.public import PrivateKey

from dossier import crypto
from dossier.client.connections import ConnectionsClient
from dossier.crypto import recovery as rc


def setup_payload(
    identity: crypto.Identity,
    account_id: str,
    contacts: list[tuple[str, crypto.PublicIdentity]],
    wait_seconds: int,
) -> dict[str, Any]:
    """A fresh recovery key split into two shares, the bundle copy under it, the contact
    share sealed to every contact, and the signed record: the body of `PUT …/setup`."""
    split = rc.new_recovery_split()
    sealed = {cid: rc.seal_contact_share(pub.box_pk, split.contact_share) for cid, pub in contacts}
    record = rc.sign_recovery_setup(
        identity,
        account=account_id,
        setup=str(uuid.uuid4()),
        contacts=[
            rc.RecoveryContact(
                account=cid, fingerprint=pub.fingerprint(), share_sha256=rc.share_hash(sealed[cid])
            )
            for cid, pub in contacts
        ],
        wait_seconds=wait_seconds,
    )
    return {
        "setup": record.to_json(),
        "server_share": crypto.b64e(split.server_share),
        "bundle": rc.seal_contact_bundle(identity, split.key, account_id).to_json(),
        "shares": [{"contact": cid, "sealed": crypto.b64e(s)} for cid, s in sealed.items()],
    }


@dataclass
class RecoveryAttempt:
    """The new device's state: its key pair and the request token, in memory (the caller
    keeps it as long as it likes; the browser page keeps it in IndexedDB)."""

    username: str
    request_id: str
    token: str
    device: PrivateKey = field(repr=False)

    def headers(self) -> dict[str, str]:
        return {"x-recovery-token": self.token}


class RecoveryClient(ConnectionsClient):
    """Mixed into `RugzakClient`."""

    # -- the youth ---------------------------------------------------------------------------

    def set_up_recovery(self, contact_ids: list[str], wait_hours: int = 72) -> dict[str, Any]:
        """Choose one or two connected people whose key code was compared (pinned)."""
        me = self.unlocked()
        others = {c.other_id: c.other for c in self.connections()}
        contacts = [(cid, others[cid]) for cid in contact_ids]
        body = setup_payload(me.identity, me.account_id, contacts, wait_hours * 3600)
        return dict(self.api.call("PUT", "/api/v1/recovery/setup", json=body))

    def recovery_status(self) -> dict[str, Any]:
        return dict(self.api.call("GET", "/api/v1/recovery"))

    def remove_recovery_contact(self, contact_id: str) -> dict[str, Any]:
        return dict(self.api.call("DELETE", f"/api/v1/recovery/contacts/{contact_id}"))

    def veto_recovery(self, request_id: str) -> dict[str, Any]:
        """ "Dit ben ik niet"."""
        return dict(self.api.call("POST", f"/api/v1/recovery/requests/{request_id}/veto"))

    def check_recovery_code(self, code: str) -> bool:
        """The yearly check, on this device: does the code open the recovery copy of the key
        bundle? Nothing derived from the code is sent."""
        me = self.unlocked()
        data = self.api.call("GET", "/api/v1/recovery/code")
        try:
            wrap = crypto.recovery_subkeys(crypto.parse_recovery_code(code)).wrap_key
            opened = crypto.open_bundle(
                crypto.SealedBundle.from_json(data["recovery_bundle"]),
                wrap,
                me.account_id,
                kind="recovery",
            )
        except crypto.CryptoError:
            return False
        if opened.public != me.identity.public:
            return False
        self.api.call("POST", "/api/v1/recovery/code/check")
        return True

    def new_recovery_code(self, passphrase: str) -> str:
        """A new code (shown once); the old one stops working."""
        me = self.unlocked()
        keys = crypto.derive_subkeys(
            crypto.derive_master_key(passphrase, self._kdf_params(me.username))
        )
        code = crypto.new_recovery_code()
        recovery = crypto.recovery_subkeys(crypto.parse_recovery_code(code))
        self.api.call(
            "PUT",
            "/api/v1/recovery/code",
            json={
                "auth_key": crypto.b64e(keys.auth_key),
                "recovery_auth_key": crypto.b64e(recovery.auth_key),
                "recovery_bundle": crypto.seal_bundle(
                    me.identity, recovery.wrap_key, me.account_id, kind="recovery"
                ).to_json(),
            },
        )
        return code

    # -- the contact -------------------------------------------------------------------------

    def recovery_asked(self) -> list[dict[str, Any]]:
        """Waiting requests of youths who chose me; each youth's key must be the one I
        compared when we connected (pinned)."""
        out = []
        for raw in self.api.call("GET", "/api/v1/recovery/asked"):
            youth = crypto.PublicIdentity.from_json(raw["youth_identity"])
            pinned = self._pinned.get(raw["youth"])
            if pinned is not None and pinned != youth:
                raise crypto.TamperedError("server shows another identity than the pinned one")
            out.append(dict(raw))
        return out

    def recovery_challenge(self, request_id: str) -> str:
        """Pick a fresh challenge for the request; returns the short code the new device must
        show for it (compare it with the person, in person or by video)."""
        asked = self._asked(request_id)
        challenge = rc.new_challenge()
        self._challenges[request_id] = challenge
        self.api.call(
            "POST",
            f"/api/v1/recovery/asked/{request_id}/challenge",
            json={"challenge": crypto.b64e(challenge)},
        )
        return rc.short_code(crypto.b64d(asked["device_pk"]), request_id, challenge)

    def approve_recovery(self, request_id: str, code_on_device: str) -> dict[str, Any]:
        """Re-seal my share to the new device, if the code it shows is the one I expect."""
        me = self.unlocked()
        asked = self._asked(request_id)
        challenge = self._challenges.get(request_id)
        device_pk = crypto.b64d(asked["device_pk"])
        if challenge is None or _digits(code_on_device) != _digits(
            rc.short_code(device_pk, request_id, challenge)
        ):
            raise crypto.TamperedError("the code on the device is not the code for this request")
        sealed = crypto.b64d(asked["sealed"])
        youth = self._pinned.get(asked["youth"]) or crypto.PublicIdentity.from_json(
            asked["youth_identity"]
        )
        rc.check_share_for(
            rc.RecoverySetup.from_json(asked["setup"]),
            youth.sign_pk,
            account=asked["youth"],
            contact_id=me.account_id,
            sealed_share=sealed,
        )
        resealed = rc.reseal_share(me.identity.box, sealed, device_pk)
        return dict(
            self.api.call(
                "POST",
                f"/api/v1/recovery/asked/{request_id}/approve",
                json={"challenge": crypto.b64e(challenge), "resealed": crypto.b64e(resealed)},
            )
        )

    def _asked(self, request_id: str) -> dict[str, Any]:
        for raw in self.recovery_asked():
            if raw["id"] == request_id:
                return raw
        raise KeyError(request_id)

    # -- the new device ----------------------------------------------------------------------

    def start_contact_recovery(self, username: str) -> RecoveryAttempt:
        """ "Ik kom er niet meer in": a fresh device key pair and a request at the server."""
        device = PrivateKey.generate()
        data = self.api.call(
            "POST",
            "/api/v1/auth/recovery/contact",
            json={"username": username, "device_pk": crypto.b64e(bytes(device.public_key))},
        )
        return RecoveryAttempt(username, data["id"], data["token"], device)

    def recovery_progress(self, attempt: RecoveryAttempt) -> dict[str, Any]:
        """The request's state, and `code`: the short code to show the contact (None until
        the contact's app picked a challenge)."""
        data = dict(
            self.api.call(
                "GET",
                f"/api/v1/auth/recovery/contact/{attempt.request_id}",
                headers=attempt.headers(),
            )
        )
        data["code"] = None
        if data["challenge"] is not None:
            data["code"] = rc.short_code(
                bytes(attempt.device.public_key),
                attempt.request_id,
                crypto.b64d(data["challenge"]),
            )
        return data

    def cancel_contact_recovery(self, attempt: RecoveryAttempt) -> dict[str, Any]:
        """ "Opnieuw beginnen": end this device's own request so a new one can start."""
        return dict(
            self.api.call(
                "POST",
                f"/api/v1/auth/recovery/contact/{attempt.request_id}/cancel",
                headers=attempt.headers(),
            )
        )

    def open_recovery(self, attempt: RecoveryAttempt) -> tuple[dict[str, Any], crypto.Identity]:
        """Fetch both shares (refused before the wait is over or without approval), open the
        bundle copy, and check it against the account's public keys and the signed setup."""
        data = dict(
            self.api.call(
                "POST",
                f"/api/v1/auth/recovery/contact/{attempt.request_id}/release",
                headers=attempt.headers(),
            )
        )
        contact_share = rc.open_share(attempt.device, crypto.b64d(data["resealed"]))
        identity = rc.open_contact_bundle(
            crypto.SealedBundle.from_json(data["bundle"]),
            crypto.b64d(data["server_share"]),
            contact_share,
            data["account_id"],
        )
        if identity.public != crypto.PublicIdentity.from_json(data["identity"]):
            raise crypto.TamperedError("the bundle is not this account's")
        rc.RecoverySetup.from_json(data["setup"]).verify(identity.public.sign_pk)
        return data, identity

    def finish_contact_recovery(self, attempt: RecoveryAttempt, new_passphrase: str) -> str:
        """New passphrase, new recovery code (returned, shown once), every other session
        ended, and the setup rotated to the same contacts; then log in."""
        data, identity = self.open_recovery(attempt)
        account_id = data["account_id"]
        record = rc.RecoverySetup.from_json(data["setup"])
        contacts = []
        for raw in data["contacts"]:
            public = crypto.PublicIdentity.from_json(raw["identity"])
            if record.contact(raw["account"]).fingerprint != public.fingerprint():
                raise crypto.TamperedError("a contact's key is not the one the youth signed")
            contacts.append((raw["account"], public))
        params = crypto.KdfParams.new()
        keys = crypto.derive_subkeys(crypto.derive_master_key(new_passphrase, params))
        code = crypto.new_recovery_code()
        recovery = crypto.recovery_subkeys(crypto.parse_recovery_code(code))
        setup = None
        if contacts:
            setup = setup_payload(identity, account_id, contacts, record.wait_seconds)
        self.api.call(
            "POST",
            f"/api/v1/auth/recovery/contact/{attempt.request_id}/complete",
            headers=attempt.headers(),
            json={
                "kdf": params.to_json(),
                "auth_key": crypto.b64e(keys.auth_key),
                "bundle": crypto.seal_bundle(identity, keys.wrap_key, account_id).to_json(),
                "recovery_auth_key": crypto.b64e(recovery.auth_key),
                "recovery_bundle": crypto.seal_bundle(
                    identity, recovery.wrap_key, account_id, kind="recovery"
                ).to_json(),
                "setup": setup,
            },
        )
        self._login_with(attempt.username, keys.auth_key, keys.wrap_key)
        return code


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())

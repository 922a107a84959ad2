"""Client side of organisations: create one, manage members, open the org key, rotate it.

Security invariants: an organisation's private identity exists only in member clients'
memory; the server gets it sealed to each member's box key. An opened org key is accepted only
when its public half is the identity the server shows for the organisation. A member's public
identity comes from the server; when this device has pinned that account (fingerprints
compared in person) the server's copy must match, or nothing is sealed to it. Every member a
client adds gets an attestation signed with the org key; a rotation seals the new key only to
members whose attestation verifies under the current org key, so a member the server slipped
in gets nothing (TamperedError instead)."""

from __future__ import annotations

import uuid
from typing import Any

from dossier import crypto
from dossier.client.api import ApiError
from dossier.client.sections import SectionsClient

# A rotation races with other admins and with grants made meanwhile; each retry is fresh.
ATTEMPTS = 4
RETRY_CODES = frozenset({"version-conflict", "rotation-incomplete"})


def _org(org_id: str) -> str:
    return f"/api/v1/organisations/{org_id}"


class PartiesClient(SectionsClient):
    """Mixed into `RugzakClient`."""

    def create_organisation(self, name: str, kind: str) -> str:
        """Make the org identity here, seal it to our own box key; we become its first admin."""
        me = self.unlocked()
        org = crypto.Identity.generate()
        org_id = str(uuid.uuid4())
        sealed = crypto.seal_to(bytes(me.identity.box.public_key), org.secret())
        attestation = crypto.sign_membership(org, org_id, me.account_id, me.identity.public, 1)
        self.api.call(
            "POST",
            "/api/v1/organisations",
            json={
                "id": org_id,
                "name": name,
                "kind": kind,
                "identity": org.public.to_json(),
                "sealed_org_key": crypto.b64e(sealed),
                "attestation": attestation,
            },
        )
        return org_id

    def organisations(self) -> list[dict[str, Any]]:
        """The organisations this account is an active member of, with its role."""
        return list(self.api.call("GET", "/api/v1/organisations"))

    def organisation(self, org_id: str) -> dict[str, Any]:
        return dict(self.api.call("GET", _org(org_id)))

    def members(self, org_id: str) -> list[dict[str, Any]]:
        return list(self.api.call("GET", f"{_org(org_id)}/members"))

    def org_grants_summary(self, org_id: str) -> dict[str, int]:
        """How many valid grants the organisation holds per section (counts, not content)."""
        rows = self.api.call("GET", f"{_org(org_id)}/grants")
        return {row["section"]: row["grants"] for row in rows}

    def organisation_key(self, org_id: str) -> crypto.Identity:
        return self._org_key(org_id)[1]

    def _org_key(self, org_id: str) -> tuple[int, crypto.Identity]:
        data = self.api.call("GET", f"{_org(org_id)}/key")
        secret = crypto.open_sealed(
            self.unlocked().identity.box, crypto.b64d(data["sealed_org_key"])
        )
        if len(secret) != 64:
            raise crypto.TamperedError("sealed org key has the wrong length")
        org = crypto.Identity.from_secret(secret)
        if org.public != crypto.PublicIdentity.from_json(data["identity"]):
            raise crypto.TamperedError("org key does not match the organisation's identity")
        return int(data["key_version"]), org

    def _member_identity(self, person: dict[str, Any]) -> crypto.PublicIdentity:
        shown = crypto.PublicIdentity.from_json(person["identity"])
        me = self.unlocked()
        trusted = (
            me.identity.public if person["account_id"] == me.account_id else None
        ) or self._pinned.get(person["account_id"])
        if trusted is not None and shown != trusted:
            raise crypto.TamperedError("server shows another identity for a member")
        return shown

    def _attested_member(
        self, org_id: str, org_sign_pk: bytes, version: int, person: dict[str, Any]
    ) -> crypto.PublicIdentity:
        """The member's identity, if a member's client attested it with the org key."""
        identity = self._member_identity(person)
        if person.get("attestation") is None:
            raise crypto.TamperedError("a member without an attestation; add them again")
        crypto.verify_membership(
            person["attestation"], org_sign_pk, org_id, person["account_id"], identity, version
        )
        return identity

    def add_member(self, org_id: str, username_or_id: str, role: str = "member") -> str:
        """Seal the current org key to the member's box key; returns their account id. A
        rotation in between (409) means sealing the new key instead."""
        person = self.api.call("GET", f"{_org(org_id)}/candidates/{username_or_id}")
        identity = self._member_identity(person)
        for _ in range(ATTEMPTS - 1):
            try:
                self._seal_to_member(org_id, person["account_id"], identity, role)
            except ApiError as exc:
                if exc.code != "version-conflict":
                    raise
            else:
                return str(person["account_id"])
        self._seal_to_member(org_id, person["account_id"], identity, role)
        return str(person["account_id"])

    def _seal_to_member(
        self, org_id: str, account_id: str, identity: crypto.PublicIdentity, role: str
    ) -> None:
        version, org = self._org_key(org_id)
        body = {
            "account_id": account_id,
            "role": role,
            "key_version": version,
            "sealed_org_key": crypto.b64e(crypto.seal_to(identity.box_pk, org.secret())),
            "attestation": crypto.sign_membership(org, org_id, account_id, identity, version),
        }
        self.api.call("POST", f"{_org(org_id)}/members", json=body)

    def set_role(self, org_id: str, account_id: str, role: str) -> None:
        self.api.call("PUT", f"{_org(org_id)}/members/{account_id}/role", json={"role": role})

    def remove_member(self, org_id: str, account_id: str) -> int:
        """One user action: the server drops the member at once, then this client rotates the
        org key so the removed member's copy opens nothing new. Returns the new key version."""
        self.api.call("DELETE", f"{_org(org_id)}/members/{account_id}")
        return self.rotate_org_key(org_id)

    def rotate_org_key(self, org_id: str) -> int:
        """Rotate with fresh state until it lands (another admin or a new grant may race us).
        Also finishes a removal whose rotation was interrupted (`rotation_due`)."""
        for attempt in range(ATTEMPTS):
            try:
                body = self.rotation_upload(org_id)
                if body is not None:
                    result = self.api.call("POST", f"{_org(org_id)}/rotation", json=body)
                    return int(result["key_version"])
            except ApiError as exc:
                if exc.code not in RETRY_CODES or attempt == ATTEMPTS - 1:
                    raise
        raise RuntimeError("the organisation key keeps moving; try again later")

    def rotation_upload(self, org_id: str) -> dict[str, Any] | None:
        """New org identity sealed to every active member, every grant envelope opened with
        the current org key and re-sealed to the new one: O(members + grants) seals here.
        A member without a valid attestation under the current key is refused, not skipped.
        None when the key moved between our two reads."""
        version, old = self._org_key(org_id)
        state = self.api.call("GET", f"{_org(org_id)}/rotation")
        if state["key_version"] != version:
            return None
        new = crypto.Identity.generate()
        new_box_pk = bytes(new.box.public_key)
        members = []
        for person in state["members"]:
            identity = self._attested_member(org_id, old.public.sign_pk, version, person)
            members.append(
                {
                    "account_id": person["account_id"],
                    "sealed_org_key": crypto.b64e(crypto.seal_to(identity.box_pk, new.secret())),
                    "attestation": crypto.sign_membership(
                        new, org_id, person["account_id"], identity, version + 1
                    ),
                }
            )
        grants = [
            {
                "grant_id": grant["grant_id"],
                "envelope": crypto.b64e(
                    crypto.seal_to(
                        new_box_pk, crypto.open_sealed(old.box, crypto.b64d(grant["envelope"]))
                    )
                ),
            }
            for grant in state["grants"]
        ]
        return {
            "old_key_version": version,
            "identity": new.public.to_json(),
            "succession": crypto.sign_succession(old, org_id, new.public, version + 1),
            "members": members,
            "grants": grants,
        }

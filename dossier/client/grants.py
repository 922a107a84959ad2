"""Client side of sharing: grants with owner-signed receipts and envelopes, revocation with
key rotation, nazorg step-down, and rotation of expired grants on unlock.

Every grantee key is looked up on the server and compared with the key pinned on this device
(pinned on first use); a receipt names the grantee's key fingerprint, so a server that swaps
keys is caught by the grantee's client and by the owner's next check."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from dossier import crypto
from dossier.client.api import ApiError
from dossier.client.sections import SectionsClient, SectionView

ROTATION_TRIES = 5


class RotatedMeanwhile(Exception):
    """Another device rotated the section between our read of its key and of its entries."""


class GrantsClient(SectionsClient):
    def party(self, party_id: str) -> tuple[str, crypto.PublicIdentity]:
        """A professional's or organisation's public identity, checked against the pin."""
        data = self.api.call("GET", f"/api/v1/parties/{party_id}")
        identity = crypto.PublicIdentity.from_json(data["identity"])
        pinned = self._pinned.get(party_id)
        if pinned is not None and pinned != identity:
            raise crypto.TamperedError("server shows another key for this party than pinned")
        self._pinned.setdefault(party_id, identity)
        return data["kind"], identity

    def grant_item(
        self,
        view: SectionView,
        grantee_id: str,
        *,
        permissions: Iterable[str],
        purpose: str,
        expires_at: dt.datetime,
        renewed_past_27: bool = False,
    ) -> dict[str, Any]:
        """One grant as the owner makes it: signed receipt, and for read the envelope."""
        kind, identity = self.party(grantee_id)
        perms = sorted(set(permissions))
        grant_id = str(uuid.uuid4())
        receipt = crypto.sign_receipt(
            self.unlocked().identity,
            grant=grant_id,
            dossier=view.dossier,
            section=view.key,
            grantee=grantee_id,
            grantee_key_fingerprint=identity.fingerprint(),
            permissions=perms,
            purpose=purpose,
            issued_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
            expires_at=expires_at,
            key_version=view.key_version,
        )
        envelope = None
        if "read" in perms:
            if view.private_key is None:
                raise RuntimeError("only the owner shares a section")
            envelope = crypto.b64e(
                crypto.seal_grant_envelope(
                    view.private_key, identity.box_pk, grant=grant_id, section_key=view.signed_key
                )
            )
        return {
            "id": grant_id,
            "section": view.key,
            "grantee_kind": kind,
            "grantee_id": grantee_id,
            "receipt": receipt.to_json(),
            "envelope": envelope,
            "renewed_past_27": renewed_past_27,
        }

    def share(
        self,
        sections: Iterable[str],
        grantee_id: str,
        *,
        permissions: Iterable[str] = ("read",),
        purpose: str,
        days: int = 365,
        renewed_past_27: bool = False,
    ) -> list[str]:
        """Share sections with a party: one grant per section, made in one request."""
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
        items = [
            self.grant_item(
                self.section(key),
                grantee_id,
                permissions=permissions,
                purpose=purpose,
                expires_at=expires,
                renewed_past_27=renewed_past_27,
            )
            for key in sections
        ]
        dossier = self._dossier_id(None)
        made = self.api.call("POST", f"/api/v1/dossiers/{dossier}/grants", json={"grants": items})
        return [g["id"] for g in made]

    def grants(self) -> list[dict[str, Any]]:
        """Every grant of my dossier, each with its signed receipt (downloadable as JSON)."""
        return list(self.api.call("GET", f"/api/v1/dossiers/{self._dossier_id(None)}/grants"))

    def my_grants(self) -> list[dict[str, Any]]:
        """As a professional: valid grants to me or to my organisations."""
        return list(self.api.call("GET", "/api/v1/grants/mine"))

    def shared_plans(self) -> list[dict[str, Any]]:
        """As a professional: the sealed plans shared with me to read, each read logged in
        that youth's access log (ciphertext and public keys; opening them is the reader's)."""
        return list(self.api.call("GET", "/api/v1/grants/mine/plans")["plans"])

    def shared_life_areas(self) -> list[dict[str, Any]]:
        """As a professional: every life area shared with me to read (the ZRM strip), each
        read logged in that youth's access log; `section` names the life area."""
        return list(self.api.call("GET", "/api/v1/grants/mine/lifeareas")["plans"])

    def revoke(self, grant_ids: Iterable[str]) -> list[str]:
        """Intrekken: refused by the server at once, then every affected section rotated."""
        path = f"/api/v1/dossiers/{self._dossier_id(None)}/grants/revoke"
        sections: list[str] = self.api.call("POST", path, json={"grant_ids": list(grant_ids)})[
            "sections"
        ]
        self.settle(sections)
        return sections

    def step_down(
        self,
        grantee_id: str,
        *,
        keep: Iterable[str] = ("contact", "plan"),
        days: int = 182,
        purpose: str = "Nazorg: op de achtergrond",
    ) -> list[str]:
        """Nazorg: end every grant of this party and give read on `keep` for `days`, as one
        action; then rotate what was read before."""
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
        items = [
            self.grant_item(
                self.section(key),
                grantee_id,
                permissions=("read",),
                purpose=purpose,
                expires_at=expires,
            )
            for key in keep
        ]
        dossier = self._dossier_id(None)
        path = f"/api/v1/dossiers/{dossier}/parties/{grantee_id}/step-down"
        sections: list[str] = self.api.call("POST", path, json={"grants": items})["sections"]
        self.settle(sections)
        return sections

    def sharing(self) -> dict[str, Any]:
        """My dossier with my sealed section keys, every grant with its receipt, every consent
        request and every connection, in one answer (what the Delen page starts from)."""
        return dict(self.api.call("GET", f"/api/v1/dossiers/{self._dossier_id(None)}/sharing"))

    def rotate_due(self) -> list[str]:
        """Rotate every section that still holds a key an ended grant could open."""
        path = f"/api/v1/dossiers/{self._dossier_id(None)}/rotation-due"
        sections: list[str] = self.api.call("GET", path)["sections"]
        self.settle(sections)
        return sections

    def settle(self, sections: Iterable[str]) -> None:
        """After anything that ended grants: sign the ends, then rotate what was read."""
        self.sign_ends()
        for section in sections:
            self.rotate(section)

    def sign_ends(self) -> int:
        """Sign the end of every revoked grant of my dossier that has none yet, at the
        server's `revoked_at` or this device's clock if earlier (the server cannot push an
        end later than the moment this device signs it). Returns how many were stored."""
        dossier = self._dossier_id(None)
        due = self.api.call("GET", f"/api/v1/dossiers/{dossier}/grant-ends/due")["ends"]
        if not due:
            return 0
        now = dt.datetime.now(dt.UTC)
        ends = [
            crypto.sign_grant_end(
                self.unlocked().identity,
                grant=item["grant"],
                dossier=dossier,
                section=item["section"],
                at=min(dt.datetime.fromisoformat(item["revoked_at"]), now),
            )
            for item in due
        ]
        path = f"/api/v1/dossiers/{dossier}/grant-ends"
        stored = int(self.api.call("POST", path, json={"ends": ends})["stored"])
        for end in ends:  # listed in the section's next manifest (ManifestsClient)
            place = self._ends_signed.setdefault((dossier, end["section"]), {})
            place[end["grant"]] = crypto.parse_time(end["at"])
        return stored

    def rotate(self, section: str) -> None:
        """New section keypair; every data key re-sealed; the new private key sealed to each
        remaining reader; uploaded in one request. When someone rotated first (a 409, or
        entries already under a newer key than the section we read) retry on fresh state."""
        for attempt in range(ROTATION_TRIES):
            try:
                self._rotate_once(section)
            except ApiError as exc:
                if exc.status != 409 or attempt == ROTATION_TRIES - 1:
                    raise
            except RotatedMeanwhile:
                if attempt == ROTATION_TRIES - 1:
                    raise
            else:
                return

    def _rotate_once(self, section: str) -> None:
        me = self.unlocked()
        view = self.section(section)
        if view.private_key is None:
            raise RuntimeError("only the owner rotates a section")
        base = f"/api/v1/dossiers/{view.dossier}/sections/{section}"
        listed = self.api.call("GET", f"{base}/entries", params={"versions": "all"})["entries"]
        sealed = [crypto.SealedEntry.from_json(item["entry"]) for item in listed]
        if any(e.key_version > view.key_version for e in sealed):
            # Read in two requests: a rotation from another device landed in between. Not
            # tampering (that stays a TamperedError in `rewrap_entry`): read both again.
            raise RotatedMeanwhile(section)
        fresh = crypto.SectionKeyPair.generate()
        signed = crypto.sign_section_key(
            me.identity, view.dossier, section, view.key_version + 1, fresh.pk
        )
        entries = [
            crypto.rewrap_entry(
                entry, old_section_sk=view.private_key, new_section_key=signed, owner=me.identity
            ).to_json()
            for entry in sealed
        ]
        readers = [
            g
            for g in self.grants()
            if g["section"] == section and g["state"] == "active" and "read" in g["permissions"]
        ]
        envelopes = [
            {
                "grant_id": g["id"],
                "envelope": crypto.b64e(
                    crypto.seal_grant_envelope(
                        fresh.sk,
                        self.party(g["grantee_id"])[1].box_pk,
                        grant=g["id"],
                        section_key=signed,
                    )
                ),
            }
            for g in readers
        ]
        body = {
            "old_key_version": view.key_version,
            "signed_key": signed.to_json(),
            "owner_sealed_sk": crypto.b64e(
                crypto.seal_to(bytes(me.identity.box.public_key), bytes(fresh.sk))
            ),
            "entries": entries,
            "envelopes": envelopes,
        }
        self.api.call("POST", f"{base}/rotate", json=body)

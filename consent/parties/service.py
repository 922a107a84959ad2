"""Organisations, memberships and organisation key rotation.

Security invariants: the server stores an organisation's public keys and, per member, the org
private key sealed to that member's box key; it never sees an org private key. A removed
member is excluded at once (`state = removed`, so `consent.authorisation` stops honouring the
organisation's grants for them); the admin's client then rotates the org key, and the server
accepts a rotation only if it covers exactly the active members and every grant envelope the
organisation holds, so nothing is left sealed to the old key.

Every membership a client makes carries an attestation signed with the org key (checked here
as defence in depth); the admin's client seals a new key only to members whose attestation
verifies, so a member slipped in by the server gets nothing (docs/organisations.md).

Every change to an organisation starts by writing its row (`_claim`): on PostgreSQL that is a
row lock, on SQLite the database write lock, so the checks that follow (last admin, key
version, who is a member) see the state they are about to change, and two admins cannot both
pass them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from consent.grants.models import Grant
from consent.parties import schemas as s
from consent.parties.errors import RotationIncomplete
from consent.parties.lookups import ACTIVE, ADMIN, REMOVED, Member, PartyLookups, public_of
from consent.parties.models import MemberInvite, Membership, Organisation, OrgKeyVersion
from dossier import crypto
from dossier.accounts.models import Account
from dossier.accounts.service import parse_uuid
from dossier.db import utcnow
from dossier.errors import Conflict, Forbidden, InvalidInput, NotFound, VersionConflict


@dataclass(frozen=True, slots=True)
class RotationFacts:
    org: Organisation
    rotation_due: bool
    members: list[Member]
    grants: list[Grant]


class PartiesService(PartyLookups):
    # -- reading -------------------------------------------------------------------------

    async def organisation(self, org_id: uuid.UUID) -> Organisation:
        org = await self.db.get(Organisation, org_id)
        if org is None:
            raise NotFound("organisation")
        return org

    async def mine(self, account_id: uuid.UUID) -> list[tuple[Organisation, Membership, bool]]:
        rows = await self.db.execute(
            select(Organisation, Membership)
            .join(Membership, Membership.org_id == Organisation.id)
            .where(Membership.account_id == account_id, Membership.state == ACTIVE)
            .order_by(Organisation.name)
        )
        return [(o, m, await self._rotation_due(o)) for o, m in rows.tuples()]

    async def key(self, caller: uuid.UUID, org_id: uuid.UUID) -> tuple[Organisation, Membership]:
        """One statement, so the sealed key and the identity it must match are of one version
        even while a rotation commits."""
        found = (
            await self.db.execute(
                select(Organisation, Membership)
                .join(Membership, Membership.org_id == Organisation.id)
                .where(
                    Organisation.id == org_id,
                    Membership.account_id == caller,
                    Membership.state == ACTIVE,
                )
            )
        ).first()
        if found is None:
            raise Forbidden("not a member of this organisation")
        return found.Organisation, found.Membership

    async def members(self, caller: uuid.UUID, org_id: uuid.UUID) -> list[Member]:
        """Every active member sees who else is active; admins also see removed members."""
        me = await self._member(caller, org_id)
        return await self._members(org_id, everyone=me.role == ADMIN)

    async def require_member(
        self, caller: uuid.UUID, org_id: uuid.UUID, *, admin: bool = False
    ) -> Membership:
        """Forbidden unless the caller is an active member (an admin, if asked)."""
        return await self._member(caller, org_id, admin=admin)

    async def candidate(self, caller: uuid.UUID, org_id: uuid.UUID, who: str) -> Account:
        """A professional account, by id or username, whose public identity an admin's client
        seals the org key to. Admin only, so this is no directory for anyone else."""
        await self._member(caller, org_id, admin=True)
        return await self._professional(who)

    async def grants_summary(self, caller: uuid.UUID, org_id: uuid.UUID) -> list[tuple[str, int]]:
        """How many valid grants the organisation holds per section: counts, never content."""
        await self._member(caller, org_id)
        rows = await self.db.execute(
            select(Grant.section, func.count())
            .where(*self._org_grants(org_id), Grant.revoked_at.is_(None))
            .where(Grant.expires_at > dt.datetime.now(dt.UTC))
            .group_by(Grant.section)
            .order_by(Grant.section)
        )
        return [(section, n) for section, n in rows.tuples()]

    async def rotation_state(self, caller: uuid.UUID, org_id: uuid.UUID) -> RotationFacts:
        """Read in several statements; if a rotation committed in between, the envelopes could
        be of two versions, so the version is read again and a move answers VersionConflict."""
        await self._member(caller, org_id, admin=True)
        org = await self.organisation(org_id)
        version = org.key_version
        members = await self._members(org_id)
        grants = list(
            await self.db.scalars(
                select(Grant).where(*self._org_grants(org_id), Grant.envelope.is_not(None))
            )
        )
        moved = await self.db.scalar(
            select(Organisation.key_version).where(Organisation.id == org_id)
        )
        if moved != version:
            raise VersionConflict("the organisation key moved while reading; ask again")
        return RotationFacts(org, await self._rotation_due(org), members, grants)

    # -- changing ------------------------------------------------------------------------

    async def create(self, caller: uuid.UUID, data: s.NewOrganisation) -> Organisation:
        """The creator's client made the org identity and sealed it to itself; the creator
        becomes the first admin at key version 1."""
        creator = await self.db.get(Account, caller)
        if creator is None or creator.kind != "professional":
            raise Forbidden("only a professional account can create an organisation")
        org_id = parse_uuid(data.id, "organisation id")
        identity = s.public_identity(data.identity)
        sealed = s.sealed_org_key(data.sealed_org_key)
        attestation = s.attested(
            data.attestation, identity.sign_pk, org_id, caller, public_of(creator), 1
        )
        if await self.db.get(Organisation, org_id) is not None:
            raise Conflict("organisation exists")
        org = Organisation(
            id=org_id,
            name=data.name,
            kind=data.kind,
            key_version=1,
            box_pk=identity.box_pk,
            sign_pk=identity.sign_pk,
        )
        self.db.add(org)
        await self.db.flush()
        self.db.add(OrgKeyVersion(org_id=org_id, version=1, **self._keys(identity)))
        self.db.add(
            Membership(
                org_id=org_id,
                account_id=caller,
                role=ADMIN,
                state=ACTIVE,
                key_version=1,
                sealed_org_key=sealed,
                attestation=attestation,
            )
        )
        await self.db.flush()
        return org

    async def add_member(self, caller: uuid.UUID, org_id: uuid.UUID, data: s.NewMember) -> Member:
        """The admin's client sealed the current org key to the new member's box key; a key
        of another version is refused (VersionConflict), so a rotation cannot be undone."""
        sealed = s.sealed_org_key(data.sealed_org_key)
        org = await self._claim(caller, org_id)
        account = await self._professional(data.account_id)
        if data.key_version != org.key_version:
            raise VersionConflict("the organisation key moved; seal the current one")
        attestation = s.attested(
            data.attestation, org.sign_pk, org_id, account.id, public_of(account), org.key_version
        )
        membership = await self._membership(org_id, account.id)
        if membership is None:
            membership = Membership(org_id=org_id, account_id=account.id)
            self.db.add(membership)
        elif membership.state == ACTIVE:
            raise Conflict("already a member")
        membership.role = data.role
        membership.state = ACTIVE
        membership.removed_at = None
        membership.key_version = org.key_version
        membership.sealed_org_key = sealed
        membership.attestation = attestation
        await self.db.execute(
            update(MemberInvite)
            .where(
                MemberInvite.org_id == org_id,
                MemberInvite.account_id == account.id,
                MemberInvite.state == "accepted",
            )
            .values(state="added")
        )
        await self.db.flush()
        return Member(membership, account)

    async def set_role(
        self, caller: uuid.UUID, org_id: uuid.UUID, account_id: uuid.UUID, role: str
    ) -> Member:
        await self._claim(caller, org_id)
        target = await self._active(org_id, account_id)
        if target.role == ADMIN and role != ADMIN:
            await self._keep_an_admin(org_id)
        target.role = role
        await self.db.flush()
        return Member(target, await self._account(account_id))

    async def remove_member(
        self, caller: uuid.UUID, org_id: uuid.UUID, account_id: uuid.UUID
    ) -> None:
        """Takes effect at once: from this flush on the member's org grants give 403. The
        caller's client rotates the org key next (see `rotate`)."""
        await self._claim(caller, org_id)
        target = await self._active(org_id, account_id)
        if target.role == ADMIN:
            await self._keep_an_admin(org_id)
        target.state = REMOVED
        target.removed_at = utcnow()
        target.sealed_org_key = b""
        await self.db.flush()

    async def rotate(self, caller: uuid.UUID, org_id: uuid.UUID, data: s.Rotation) -> Organisation:
        """Apply an admin's rotation in one transaction. The conditional update claims the next
        version first, so of two concurrent rotations exactly one wins; the other gets
        VersionConflict and retries on fresh state."""
        identity = s.public_identity(data.identity)
        sealed = dict(
            zip(
                s.unique_ids([m.account_id for m in data.members], "member"),
                [(s.sealed_org_key(m.sealed_org_key), m.attestation) for m in data.members],
                strict=True,
            )
        )
        envelopes = dict(
            zip(
                s.unique_ids([g.grant_id for g in data.grants], "grant"),
                [s.decode_bytes(g.envelope, "envelope") for g in data.grants],
                strict=True,
            )
        )
        version = data.old_key_version + 1
        claimed = await self.db.scalar(
            update(Organisation)
            .where(
                Organisation.id == org_id,
                Organisation.key_version == data.old_key_version,
                Organisation.box_pk != identity.box_pk,
                self._is_admin(caller, org_id),
            )
            .values(key_version=version, **self._keys(identity))
            .returning(Organisation.id)
        )
        if claimed is None:
            await self._member(caller, org_id, admin=True)
            org = await self.organisation(org_id)
            if org.box_pk == identity.box_pk:
                raise InvalidInput("a rotation needs a new key")
            raise VersionConflict("the organisation key moved; rotate again on fresh state")
        succession = await self._succession(org_id, data, identity)
        await self._rewrap_members(org_id, version, identity, sealed)
        await self._rewrap_grants(org_id, envelopes)
        self.db.add(
            OrgKeyVersion(
                org_id=org_id, version=version, succession=succession, **self._keys(identity)
            )
        )
        await self.db.flush()
        return await self.db.get_one(Organisation, org_id, populate_existing=True)

    async def _succession(
        self, org_id: uuid.UUID, data: s.Rotation, identity: crypto.PublicIdentity
    ) -> dict[str, Any]:
        """The outgoing key must name the new one. Runs after the claim, so the old version
        is the one that was current; a refusal rolls the claim back with the request."""
        old_sign_pk = await self.db.scalar(
            select(OrgKeyVersion.sign_pk).where(
                OrgKeyVersion.org_id == org_id, OrgKeyVersion.version == data.old_key_version
            )
        )
        if old_sign_pk is None:
            raise NotFound("organisation key version")
        try:
            crypto.verify_succession(
                data.succession, old_sign_pk, str(org_id), identity, data.old_key_version + 1
            )
        except crypto.CryptoError as exc:
            raise InvalidInput("the old key does not name the new one") from exc
        return data.succession

    # -- helpers -------------------------------------------------------------------------

    async def _rewrap_members(
        self,
        org_id: uuid.UUID,
        version: int,
        identity: crypto.PublicIdentity,
        sealed: dict[uuid.UUID, tuple[bytes, dict[str, Any]]],
    ) -> None:
        active = {m.membership.account_id: m for m in await self._members(org_id)}
        if active.keys() != sealed.keys():
            raise RotationIncomplete("seal the new key to exactly the active members")
        for account_id, member in active.items():
            key, attestation = sealed[account_id]
            person = public_of(member.account)
            member.membership.attestation = s.attested(
                attestation, identity.sign_pk, org_id, account_id, person, version
            )
            member.membership.sealed_org_key = key
            member.membership.key_version = version

    async def _rewrap_grants(self, org_id: uuid.UUID, envelopes: dict[uuid.UUID, bytes]) -> None:
        grants = {
            g.id: g
            for g in await self.db.scalars(
                select(Grant).where(*self._org_grants(org_id), Grant.envelope.is_not(None))
            )
        }
        if grants.keys() != envelopes.keys():
            raise RotationIncomplete("re-wrap exactly the organisation's grant envelopes")
        for grant_id, grant in grants.items():
            # Re-wrapping keeps the section key, so the sealed length cannot change.
            if grant.envelope is None or len(envelopes[grant_id]) != len(grant.envelope):
                raise InvalidInput("a re-wrapped envelope has the wrong length")
            grant.envelope = envelopes[grant_id]

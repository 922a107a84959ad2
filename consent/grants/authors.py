"""Who may have written in a section: every append receipt with the identities that sign
under it. Readers use this to accept or refuse an entry (DESIGN.md §4); revoked grants stay
listed because entries written while they were valid stay valid."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.grants.models import Grant
from consent.grants.schemas import AuthorOut
from consent.parties.models import Membership, OrgKeyVersion
from dossier import crypto
from dossier.accounts.models import Account
from dossier.sections.models import Section


def _identity(box_pk: bytes, sign_pk: bytes) -> dict[str, object]:
    return crypto.PublicIdentity(box_pk=box_pk, sign_pk=sign_pk).to_json()


async def authors_of(db: AsyncSession, section: Section) -> list[AuthorOut]:
    grants = list(
        await db.scalars(select(Grant).where(Grant.section_id == section.id, Grant.can_append))
    )
    out = []
    for grant in grants:
        if grant.grantee_kind == "person":
            account = await db.get(Account, grant.grantee_id)
            identities = [] if account is None else [_identity(account.box_pk, account.sign_pk)]
            out.append(
                AuthorOut(
                    grant.receipt, grant.grantee_kind, identities, {}, end=grant.end_statement
                )
            )
            continue
        versions = list(
            await db.scalars(
                select(OrgKeyVersion)
                .where(OrgKeyVersion.org_id == grant.grantee_id)
                .order_by(OrgKeyVersion.version)
            )
        )
        rows = (
            await db.execute(
                select(Account.id, Account.box_pk, Account.sign_pk, Membership.attestation)
                .join(Membership, Membership.account_id == Account.id)
                .where(Membership.org_id == grant.grantee_id)
            )
        ).all()
        out.append(
            AuthorOut(
                receipt=grant.receipt,
                grantee_kind=grant.grantee_kind,
                identities=[_identity(v.box_pk, v.sign_pk) for v in versions],
                members={str(r.id): _identity(r.box_pk, r.sign_pk) for r in rows},
                attestations={str(r.id): r.attestation for r in rows},
                org_keys=[
                    {
                        "version": v.version,
                        "identity": _identity(v.box_pk, v.sign_pk),
                        "succession": v.succession,
                    }
                    for v in versions
                ],
                end=grant.end_statement,
            )
        )
    return out


def receipt_items(authors: list[AuthorOut]) -> list[dict[str, object]]:
    """What a reader's browser checks entries by others against: `{receipt, grantee}` per
    identity the grantee signed with, and for a grant to an organisation its `members`
    (account id to identity) with their `attestations` and the `org_keys` chain, which the
    browser verifies before it accepts a member as an author (docs/crypto.md), and `end`,
    the owner's signed grant end, when there is one."""
    items: list[dict[str, object]] = []
    for author in authors:
        extra: dict[str, object] = {} if author.end is None else {"end": author.end}
        if author.grantee_kind == "organisation":
            extra |= {
                "members": author.members,
                "attestations": author.attestations,
                "org_keys": author.org_keys,
            }
        items.extend({"receipt": author.receipt, "grantee": i, **extra} for i in author.identities)
    return items

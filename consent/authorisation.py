"""The server-side enforcement point: load the facts for one request, ask `policy.may`, and
write the access-log event for what is allowed, all in the request's transaction."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CTE, ColumnElement, Row, Select, bindparam, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.grants.models import Grant
from consent.log.actions import LogAction
from consent.log.service import LogService
from consent.parties.models import Membership
from consent.policy import Action, Actor, Decision, GrantFacts, SectionFacts, may
from dossier.accounts.models import LoginSession
from dossier.errors import Forbidden, NotAuthenticated, NotFound, SessionExpired
from dossier.sections.catalogue import SECTIONS
from dossier.sections.models import Dossier, Section
from dossier.sections.queries import Columns

# True while the login session whose token hash is `session` exists, belongs to the facts
# statement's `account_id` and has not expired (`now`): a cached session is checked again
# inside the statement that uses it. One prebuilt expression (see `AccessService._statement`).
SESSION_LIVE: ColumnElement[bool] = exists().where(
    LoginSession.token_hash == bindparam("session", type_=LoginSession.token_hash.type),
    LoginSession.account_id == bindparam("account_id", type_=LoginSession.account_id.type),
    LoginSession.expires_at > bindparam("now", type_=LoginSession.expires_at.type),
)


@dataclass(frozen=True, slots=True)
class Along:
    """What rides along with the facts statement. `session`: the token hash of a login
    session this worker took from its cache (web/auth.py); the statement checks that it is
    still live, and `NotAuthenticated` or `SessionExpired` follows when not. `columns`: the
    caller's own columns or joins (dossier/sections/queries.py); `Allowed.rows` has them."""

    session: bytes | None = None
    columns: Columns | None = None


NOTHING_ALONG = Along()


class Logging(enum.Enum):
    """How `AccessService.section` logs what it allows. `DEFERRED` (PostgreSQL only): a
    logged read's event comes back in `Allowed.pending_log`, and the caller MUST send it as a
    CTE of its next statement in this transaction (one round trip less)."""

    NOW = "now"
    DEFERRED = "deferred"
    OFF = "off"


LOGGED = {Action.READ: LogAction.READ, Action.APPEND: LogAction.APPEND}


class AccessDenied(Forbidden):
    """Carries the policy's reason (`revoked`, `expired`, …) to the API's problem detail."""

    code = "forbidden"


@dataclass(frozen=True, slots=True)
class Allowed:
    section: Section
    owner_id: uuid.UUID
    decision: Decision
    rows: tuple[Row[Any], ...] = ()
    # With `defer_log`: the log event still to send, WITH the caller's next statement.
    pending_log: tuple[CTE, dict[str, object]] | None = None

    @property
    def is_owner(self) -> bool:
        return self.decision.grant_id is None


def grant_facts(grant: Grant) -> GrantFacts:
    return GrantFacts(
        id=grant.id,
        grantee_id=grant.grantee_id,
        section=grant.section,
        can_read=grant.can_read,
        can_append=grant.can_append,
        issued_at=grant.issued_at,
        expires_at=grant.expires_at,
        revoked_at=grant.revoked_at,
    )


class AccessService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def actor(self, account_id: uuid.UUID) -> Actor:
        orgs = await self.db.scalars(
            select(Membership.org_id).where(
                Membership.account_id == account_id, Membership.state == "active"
            )
        )
        return Actor(account_id, frozenset(orgs))

    async def owned_dossier(self, actor: uuid.UUID, dossier_id: uuid.UUID) -> Dossier:
        """The dossier if `actor` owns it; otherwise Forbidden, also when it does not exist,
        so the answer is no oracle for which dossier ids exist."""
        dossier = await self.db.get(Dossier, dossier_id)
        if dossier is None or dossier.owner_id != actor:
            raise Forbidden("not the owner of this dossier")
        return dossier

    async def section(
        self,
        account_id: uuid.UUID,
        dossier_id: uuid.UUID,
        key: str,
        action: Action,
        *,
        own_entries: bool = False,
        log: Logging = Logging.NOW,
        along: Along = NOTHING_ALONG,
    ) -> Allowed:
        """Decide and, when allowed and not the owner's own read, log it (see `Logging`).
        `own_entries` lets an append-only grantee read back what they wrote (via the author
        copy).

        One statement loads the facts; an append also locks the dossier row and reads the
        log's head in it, so its log event is one INSERT. `along` checks a cached session
        and adds the caller's own columns to that statement (see `Along`)."""
        if key not in SECTIONS:
            raise NotFound("section")
        appending = log is not Logging.OFF and action is Action.APPEND
        params: dict[str, Any] = {"account_id": account_id, "dossier_id": dossier_id, "key": key}
        if along.session is not None:
            params |= {"session": along.session, "now": dt.datetime.now(dt.UTC)}
        if along.columns is not None:
            params |= along.columns.params
        rows = (await self.db.execute(_statement(along, appending=appending), params)).all()
        if along.session is not None and not (rows and rows[0].session_live):
            await self._check_session(along.session)
        if not rows:
            raise Forbidden("no access to this section")
        section: Section = rows[0].Section
        owner_id: uuid.UUID = rows[0].owner_id
        grants = tuple({r.Grant.id: grant_facts(r.Grant) for r in rows if r.Grant}.values())
        orgs = frozenset(r.org_id for r in rows if r.org_id is not None)
        facts = self._facts(section, owner_id, grants)
        decision = may(Actor(account_id, orgs), action, facts)
        if not decision and own_entries and action is Action.READ:
            decision = may(Actor(account_id, orgs), Action.APPEND, facts)
        if not decision:
            raise AccessDenied(decision.reason.value)
        pending = None
        if log is not Logging.OFF and (action is Action.APPEND or account_id != owner_id):
            pending = await self._log(rows[0], dossier_id, key, account_id, action, log)
        return Allowed(section, owner_id, decision, tuple(rows), pending)

    async def _log(
        self,
        head: Row[Any],
        dossier_id: uuid.UUID,
        key: str,
        account_id: uuid.UUID,
        action: Action,
        log: Logging,
    ) -> tuple[CTE, dict[str, object]] | None:
        """Log an allowed action: an append after the head its facts row read under the lock,
        anything else after a locking read of the head, now or as a pending CTE."""
        logged = LOGGED.get(action)
        if logged is None:
            return None
        journal = LogService(self.db)
        if action is Action.APPEND and log is Logging.DEFERRED:
            return journal.pending_after(
                dossier_id, head.log_seq, head.log_head, account_id, logged, key
            )
        if action is Action.APPEND:
            await journal.append(dossier_id, head.log_seq, head.log_head, account_id, logged, key)
        elif log is Logging.DEFERRED:
            return await journal.pending(dossier_id, account_id, logged, key)
        else:
            await journal.record(dossier_id, account_id, logged, key)
        return None

    async def _check_session(self, session: bytes) -> None:
        """The facts statement found no live session, or no rows at all: say which."""
        expires = await self.db.scalar(
            select(LoginSession.expires_at).where(LoginSession.token_hash == session)
        )
        if expires is None:
            raise NotAuthenticated
        if expires <= dt.datetime.now(dt.UTC):
            raise SessionExpired

    @staticmethod
    def _facts(
        section: Section, owner_id: uuid.UUID, grants: tuple[GrantFacts, ...]
    ) -> SectionFacts:
        return SectionFacts(
            section.dossier_id, owner_id, section.key, grants, dt.datetime.now(dt.UTC)
        )

    async def visible_grants(self, account_id: uuid.UUID, dossier_id: uuid.UUID) -> list[Grant]:
        """The caller's currently valid grants in this dossier (directly or via an org)."""
        actor = await self.actor(account_id)
        now = dt.datetime.now(dt.UTC)
        rows = await self.db.scalars(
            select(Grant).where(
                Grant.dossier_id == dossier_id,
                Grant.grantee_id.in_(actor.parties()),
                Grant.revoked_at.is_(None),
                Grant.expires_at > now,
                or_(Grant.can_read, Grant.can_append),
            )
        )
        return list(rows)


# Prebuilt facts statements, one per shape: (appending, cached session, along's columns).
_STATEMENTS: dict[tuple[object, ...], Select[Any]] = {}


def _statement(along: Along, *, appending: bool) -> Select[Any]:
    """The facts statement for this shape, built once per worker with bind parameters
    (`account_id`, `dossier_id`, `key`; `session` and `now` for a cached session; the
    columns' own). The same object every time, so SQLAlchemy reuses its cache key too."""
    name = (
        appending,
        along.session is not None,
        None if along.columns is None else along.columns.name,
    )
    statement = _STATEMENTS.get(name)
    if statement is None:
        statement = _facts_query()
        if appending:
            statement = statement.add_columns(Dossier.log_seq, Dossier.log_head)
            statement = statement.with_for_update(of=Dossier)
        if along.session is not None:
            statement = statement.add_columns(SESSION_LIVE.label("session_live"))
        if along.columns is not None:
            statement = along.columns.add(statement)
        _STATEMENTS[name] = statement
    return statement


def _facts_query() -> Select[Any]:
    """One round trip for every fact the decision needs: the section, its owner, and the
    section's grants to the caller or to an organisation the caller is an active member
    of (one row per such grant, or one row with no grant)."""
    account_id = bindparam("account_id", type_=Membership.account_id.type)
    active = (Membership.account_id == account_id) & (Membership.state == "active")
    orgs = select(Membership.org_id).where(active)
    return (
        select(Section, Dossier.owner_id, Grant, Membership.org_id)
        .join(Dossier, Dossier.id == Section.dossier_id)
        .outerjoin(
            Grant,
            (Grant.section_id == Section.id)
            & ((Grant.grantee_id == account_id) | Grant.grantee_id.in_(orgs)),
        )
        .outerjoin(Membership, (Membership.org_id == Grant.grantee_id) & active)
        .where(
            Section.dossier_id == bindparam("dossier_id", type_=Section.dossier_id.type),
            Section.key == bindparam("key", type_=Section.key.type),
        )
    )

"""The connections API: invites (link, WhatsApp text, QR code), accepting, profile cards, the
fixed contact person, ending a connection. The profile cards are ciphertext made by clients."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from consent.connections import schemas as s
from consent.connections.service import (
    ConnectionService,
    ConnectionView,
    decode_card,
)
from consent.grants.schemas import RotationDue
from consent.sharing.service import SharingService
from dossier.accounts.service import parse_uuid
from dossier.crypto import VERSION, b64e
from web.auth import CALLER_SECURITY, Caller, public, requires_login
from web.deps import Accounts, CallerDep, DbSession, SettingsDep, provide_viewer
from web.invites import invite_link, qr_svg, whatsapp_text

Connections = NamedDependency[ConnectionService]
Viewer = NamedDependency[Caller | None]


async def provide_connections(db_session: DbSession) -> ConnectionService:
    return ConnectionService(db_session)


def connection_out(view: ConnectionView) -> s.ConnectionOut:
    row = view.connection
    return s.ConnectionOut(
        id=str(row.id),
        role=view.role,  # type: ignore[arg-type]
        other_id=str(view.other.id),
        other_identity={
            "v": VERSION,
            "box_pk": b64e(view.other.box_pk),
            "sign_pk": b64e(view.other.sign_pk),
        },
        fingerprint=view.fingerprint,
        fingerprint_qr_svg=qr_svg(view.fingerprint),
        card=None if view.card is None else b64e(view.card),
        dossier_id=str(row.dossier_id),
        org_id=None if row.org_id is None else str(row.org_id),
        contact_person=row.contact_person,
        created_at=row.created_at,
        purpose=row.purpose,
        ended_at=row.ended_at,
    )


class ConnectionsController(Controller):
    path = "/api/v1"
    tags = ["connections"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {"connections": Provide(provide_connections)}

    @post("/invites", status_code=201)
    async def create_invite(
        self,
        data: JSONBody[s.NewInvite],
        caller: CallerDep,
        connections: Connections,
        settings: SettingsDep,
    ) -> s.InviteOut:
        org_id = None if data.org_id is None else parse_uuid(data.org_id, "org_id")
        made = await connections.create_invite(
            caller.account_id,
            caller.kind,
            org_id,
            token=data.token,
            card=decode_card(data.card),
            purpose=data.purpose,
        )
        link = invite_link(settings.base_url, made.token)
        return s.InviteOut(
            id=str(made.invite.id),
            token=made.token,
            link=link,
            whatsapp_text=whatsapp_text(link, made.org_name),
            qr_svg=qr_svg(link),
            expires_at=made.invite.expires_at,
            org_id=None if org_id is None else str(org_id),
            org_name=made.org_name,
        )

    @post("/connections", status_code=201)
    async def accept(
        self, data: JSONBody[s.Accept], caller: CallerDep, connections: Connections
    ) -> s.ConnectionOut:
        view = await connections.accept(
            caller.account_id, caller.kind, data.token, decode_card(data.card)
        )
        return connection_out(view)

    @get("/connections")
    async def list_connections(
        self, caller: CallerDep, connections: Connections
    ) -> list[s.ConnectionOut]:
        return [connection_out(v) for v in await connections.list_for(caller.account_id)]

    @put("/connections/{connection_id:uuid}/card", status_code=204)
    async def send_card(
        self,
        connection_id: FromPath[uuid.UUID],
        data: JSONBody[s.CardIn],
        caller: CallerDep,
        connections: Connections,
    ) -> None:
        await connections.send_card(caller.account_id, connection_id, decode_card(data.card))

    @put("/connections/{connection_id:uuid}/contact-person", status_code=204)
    async def set_contact_person(
        self, connection_id: FromPath[uuid.UUID], caller: CallerDep, connections: Connections
    ) -> None:
        await connections.set_contact_person(caller.account_id, connection_id)

    @delete("/connections/{connection_id:uuid}/contact-person", status_code=204)
    async def clear_contact_person(
        self, connection_id: FromPath[uuid.UUID], caller: CallerDep, connections: Connections
    ) -> None:
        await connections.set_contact_person(caller.account_id, connection_id, on=False)

    @delete("/connections/{connection_id:uuid}", status_code=HTTP_200_OK)
    async def end(
        self,
        connection_id: FromPath[uuid.UUID],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> RotationDue:
        """Only the youth ends a connection, and everything shared with that person is
        revoked in the same transaction; the youth's client then rotates the sections named."""
        youth = await accounts.get(caller.account_id)
        sections = await SharingService(db_session).end_connection(youth, connection_id)
        return RotationDue(sections=sections)


class InviteInfoController(Controller):
    """The invite page's data, before login: the token in the link is the only credential.
    An unknown, used or expired token gets one uniform 404."""

    path = "/api/v1/invites"
    tags = ["connections"]
    guards = [public]
    dependencies = {
        "connections": Provide(provide_connections),
        "viewer": Provide(provide_viewer),
    }

    @get("/{token:str}")
    async def info(
        self, token: FromPath[str], viewer: Viewer, connections: Connections
    ) -> s.InviteInfo:
        found = await connections.invite_info(token, None if viewer is None else viewer.account_id)
        invite = found.invite
        return s.InviteInfo(
            professional_id=str(invite.professional_id),
            identity={
                "v": VERSION,
                "box_pk": b64e(found.professional.box_pk),
                "sign_pk": b64e(found.professional.sign_pk),
            },
            fingerprint=found.fingerprint,
            expires_at=invite.expires_at,
            used=invite.used_at is not None,
            org_id=None if invite.org_id is None else str(invite.org_id),
            org_name=found.org_name,
            connection_id=None if invite.connection_id is None else str(invite.connection_id),
            card=None if invite.card is None else b64e(invite.card),
            purpose=invite.purpose,
        )

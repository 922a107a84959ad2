"""Partner clients, managed by an admin of the school's organisation. The secret is in the
answer to creating a client, once; after that nobody can read it, the server included."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody

from consent.campaigns import schemas as s
from consent.campaigns.models import PartnerClient
from web.auth import CALLER_SECURITY, requires_login
from web.deps import CallerDep
from web.oauth.server import Partners, provide_partners


def client_out(row: PartnerClient, secret: str | None = None) -> s.PartnerClientOut:
    return s.PartnerClientOut(
        client_id=str(row.id),
        org_id=str(row.org_id),
        name=row.name,
        scopes=list(row.scopes),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        client_secret=secret,
    )


class PartnerClientsController(Controller):
    path = "/api/v1/organisations/{org_id:uuid}/partner-clients"
    tags = ["partner"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {"partners": Provide(provide_partners)}

    @post("/", status_code=201)
    async def create(
        self,
        org_id: FromPath[uuid.UUID],
        data: JSONBody[s.NewPartnerClient],
        caller: CallerDep,
        partners: Partners,
    ) -> s.PartnerClientOut:
        row, secret = await partners.create(caller.account_id, org_id, data)
        return client_out(row, secret)

    @get("/")
    async def list_clients(
        self, org_id: FromPath[uuid.UUID], caller: CallerDep, partners: Partners
    ) -> list[s.PartnerClientOut]:
        return [client_out(row) for row in await partners.of_org(caller.account_id, org_id)]

    @delete("/{client_id:uuid}", status_code=204)
    async def revoke(
        self,
        org_id: FromPath[uuid.UUID],
        client_id: FromPath[uuid.UUID],
        caller: CallerDep,
        partners: Partners,
    ) -> None:
        """Refused at once: every token of the client stops working with this request."""
        await partners.revoke(caller.account_id, org_id, client_id)

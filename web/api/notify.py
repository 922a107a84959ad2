"""Notices (the in-app unread state) and the e-mail opt-in. The confirmation and the RFC 8058
one-click unsubscribe are public: the token in the link is the credential, and it can only
confirm or remove that one address."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from dossier.accounts.service import parse_uuid
from dossier.notify import schemas as s
from dossier.notify.devices import DeviceService
from dossier.notify.errors import PushOff
from dossier.notify.inbox import InboxService
from dossier.notify.mail import MailService, MailView
from dossier.notify.push import application_server_key
from web.auth import CALLER_SECURITY, public, requires_login
from web.deps import CallerDep, DbSession, SettingsDep

Token = Annotated[str, Parameter(min_length=16, max_length=128)]


async def provide_inbox(db_session: DbSession) -> InboxService:
    return InboxService(db_session)


async def provide_mail(db_session: DbSession) -> MailService:
    return MailService(db_session)


Inbox = NamedDependency[InboxService]
Mail = NamedDependency[MailService]


def mail_out(view: MailView | None) -> s.MailOut:
    if view is None:
        return s.MailOut(address=None)
    return s.MailOut(address=view.address, confirmed=view.confirmed, mode=view.mode)


class NoticesController(Controller):
    path = "/api/v1"
    tags = ["notifications"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {"inbox": Provide(provide_inbox), "mail": Provide(provide_mail)}

    @get("/notices")
    async def unread(self, caller: CallerDep, inbox: Inbox) -> s.Unread:
        found = await inbox.unread(caller.account_id)
        return s.Unread(
            count=found.count,
            notices=[
                s.NoticeOut(
                    kind=n.kind,
                    dossier_id=None if n.dossier_id is None else str(n.dossier_id),
                    section=n.section,
                    at=n.created_at,
                )
                for n in found.notices
            ],
        )

    @post("/notices/read", status_code=HTTP_200_OK)
    async def mark_read(
        self, data: JSONBody[s.MarkRead], caller: CallerDep, inbox: Inbox
    ) -> s.Marked:
        dossier = None if data.dossier_id is None else parse_uuid(data.dossier_id, "dossier id")
        marked = await inbox.mark_read(caller.account_id, dossier_id=dossier, section=data.section)
        return s.Marked(marked=marked)

    @get("/account/mail")
    async def mail(self, caller: CallerDep, mail: Mail) -> s.MailOut:
        return mail_out(await mail.get(caller.account_id))

    @put("/account/mail")
    async def add_mail(self, data: JSONBody[s.MailIn], caller: CallerDep, mail: Mail) -> s.MailOut:
        """Queues a confirmation mail; nothing else goes to the address until it is confirmed."""
        return mail_out(await mail.add(caller.account_id, data.address))

    @patch("/account/mail")
    async def mail_mode(
        self, data: JSONBody[s.MailMode], caller: CallerDep, mail: Mail
    ) -> s.MailOut:
        return mail_out(await mail.set_mode(caller.account_id, data.mode))

    @delete("/account/mail", status_code=HTTP_204_NO_CONTENT)
    async def remove_mail(self, caller: CallerDep, mail: Mail) -> None:
        await mail.remove(caller.account_id)


class MailLinkController(Controller):
    path = "/api/v1/mail"
    tags = ["notifications"]
    guards = [public]
    dependencies = {"mail": Provide(provide_mail)}

    @post("/confirm", status_code=HTTP_204_NO_CONTENT)
    async def confirm(self, data: JSONBody[s.Confirm], mail: Mail) -> None:
        await mail.confirm(data.token)

    @post("/unsubscribe/{token:str}", status_code=HTTP_200_OK)
    async def unsubscribe(self, token: FromPath[Token], mail: Mail) -> None:
        """RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` here; the body is not
        needed, the token says which address goes."""
        await mail.unsubscribe(token)


class PushController(Controller):
    """Web Push per device: the page's push script (js/app/push.js) asks for the server's key,
    subscribes through the browser's push service and hands the subscription over here."""

    path = "/api/v1/push"
    tags = ["notifications"]
    guards = [requires_login]
    security = CALLER_SECURITY

    @get("/key")
    async def key(self, settings: SettingsDep) -> s.PushKey:
        if not settings.vapid_private_key:
            raise PushOff("no VAPID key")
        return s.PushKey(public_key=application_server_key(settings.vapid_private_key))

    @post("/subscriptions", status_code=HTTP_204_NO_CONTENT)
    async def subscribe(
        self,
        data: JSONBody[s.PushSubscriptionIn],
        caller: CallerDep,
        db_session: DbSession,
        settings: SettingsDep,
    ) -> None:
        if not settings.vapid_private_key:
            raise PushOff("no VAPID key")
        devices = DeviceService(db_session, loopback_http=settings.push_loopback_http)
        await devices.subscribe(caller.account_id, data.endpoint, data.keys.p256dh, data.keys.auth)

    @post("/subscriptions/remove", status_code=HTTP_204_NO_CONTENT)
    async def unsubscribe(
        self, data: JSONBody[s.PushEndpoint], caller: CallerDep, db_session: DbSession
    ) -> None:
        await DeviceService(db_session).unsubscribe(caller.account_id, data.endpoint)

"""Recovery through a contact (docs/recovery.md): the new device's routes (anonymous, behind
the sign-up/login rate limit, authorised by the request token in `X-Recovery-Token`), and the
logged-in routes of the youth (setup, veto, recovery code) and of a contact (approve)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, HeaderParameter, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from consent.recovery import schemas as s
from web.auth import CALLER_SECURITY, public, requires_login
from web.deps import CallerDep, Recovery, RecoverySetups
from web.ratelimit import account_throttle

Token = Annotated[str, HeaderParameter(name="x-recovery-token", min_length=16, max_length=64)]


class RecoveryDeviceController(Controller):
    """The new device, not logged in. The token is shown to nobody: the device made the
    request and keeps it on that device (IndexedDB) until the request ends."""

    path = "/api/v1/auth/recovery/contact"
    tags = ["recovery"]
    guards = [public]

    @post("/", status_code=201)
    async def start(
        self, request: Request[Any, Any, Any], data: JSONBody[s.StartIn], recovery: Recovery
    ) -> s.StartOut:
        await account_throttle(request, data.username)
        return await recovery.start(data)

    @get("/{request_id:uuid}")
    async def status(
        self, request_id: FromPath[uuid.UUID], token: Token, recovery: Recovery
    ) -> s.DeviceStatusOut:
        return await recovery.device_status(request_id, token)

    @post("/{request_id:uuid}/release", status_code=HTTP_200_OK)
    async def release(
        self, request_id: FromPath[uuid.UUID], token: Token, recovery: Recovery
    ) -> s.ReleaseOut:
        return await recovery.release(request_id, token)

    @post("/{request_id:uuid}/cancel", status_code=HTTP_200_OK)
    async def cancel(
        self, request_id: FromPath[uuid.UUID], token: Token, recovery: Recovery
    ) -> s.ReceiptOut:
        return await recovery.cancel(request_id, token)

    @post("/{request_id:uuid}/complete", status_code=HTTP_200_OK)
    async def complete(
        self,
        request_id: FromPath[uuid.UUID],
        token: Token,
        data: JSONBody[s.CompleteIn],
        recovery: Recovery,
    ) -> s.ReceiptOut:
        return await recovery.complete(request_id, token, data)


class RecoveryController(Controller):
    path = "/api/v1/recovery"
    tags = ["recovery"]
    guards = [requires_login]
    security = CALLER_SECURITY

    @get("/")
    async def status(self, caller: CallerDep, recovery_setups: RecoverySetups) -> s.SetupOut:
        return await recovery_setups.status(caller.account_id)

    @put("/setup", status_code=HTTP_200_OK)
    async def set_up(
        self, data: JSONBody[s.SetupIn], caller: CallerDep, recovery_setups: RecoverySetups
    ) -> s.ReceiptOut:
        return await recovery_setups.set_up(caller.account_id, data)

    @delete("/contacts/{contact_id:uuid}", status_code=HTTP_200_OK)
    async def remove_contact(
        self, contact_id: FromPath[uuid.UUID], caller: CallerDep, recovery_setups: RecoverySetups
    ) -> s.ReceiptOut:
        return await recovery_setups.remove_contact(caller.account_id, contact_id)

    @post("/requests/{request_id:uuid}/veto", status_code=HTTP_200_OK)
    async def veto(
        self, request_id: FromPath[uuid.UUID], caller: CallerDep, recovery: Recovery
    ) -> s.ReceiptOut:
        return await recovery.veto(caller.account_id, request_id)

    @get("/asked")
    async def asked(self, caller: CallerDep, recovery: Recovery) -> list[s.HelpOut]:
        return await recovery.asked(caller.account_id)

    @post("/asked/{request_id:uuid}/challenge", status_code=HTTP_204_NO_CONTENT)
    async def challenge(
        self,
        request_id: FromPath[uuid.UUID],
        data: JSONBody[s.ChallengeIn],
        caller: CallerDep,
        recovery: Recovery,
    ) -> None:
        await recovery.challenge(caller.account_id, request_id, data)

    @post("/asked/{request_id:uuid}/approve", status_code=HTTP_200_OK)
    async def approve(
        self,
        request_id: FromPath[uuid.UUID],
        data: JSONBody[s.ApproveIn],
        caller: CallerDep,
        recovery: Recovery,
    ) -> s.ReceiptOut:
        return await recovery.approve(caller.account_id, request_id, data)

    @get("/code")
    async def code(self, caller: CallerDep, recovery_setups: RecoverySetups) -> s.CodeOut:
        return await recovery_setups.code(caller.account_id)

    @post("/code/check", status_code=HTTP_200_OK)
    async def code_checked(
        self, caller: CallerDep, recovery_setups: RecoverySetups
    ) -> s.ReceiptOut:
        return await recovery_setups.code_checked(caller.account_id)

    @put("/code", status_code=HTTP_200_OK)
    async def new_code(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[s.NewCodeIn],
        caller: CallerDep,
        recovery_setups: RecoverySetups,
    ) -> s.ReceiptOut:
        await account_throttle(request, f"id:{caller.account_id}")
        return await recovery_setups.new_code(caller.account_id, data)

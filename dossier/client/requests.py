"""Client side of consent requests: a professional asks; the youth answers yes, partly or no
with a signed statement, and can withdraw (revoke + rotate) from the same place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from dossier import crypto
from dossier.client.grants import GrantsClient


class RequestsClient(GrantsClient):
    def request_access(
        self,
        dossier_id: str,
        sections: Iterable[str],
        *,
        purpose: str,
        days: int = 365,
        permissions: Iterable[str] = ("read",),
        organisation_id: str | None = None,
        aftercare: bool = False,
    ) -> dict[str, Any]:
        """`aftercare`: a nazorg proposal; a yes to it also ends every other grant to the
        grantee (a step-down)."""
        body = {
            "kind": "aftercare" if aftercare else "access",
            "sections": list(sections),
            "purpose": purpose,
            "period_days": days,
            "permissions": list(permissions),
            "grantee_kind": "organisation" if organisation_id else "person",
            "grantee_id": organisation_id,
        }
        return dict(self.api.call("POST", f"/api/v1/dossiers/{dossier_id}/requests", json=body))

    def requests(self, dossier_id: str | None = None) -> list[dict[str, Any]]:
        path = f"/api/v1/dossiers/{self._dossier_id(dossier_id)}/requests"
        return list(self.api.call("GET", path))

    def answer_request(
        self,
        request: dict[str, Any],
        sections: Iterable[str] | None = None,
        *,
        card: str | None = None,
    ) -> dict[str, Any]:
        """Yes to all (`sections=None`), yes to part, or no (`sections=[]`). A yes to an
        aftercare request is a step-down (the signed statement says so): the sections the
        grantee read before are rotated here. A yes to a handover carries my `card` sealed to
        the next professional (`HandoverClient.answer_handover`) and, when the proposer asked
        for it, steps the proposer down."""
        chosen = sorted(request["sections"] if sections is None else set(sections))
        answer = "no" if not chosen else "yes" if chosen == request["sections"] else "partly"
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=request["period_days"])
        grants = [
            self.grant_item(
                self.section(key),
                request["grantee_id"],
                permissions=request["permissions"],
                purpose=request["purpose"],
                expires_at=expires,
            )
            for key in chosen
        ]
        steps_down = request["kind"] == "aftercare" or (
            request["kind"] == "handover" and request.get("step_down", False)
        )
        extra = {"step_down": True} if steps_down and chosen else {}
        statement = self._statement(
            request, "consent-answer", answer=answer, sections=chosen, **extra
        )
        body = {"answer": answer, "statement": statement, "grants": grants, "card": card}
        answered = dict(
            self.api.call("POST", f"/api/v1/requests/{request['id']}/answer", json=body)
        )
        self.settle(answered["rotation_due"])
        return answered

    def withdraw_request(self, request: dict[str, Any]) -> list[str]:
        statement = self._statement(
            request, "consent-withdraw", sections=request["granted_sections"]
        )
        path = f"/api/v1/requests/{request['id']}/withdraw"
        sections: list[str] = self.api.call("POST", path, json={"statement": statement})["sections"]
        self.settle(sections)
        return sections

    def retract_request(self, request: dict[str, Any]) -> dict[str, Any]:
        """The asker withdraws an unanswered request (or handover proposal), with a signed
        statement as the receipt; the youth can no longer answer it."""
        statement = self._statement(request, "consent-retract")
        path = f"/api/v1/requests/{request['id']}/retract"
        retracted: dict[str, Any] = self.api.call("POST", path, json={"statement": statement})
        return retracted

    def _statement(self, request: dict[str, Any], kind: str, **fields: Any) -> dict[str, Any]:
        return crypto.sign_statement(
            self.unlocked().identity,
            {
                "kind": kind,
                "request": request["id"],
                "dossier": request["dossier_id"],
                "at": crypto.format_time(dt.datetime.now(dt.UTC)),
                **fields,
            },
        )

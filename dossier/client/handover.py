"""Client side of the warm handover (docs/professionals.md, "The warm handover").

The proposer finds the next professional by organisation, compares their key code, and signs
a note ({kind: "handover-note", dossier, from, to, to_key, name, org, text, from_card}) that is
sealed here twice: to the youth and to the next professional. The server stores two
ciphertexts. The youth's client opens her copy, checks the proposer's signature and that the
key the server now shows for the next professional is the one the proposer compared, and only
then answers; a yes seals her card to the next professional and makes the grants (signed by
her, as every grant).

The next party may be an organisation (`kind` "organisation" in the candidate): the note is
then sealed to the organisation key, which every active member opens; a yes makes grants to
the organisation (sealed to its key, as a campaign's) and seals no card (no connection)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from dossier import crypto
from dossier.client.connections import ConnectionsClient, fingerprint_digits
from dossier.client.parties import PartiesClient
from dossier.client.requests import RequestsClient

NOTE_KIND = "handover-note"


class HandoverClient(ConnectionsClient, RequestsClient, PartiesClient):
    def handover_candidates(self, query: str) -> list[dict[str, Any]]:
        """Organisations found by name and professionals found by organisation; the key code
        is recomputed here and a candidate whose digits do not match the keys is left out."""
        found = self.api.call("GET", "/api/v1/handover-candidates", params={"q": query})
        return [
            c
            for c in found
            if fingerprint_digits(crypto.PublicIdentity.from_json(c["identity"]))
            == c["fingerprint"]
        ]

    def propose_handover(  # noqa: PLR0913 - one proposal has this many parts
        self,
        dossier_id: str,
        candidate: dict[str, Any],
        sections: Iterable[str],
        *,
        name: str,
        note: str,
        purpose: str,
        days: int = 365,
        step_down: bool = False,
        youth_identity: crypto.PublicIdentity,
    ) -> dict[str, Any]:
        """`candidate` as `handover_candidates` gave it; `name` is how the proposer names the
        next professional (or the team at the organisation) to the youth (the server cannot
        read profile cards)."""
        me = self.unlocked()
        them = crypto.PublicIdentity.from_json(candidate["identity"])
        fields = {
            "kind": NOTE_KIND,
            "dossier": dossier_id,
            "from": me.account_id,
            "to": candidate["id"],
            "to_key": fingerprint_digits(them),
            "name": name,
            "org": candidate["org_name"],
            "text": note,
            "from_card": self.profile() or {},
            "at": crypto.format_time(dt.datetime.now(dt.UTC)),
        }
        statement = crypto.canonical(crypto.sign_statement(me.identity, fields))
        body = {
            "kind": "handover",
            "sections": list(sections),
            "purpose": purpose,
            "period_days": days,
            "permissions": ["read"],
            "grantee_kind": candidate.get("kind", "person"),
            "grantee_id": candidate["id"],
            "grantee_key": fields["to_key"],
            "step_down": step_down,
            "note_owner": crypto.b64e(crypto.seal_to(youth_identity.box_pk, statement)),
            "note_grantee": crypto.b64e(crypto.seal_to(them.box_pk, statement)),
        }
        return dict(self.api.call("POST", f"/api/v1/dossiers/{dossier_id}/requests", json=body))

    def handover_note(self, request: dict[str, Any]) -> dict[str, Any]:
        """My copy of the note, opened and checked: signed by the proposer, about this
        dossier and this next professional, whose key is the one the proposer compared.
        Raises TamperedError otherwise."""
        me = self.unlocked()
        box, sealed = me.identity.box, request["note_owner"]
        if request["grantee_id"] == me.account_id:
            sealed = request["note_grantee"]
        elif request["grantee_kind"] == "organisation" and request["dossier_id"] != me.dossier_id:
            box, sealed = self.organisation_key(request["grantee_id"]).box, request["note_grantee"]
        try:
            statement = json.loads(crypto.open_sealed(box, crypto.b64d(sealed)))
        except (ValueError, TypeError) as exc:
            raise crypto.TamperedError("the note cannot be opened") from exc
        _, proposer = self.party(request["requester_id"])
        fields = crypto.verify_statement(statement, proposer.sign_pk)
        _, next_pro = self.party(request["grantee_id"])
        expected = (NOTE_KIND, request["dossier_id"], request["requester_id"])
        if (
            (fields.get("kind"), fields.get("dossier"), fields.get("from")) != expected
            or fields.get("to") != request["grantee_id"]
            or fields.get("to_key") != fingerprint_digits(next_pro)
        ):
            raise crypto.TamperedError("the note is about another handover")
        return fields

    def answer_handover(
        self,
        request: dict[str, Any],
        sections: Iterable[str] | None = None,
        *,
        display_name: str = "",
        contact_preference: str = "",
    ) -> dict[str, Any]:
        """Check the note, then yes (all), partly or no (`sections=[]`); a yes to a person
        seals my card to them so they see my name (an organisation gets no card)."""
        self.handover_note(request)
        chosen = request["sections"] if sections is None else list(sections)
        card = None
        if chosen and request["grantee_kind"] == "person":
            me = self.unlocked()
            _, next_pro = self.party(request["grantee_id"])
            card = crypto.b64e(
                crypto.seal_profile_card(
                    {"display_name": display_name, "contact_preference": contact_preference},
                    sender_id=me.account_id,
                    sender=me.identity,
                    recipient_id=request["grantee_id"],
                    recipient_box_pk=next_pro.box_pk,
                )
            )
        return self.answer_request(request, chosen, card=card)

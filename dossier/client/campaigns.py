"""Client side of school campaigns.

For school staff: create a campaign, import the student list with every name sealed here to
the school's organisation key (a name never leaves this machine in the clear), read the
status, and get the sheets to print with the names opened here. For a youth: open a personal
link, accept (one owner-signed grant per section to the receiving organisation, with the
section key sealed to that organisation), decline, change the answer, withdraw (then rotate).

Security invariants: the organisation key a name is sealed to is the school's key as opened
with this member's own sealed copy, not a public key the server hands out; the receiving
organisation's key is pinned on first use like every other grantee's."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dossier import crypto
from dossier.client.grants import GrantsClient

NAME_COLUMNS = frozenset({"naam", "name"})
GROUP_COLUMNS = frozenset({"groep", "group"})
REFERENCE_COLUMNS = frozenset({"referentie", "reference", "studentnummer", "leerlingnummer"})
# The server's rule for a reference (consent.campaigns.csv_import.REFERENCE), checked here
# too: a value that is not a reference (a name in the wrong column) must never be sent.
REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SAVE_AS = "Sla het bestand op als 'CSV UTF-8 (door komma's gescheiden)'."


class RosterError(ValueError):
    """The list cannot be sealed here; nothing was sent. `problems`: Dutch, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class PrintSheet:
    reference: str
    link: str
    name: str | None
    code: str | None = None
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Roster:
    """A list checked on this machine: only allowed columns, every reference well-formed.
    `lines` keeps the file's line numbering (an empty line stays empty, for the server to
    name); `names` are the plain names, sealed only by `sealed`."""

    bom: bool
    delimiter: str
    header: list[str]
    reference: int
    name: int | None
    lines: list[list[str] | None]
    group: int | None = None


def _decode_lines(raw: bytes) -> tuple[bool, list[str]]:
    if raw.startswith(UTF16_BOMS):
        raise RosterError([f"Het bestand is opgeslagen als UTF-16. {SAVE_AS}"])
    bom = raw.startswith(UTF8_BOM)
    lines = raw.removeprefix(UTF8_BOM).split(b"\n")
    if lines and not lines[-1].strip():
        lines.pop()
    out, bad = [], []
    for number, line in enumerate(lines, start=1):
        try:
            out.append(line.removesuffix(b"\r").decode("utf-8"))
        except UnicodeDecodeError:
            bad.append(f"Regel {number}: hier staan tekens die geen UTF-8 zijn. {SAVE_AS}")
    if bad:
        raise RosterError(bad)
    if not out:
        raise RosterError(["Het bestand is leeg."])
    return bom, out


def _delimiter(first: str) -> str:
    for candidate in (";", ",", "\t"):
        if candidate in first:
            return candidate
    return ","


def read_roster(raw: bytes) -> Roster:
    """Check the whole list on this machine, before anything is sent. Refused (RosterError,
    every problem in Dutch) when any value could travel readable: a column other than the
    reference and the name (an e-mail address, a first name...), a line whose columns cannot
    be told apart, a reference that is not a reference."""
    bom, lines = _decode_lines(raw)
    delimiter = _delimiter(lines[0])
    header = [c.strip().lower() for c in next(csv.reader([lines[0]], delimiter=delimiter), [])]
    problems = [
        f"Regel 1: de kolom '{column[:30]}' hoort er niet in. Alleen 'referentie', 'naam' "
        "en 'groep' mogen; geen contactgegevens. Er is niets verstuurd."
        for column in header
        if column not in REFERENCE_COLUMNS | NAME_COLUMNS | GROUP_COLUMNS
    ]
    references = [i for i, column in enumerate(header) if column in REFERENCE_COLUMNS]
    names = [i for i, column in enumerate(header) if column in NAME_COLUMNS]
    groups = [i for i, column in enumerate(header) if column in GROUP_COLUMNS]
    if len(references) != 1 or len(names) > 1 or len(groups) > 1:
        problems.insert(
            0, "Regel 1 moet de namen van de kolommen geven, bijvoorbeeld: referentie,naam"
        )
    if problems:
        raise RosterError(problems)
    rows: list[list[str] | None] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            rows.append(None)  # the server names the empty line; nothing readable in it
            continue
        fields = next(csv.reader([line], delimiter=delimiter), [])
        if len(fields) != len(header):
            problems.append(
                f"Regel {number}: deze regel heeft {len(fields)} kolommen, de eerste regel "
                f"{len(header)}. Gebruik overal hetzelfde scheidingsteken."
            )
            continue
        reference = fields[references[0]].strip()
        if reference and not REFERENCE.fullmatch(reference):
            problems.append(
                f"Regel {number}: de referentie mag alleen letters, cijfers, punt, streepje, "
                "schuine streep en liggend streepje hebben (hoogstens 64 tekens)."
            )
            continue
        fields[references[0]] = reference
        rows.append(fields)
    if problems:
        raise RosterError(problems)
    return Roster(
        bom,
        delimiter,
        header,
        references[0],
        names[0] if names else None,
        rows,
        groups[0] if groups else None,
    )


def sealed(roster: Roster, box_pk: bytes) -> bytes:
    """The list as sent: the header, the references, every name and group sealed to `box_pk`
    in one batch (one ephemeral key, docs/crypto.md "Batch-sealed values"), base64url. A
    tab-separated list goes out comma-separated."""
    delimiter = "," if roster.delimiter == "\t" else roster.delimiter
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(roster.header)
    with crypto.BatchSealer(box_pk) as sealer:
        for fields in roster.lines:
            if fields is None:
                out.write("\n")
                continue
            row = list(fields)
            for column in (roster.name, roster.group):
                if column is not None:
                    value = row[column].strip()
                    row[column] = crypto.b64e(sealer.seal(value.encode())) if value else ""
            writer.writerow(row)
    return (UTF8_BOM if roster.bom else b"") + out.getvalue().encode()


def seal_names(raw: bytes, box_pk: bytes) -> bytes:
    """Check the list here (`read_roster`) and seal every name (`sealed`)."""
    return sealed(read_roster(raw), box_pk)


class CampaignsClient(GrantsClient):
    """Mixed into `RugzakClient`."""

    # -- school staff ---------------------------------------------------------------------

    def create_campaign(  # noqa: PLR0913  (keyword-only fields of one campaign)
        self,
        school_id: str,
        receiver_id: str,
        *,
        title: str,
        purpose: str,
        closes_on: dt.date,
        sections: Iterable[str] = ("contact",),
        period_days: int = 365,
        school_text: str = "",
        contact: str = "",
    ) -> dict[str, Any]:
        body = {
            "receiver_id": receiver_id,
            "title": title,
            "purpose": purpose,
            "closes_on": closes_on.isoformat(),
            "sections": list(sections),
            "period_days": period_days,
            "school_text": school_text,
            "contact": contact,
        }
        return dict(
            self.api.call("POST", f"/api/v1/organisations/{school_id}/campaigns", json=body)
        )

    def campaign(self, campaign_id: str) -> dict[str, Any]:
        return dict(self.api.call("GET", f"/api/v1/campaigns/{campaign_id}"))

    def import_students(
        self, campaign_id: str, raw: bytes, *, only_valid: bool = False
    ) -> dict[str, Any]:
        """Upload the school's CSV; names are sealed here first. The whole list is checked
        before any request (`read_roster`), so a list that would send anything readable is
        refused without a byte of it leaving this machine (RosterError). The answer lists
        every personal link once (the server keeps only hashes): print them now, or reissue."""
        roster = read_roster(raw)
        school = self.campaign(campaign_id)["school"]["id"]
        box_pk = bytes(self.organisation_key(school).box.public_key)
        return dict(
            self.api.call(
                "POST",
                f"/api/v1/campaigns/{campaign_id}/students",
                content=sealed(roster, box_pk),
                params={"only_valid": "true"} if only_valid else None,
                headers={"content-type": "text/csv; charset=utf-8"},
            )
        )

    def reissue_links(
        self, campaign_id: str, references: Iterable[str] | None = None
    ) -> list[dict[str, Any]]:
        body = {"references": None if references is None else list(references)}
        return list(self.api.call("POST", f"/api/v1/campaigns/{campaign_id}/links", json=body))

    def campaign_students(self, campaign_id: str) -> list[dict[str, Any]]:
        """Reference, state, name and group, opened here with the school's organisation key."""
        school = self.campaign(campaign_id)["school"]["id"]
        opener = crypto.ValueOpener(self.organisation_key(school).box)
        rows = self.api.call("GET", f"/api/v1/campaigns/{campaign_id}/students")
        for row in rows:
            for field, sealed in (
                ("name", row.pop("sealed_name")),
                ("group", row.pop("sealed_group", None)),
            ):
                row[field] = None if sealed is None else opener.open(crypto.b64d(sealed)).decode()
        return list(rows)

    def campaign_status(self, campaign_id: str) -> dict[str, Any]:
        return dict(self.api.call("GET", f"/api/v1/campaigns/{campaign_id}/status"))

    def campaign_status_csv(self, campaign_id: str) -> str:
        response = self.api.http.get(
            f"/api/v1/campaigns/{campaign_id}/status.csv", headers=self.api.headers()
        )
        if response.status_code >= 400:
            self.api._result(response)  # noqa: SLF001  (raises the ApiError)
        return response.text

    def print_sheets(self, campaign_id: str, links: Iterable[dict[str, Any]]) -> list[PrintSheet]:
        """Links (from an import or a reissue) joined with the names and groups opened here,
        each with its short code; pass them to `consent.campaigns.printing.cohort_pdf` on
        this machine (it sorts and splits them per group)."""
        opened = {row["reference"]: row for row in self.campaign_students(campaign_id)}
        return [
            PrintSheet(
                item["reference"],
                item["link"],
                opened.get(item["reference"], {}).get("name"),
                item.get("code"),
                opened.get(item["reference"], {}).get("group"),
            )
            for item in links
        ]

    # -- youth ----------------------------------------------------------------------------

    def campaign_invite(self, token: str) -> dict[str, Any]:
        return dict(self.api.call("GET", f"/api/v1/campaign-invites/{token}"))

    def _campaign_grants(
        self, receiver_id: str, sections: Iterable[str], purpose: str, period_days: int
    ) -> list[dict[str, Any]]:
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=period_days)
        return [
            self.grant_item(
                self.section(key),
                receiver_id,
                permissions=("read",),
                purpose=purpose,
                expires_at=expires,
            )
            for key in sections
        ]

    def accept_campaign(self, token: str, sections: Iterable[str] | None = None) -> dict[str, Any]:
        """Yes (or yes to some sections): grants to the receiving organisation, never to the
        school."""
        info = self.campaign_invite(token)
        chosen = [s["key"] for s in info["sections"]] if sections is None else list(sections)
        items = self._campaign_grants(
            info["receiver"]["id"], chosen, info["purpose"], info["period_days"]
        )
        path = f"/api/v1/campaign-invites/{token}/accept"
        return dict(self.api.call("POST", path, json={"grants": items}))

    def decline_campaign(self, token: str) -> dict[str, Any]:
        return dict(self.api.call("POST", f"/api/v1/campaign-invites/{token}/decline"))

    def campaign_answers(self) -> list[dict[str, Any]]:
        return list(self.api.call("GET", "/api/v1/campaign-answers"))

    def change_campaign_answer(
        self, entry_id: str, answer: str, sections: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """`accept`, `decline` or `withdraw` from the youth's own rugzak ("Delen"). Ending
        an acceptance revokes its grants at once and then rotates those sections here."""
        base = f"/api/v1/campaign-answers/{entry_id}"
        if answer == "accept":
            mine = next(a for a in self.campaign_answers() if a["entry_id"] == entry_id)
            campaign = mine["campaign"]
            chosen = campaign["sections"] if sections is None else list(sections)
            items = self._campaign_grants(
                campaign["receiver"]["id"], chosen, campaign["purpose"], campaign["period_days"]
            )
            return dict(self.api.call("POST", f"{base}/accept", json={"grants": items}))
        if answer not in {"decline", "withdraw"}:
            raise ValueError("answer is accept, decline or withdraw")
        result = dict(self.api.call("POST", f"{base}/{answer}"))
        self.settle(result["rotate"])
        return result

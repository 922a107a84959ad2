"""The campaigns API: school staff (create, import the student list, links, status) and
students (open a personal link, accept, decline, change the answer later).

The link page is public: the token in the link is the only credential, and an unknown, used
or expired token gets one uniform 404. Everything else needs a login; the service checks
that staff are active members of the school."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import replace
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter, RawBody
from litestar.status_codes import HTTP_200_OK

from consent.campaigns import errors as e
from consent.campaigns import schemas as s
from consent.campaigns.answers import Answer, AnswerService
from consent.campaigns.service import CampaignService, CampaignView, Imported, shown_code
from consent.parties.models import Organisation
from dossier import crypto
from dossier.accounts.models import Account
from dossier.sections.catalogue import SECTIONS
from web.auth import CALLER_SECURITY, Caller, public, requires_login
from web.deps import Accounts, CallerDep, DbSession, SettingsDep, provide_viewer
from web.errors import TABLE

STATE_LABELS = {
    "not_opened": "niet geopend",
    "opened": "geopend",
    "accepted": "akkoord",
    "declined": "geweigerd",
    "withdrawn": "ingetrokken",
}

Campaigns = NamedDependency[CampaignService]
Answers = NamedDependency[AnswerService]
Viewer = NamedDependency[Caller | None]
OnlyValid = Annotated[bool, QueryParameter()]


async def provide_campaigns(db_session: DbSession) -> CampaignService:
    return CampaignService(db_session)


async def provide_answers(db_session: DbSession) -> AnswerService:
    return AnswerService(db_session)


def roster_rejected(request: Request[Any, Any, Any], exc: e.RosterRejected) -> Response[Any]:
    """Every wrong line, each with its Dutch message, in the problem body."""
    answer = TABLE.answer(exc)
    extra = {"errors": exc.problems, "notices": exc.notices}
    return replace(answer, extra=extra).response(request)


def org_out(org: Organisation) -> s.OrgOut:
    identity = crypto.PublicIdentity(box_pk=org.box_pk, sign_pk=org.sign_pk)
    return s.OrgOut(
        id=str(org.id),
        name=org.name,
        kind=org.kind,
        identity=identity.to_json(),
        fingerprint=crypto.format_fingerprint(identity.fingerprint()),
    )


def campaign_out(view: CampaignView) -> s.CampaignOut:
    c = view.campaign
    return s.CampaignOut(
        id=str(c.id),
        school=org_out(view.school),
        receiver=org_out(view.receiver),
        title=c.title,
        sections=list(c.sections),
        purpose=c.purpose,
        period_days=c.period_days,
        closes_at=c.closes_at,
        school_text=c.school_text,
        created_at=c.created_at,
        contact=c.contact or "",
    )


def campaign_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/campagne/{token}"


def links_out(base_url: str, links: list[tuple[str, str, str]]) -> list[s.IssuedLink]:
    return [
        s.IssuedLink(
            reference=ref, token=token, link=campaign_link(base_url, token), code=shown_code(code)
        )
        for ref, token, code in links
    ]


def import_out(base_url: str, done: Imported) -> s.ImportOut:
    return s.ImportOut(
        imported=len(done.links),
        links=links_out(base_url, done.links),
        skipped=[p.to_json() for p in done.roster.errors],
        notices=[p.to_json() for p in done.roster.notices],
    )


def status_out(counts: dict[str, int], rows: list[tuple[str, str]]) -> s.StatusOut:
    students = [s.StudentOut(reference=ref, state=state, sealed_name=None) for ref, state in rows]  # type: ignore[arg-type]
    return s.StatusOut(counts=counts, students=students)


def status_csv(rows: list[tuple[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["referentie", "status"])
    writer.writerows((ref, STATE_LABELS[state]) for ref, state in rows)
    return out.getvalue()


def answer_out(answer: Answer) -> s.AnswerOut:
    return s.AnswerOut(
        entry_id=str(answer.entry.id),
        campaign=campaign_out(answer.view),
        state=answer.state,  # type: ignore[arg-type]
        answered_at=answer.entry.answered_at,
        grant_ids=answer.grant_ids,
        rotate=answer.rotate,
    )


class CampaignsController(Controller):
    """School staff: active members of the school's organisation."""

    path = "/api/v1"
    tags = ["campaigns"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {"campaigns": Provide(provide_campaigns)}
    exception_handlers = {e.RosterRejected: roster_rejected}

    @post("/organisations/{org_id:uuid}/campaigns", status_code=201)
    async def create(
        self,
        org_id: FromPath[uuid.UUID],
        data: JSONBody[s.NewCampaign],
        caller: CallerDep,
        campaigns: Campaigns,
    ) -> s.CampaignOut:
        return campaign_out(await campaigns.create_by_member(caller.account_id, org_id, data))

    @get("/organisations/{org_id:uuid}/campaigns")
    async def of_school(
        self, org_id: FromPath[uuid.UUID], caller: CallerDep, campaigns: Campaigns
    ) -> list[s.CampaignOut]:
        return [campaign_out(v) for v in await campaigns.of_member(caller.account_id, org_id)]

    @get("/organisations/{org_id:uuid}/campaign-receivers")
    async def receivers(
        self,
        org_id: FromPath[uuid.UUID],
        caller: CallerDep,
        campaigns: Campaigns,
        q: Annotated[str, QueryParameter(max_length=120)] = "",
    ) -> list[s.OrgOut]:
        """Find the receiving organisation by name, each with its key fingerprint."""
        return [org_out(o) for o in await campaigns.receivers(caller.account_id, org_id, q)]

    @post("/campaigns/{campaign_id:uuid}/close", status_code=HTTP_200_OK)
    async def close(
        self, campaign_id: FromPath[uuid.UUID], caller: CallerDep, campaigns: Campaigns
    ) -> s.CampaignOut:
        """Close early: every personal link stops working now."""
        view = await campaigns.for_member(caller.account_id, campaign_id)
        await campaigns.close(view.campaign)
        return campaign_out(view)

    @get("/campaigns/{campaign_id:uuid}")
    async def show(
        self, campaign_id: FromPath[uuid.UUID], caller: CallerDep, campaigns: Campaigns
    ) -> s.CampaignOut:
        return campaign_out(await campaigns.for_member(caller.account_id, campaign_id))

    @post("/campaigns/{campaign_id:uuid}/students", status_code=201)
    async def import_students(
        self,
        campaign_id: FromPath[uuid.UUID],
        body: RawBody,
        caller: CallerDep,
        campaigns: Campaigns,
        settings: SettingsDep,
        only_valid: OnlyValid = False,
    ) -> s.ImportOut:
        """The body is the CSV itself (`text/csv`). The answer holds each personal link once."""
        await campaigns.campaign_id_for_member(caller.account_id, campaign_id)
        done = await campaigns.import_roster(campaign_id, body, only_valid=only_valid)
        return import_out(settings.base_url, done)

    @get("/campaigns/{campaign_id:uuid}/students")
    async def students(
        self, campaign_id: FromPath[uuid.UUID], caller: CallerDep, campaigns: Campaigns
    ) -> list[s.StudentOut]:
        view = await campaigns.for_member(caller.account_id, campaign_id)
        return [
            s.StudentOut(
                reference=one.reference,
                state=one.state,  # type: ignore[arg-type]
                sealed_name=None if one.sealed_name is None else crypto.b64e(one.sealed_name),
                sealed_group=None if one.sealed_group is None else crypto.b64e(one.sealed_group),
            )
            for one in await campaigns.students(view.campaign)
        ]

    @post("/campaigns/{campaign_id:uuid}/links", status_code=HTTP_200_OK)
    async def reissue(
        self,
        campaign_id: FromPath[uuid.UUID],
        data: JSONBody[s.Reissue],
        caller: CallerDep,
        campaigns: Campaigns,
        settings: SettingsDep,
    ) -> list[s.IssuedLink]:
        """New links (a lost printout, or printing again); the old ones stop working."""
        view = await campaigns.for_member(caller.account_id, campaign_id)
        return links_out(settings.base_url, await campaigns.reissue(view.campaign, data.references))

    @get("/campaigns/{campaign_id:uuid}/status")
    async def status(
        self, campaign_id: FromPath[uuid.UUID], caller: CallerDep, campaigns: Campaigns
    ) -> s.StatusOut:
        view = await campaigns.for_member(caller.account_id, campaign_id)
        return status_out(*await campaigns.status(view.campaign))

    @get("/campaigns/{campaign_id:uuid}/status.csv")
    async def status_export(
        self, campaign_id: FromPath[uuid.UUID], caller: CallerDep, campaigns: Campaigns
    ) -> Response[str]:
        view = await campaigns.for_member(caller.account_id, campaign_id)
        _, rows = await campaigns.status(view.campaign)
        return Response(
            status_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="campagne-status.csv"'},
        )


class CampaignLinkController(Controller):
    """The personal link, before any login."""

    path = "/api/v1/campaign-invites"
    tags = ["campaigns"]
    guards = [public]
    dependencies = {"answers": Provide(provide_answers), "viewer": Provide(provide_viewer)}

    @get("/{token:str}")
    async def info(self, token: FromPath[str], answers: Answers) -> s.InviteOut:
        """Who asks (with fingerprints), what, why, for how long. Records "opened"."""
        entry, view = await answers.open(token)
        c = view.campaign
        return s.InviteOut(
            campaign_id=str(c.id),
            title=c.title,
            school=org_out(view.school),
            receiver=org_out(view.receiver),
            sections=[{"key": key, "label": SECTIONS[key]} for key in c.sections],
            purpose=c.purpose,
            period_days=c.period_days,
            closes_at=c.closes_at,
            school_text=c.school_text,
            state=entry.state,  # type: ignore[arg-type]
        )

    @post("/{token:str}/decline", status_code=HTTP_200_OK)
    async def decline(
        self, token: FromPath[str], viewer: Viewer, answers: Answers, accounts: Accounts
    ) -> s.AnswerOut:
        youth = await _youth(accounts, viewer)
        return answer_out(await answers.decline_link(token, youth))


async def _youth(accounts: Any, viewer: Caller | None) -> Account | None:
    if viewer is None or viewer.kind != "youth":
        return None
    account: Account = await accounts.get(viewer.account_id)
    return account


class CampaignAnswersController(Controller):
    """The youth's answers: by link, and later from their own rugzak ("Delen")."""

    path = "/api/v1"
    tags = ["campaigns"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {"answers": Provide(provide_answers)}

    @post("/campaign-invites/{token:str}/accept", status_code=201)
    async def accept_link(
        self,
        token: FromPath[str],
        data: JSONBody[s.Acceptance],
        caller: CallerDep,
        accounts: Accounts,
        answers: Answers,
    ) -> s.AnswerOut:
        youth = await accounts.get(caller.account_id)
        return answer_out(await answers.accept_link(token, youth, data.grants))

    @get("/campaign-answers")
    async def mine(self, caller: CallerDep, answers: Answers) -> list[s.AnswerOut]:
        return [answer_out(a) for a in await answers.mine(caller.account_id)]

    @post("/campaign-answers/{entry_id:uuid}/accept", status_code=HTTP_200_OK)
    async def accept(
        self,
        entry_id: FromPath[uuid.UUID],
        data: JSONBody[s.Acceptance],
        caller: CallerDep,
        accounts: Accounts,
        answers: Answers,
    ) -> s.AnswerOut:
        youth = await accounts.get(caller.account_id)
        return answer_out(await answers.accept(youth, entry_id, data.grants))

    @post("/campaign-answers/{entry_id:uuid}/decline", status_code=HTTP_200_OK)
    async def decline(
        self, entry_id: FromPath[uuid.UUID], caller: CallerDep, accounts: Accounts, answers: Answers
    ) -> s.AnswerOut:
        youth = await accounts.get(caller.account_id)
        return answer_out(await answers.decline(youth, entry_id))

    @post("/campaign-answers/{entry_id:uuid}/withdraw", status_code=HTTP_200_OK)
    async def withdraw(
        self, entry_id: FromPath[uuid.UUID], caller: CallerDep, accounts: Accounts, answers: Answers
    ) -> s.AnswerOut:
        """The grants are refused at once; the client then rotates the sections in `rotate`."""
        youth = await accounts.get(caller.account_id)
        return answer_out(await answers.withdraw(youth, entry_id))

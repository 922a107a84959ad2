"""The professional's pages: Mijn jongeren (caseload), one youth's shared view with writing,
asking for access and nazorg, invites with a WhatsApp text and QR code, and single sign-on
(web/oidc). Everything here is ciphertext and public facts; the browser opens the youth's
profile card and the shared entries (js/app/pro-*.js, htmx-rugzak.js).

`PRO_PAGES` go on the page router; `PRO_PUBLIC` lists the public ones (route-guard test)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from consent.caseload.service import CaseloadService
from consent.caseload.views import APPEND, READ
from consent.caseload.youth import YouthService
from consent.own.views import PERMISSION_LABELS
from consent.profiles.service import ProfileService
from consent.requests.schemas import NewRequest
from consent.requests.service import RequestService
from consent.sso.service import SsoService
from dossier.errors import InvalidInput
from dossier.notify.inbox import InboxService
from dossier.sections.catalogue import SECTIONS
from web.auth import requires_login, requires_professional
from web.deps import Accounts, CallerDep, DbSession
from web.oidc import PAGES as SSO_PAGES
from web.oidc import PUBLIC as SSO_PUBLIC
from web.pages.pro_orgs import OrgPages
from web.pages.school import school_orgs

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
NAZORG_SECTIONS = ("contact", "plan")
NAZORG_DAYS = 182
PERIODS = (90, 182, 365)
YOUTH_SCRIPTS = [
    "js/app/pro-youth.js",
    "js/app/pro-documents.js",
    "js/app/pro-lifearea.js",
    "js/app/pro-handover.js",
    "js/app/pro-retract.js",
]
# The Dutch words for what the read model gives as keys and flags.
RIGHTS = {
    (READ,): PERMISSION_LABELS[READ],
    (APPEND,): PERMISSION_LABELS[APPEND],
    (READ, APPEND): f"{PERMISSION_LABELS[READ]} en {PERMISSION_LABELS[APPEND]}",
    (): "",
}
# "Werk (lezen", completed in the caseload row by ", tot <date>)": one lookup, not two.
SHARED_AS = {
    (key, rights): f"{label} ({words}"
    for key, label in SECTIONS.items()
    for rights, words in RIGHTS.items()
}
REQUEST_STATES = {
    "open": "wacht op antwoord",
    "answered": "ja gezegd",
    "declined": "nee gezegd",
    "withdrawn": "ingetrokken",
    "retracted": "ingetrokken door jou",
}


def page(name: str, **context: Any) -> Template:
    return Template(
        template_name=f"pro/{name}.html",
        context={
            "signed_in": True,
            "pro": True,
            "rights": RIGHTS,
            "shared_as": SHARED_AS,
            "request_states": REQUEST_STATES,
            **context,
        },
    )


def _list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []


class CaseloadPages(Controller):
    path = "/pro"
    guards = [requires_login, requires_professional]
    include_in_schema = False

    @get("/")
    async def caseload(self, caller: CallerDep, db_session: DbSession) -> Template | Redirect:
        caseload = await CaseloadService(db_session).caseload(caller.account_id)
        if not (caseload.youths or caseload.pending) and await school_orgs(
            db_session, caller.account_id
        ):
            return Redirect(path="/pro/campagnes", status_code=303)  # a school's landing page
        return page(
            "mijn-jongeren",
            rows=caseload.youths,
            pending=caseload.pending,
            me=str(caller.account_id),
            scripts=["js/app/pro-caseload.js"],
        )

    @get("/uitnodigen")
    async def invites(self, caller: CallerDep, db_session: DbSession) -> Template:
        """Making the invite runs in the browser (js/app/pro-invite.js): the token is made
        there and my profile card sealed to its key, then POST /api/v1/invites."""
        pending, accepted = await CaseloadService(db_session).invites(caller.account_id)
        orgs = await _my_orgs(db_session, caller.account_id)
        has_profile = await ProfileService(db_session).get(caller.account_id) is not None
        return page(
            "uitnodigen",
            pending=pending,
            accepted=accepted,
            orgs=orgs,
            has_profile=has_profile,
            scripts=["js/app/pro-invite.js"],
        )

    @get("/profiel")
    async def profile(self) -> Template:
        """Mijn profielkaart: opened, changed and sealed in the browser (pro-profile.js)."""
        return page("profiel", scripts=["js/app/pro-profile.js"])

    @get("/jongeren/{dossier_id:uuid}")
    async def youth(
        self,
        request: Request[Any, Any, Any],
        dossier_id: FromPath[uuid.UUID],
        caller: CallerDep,
        db_session: DbSession,
    ) -> Template:
        data = await YouthService(db_session).page(caller.account_id, dossier_id)
        new = await InboxService(db_session).seen(caller.account_id, dossier_id=dossier_id)
        return page(
            "jongere",
            p=data,
            nieuw_entries=new,
            me=str(caller.account_id),
            periods=PERIODS,
            asked=request.query_params.get("gevraagd") == "1",
            scripts=YOUTH_SCRIPTS,
        )

    @get("/jongeren/{dossier_id:uuid}/vingerafdruk")
    async def fingerprint(
        self,
        dossier_id: FromPath[uuid.UUID],
        caller: CallerDep,
        db_session: DbSession,
        accounts: Accounts,
    ) -> Template:
        data = await YouthService(db_session).page(caller.account_id, dossier_id)
        me = await accounts.get(caller.account_id)
        return page("vingerafdruk", p=data, me=me, scripts=["js/app/pro-fingerprint.js"])

    @post("/jongeren/{dossier_id:uuid}/schrijven/{section:str}")
    async def write(
        self,
        request: Request[Any, Any, Any],
        dossier_id: FromPath[uuid.UUID],
        section: FromPath[str],
        data: Form,
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> Template:
        """The form was sealed in the browser (htmx-rugzak.js) with me as the author; only
        `entry` is read. Answers with the refreshed block of that section."""
        if section not in SECTIONS:
            raise InvalidInput("unknown section")
        try:
            sealed = msgspec.json.decode(str(data.get("entry", "")))
        except msgspec.DecodeError as exc:
            raise InvalidInput("entry is not JSON") from exc
        if not isinstance(sealed, dict):
            raise InvalidInput("entry is not a JSON object")
        me = await accounts.get(caller.account_id)
        fresh = await YouthService(db_session).write(me, dossier_id, section, sealed)
        block = next(b for b in fresh.blocks if b.key == section)
        return page(
            "sectie" if request.headers.get("hx-request") == "true" else "jongere",
            p=fresh,
            b=block,
            me=str(caller.account_id),
            saved=True,
            periods=PERIODS,
            scripts=YOUTH_SCRIPTS,
        )

    @post("/jongeren/{dossier_id:uuid}/toegang")
    async def ask(
        self,
        dossier_id: FromPath[uuid.UUID],
        data: Form,
        caller: CallerDep,
        db_session: DbSession,
    ) -> Redirect:
        """Vraag toegang: the youth sees who asks, which sections, why and for how long."""
        try:
            days = int(str(data.get("dagen", "365")))
        except ValueError as exc:
            raise InvalidInput("period") from exc
        request = NewRequest(
            sections=_list(data.get("secties")),
            purpose=str(data.get("doel", "")).strip(),
            period_days=days,
            permissions=["read", "append"] if data.get("toevoegen") else ["read"],
        )
        await RequestService(db_session).create(caller.account_id, dossier_id, request)
        return Redirect(path=f"/pro/jongeren/{dossier_id}?gevraagd=1", status_code=303)

    @post("/jongeren/{dossier_id:uuid}/nazorg")
    async def aftercare(
        self, dossier_id: FromPath[uuid.UUID], caller: CallerDep, db_session: DbSession
    ) -> Redirect:
        """Ending the trajectory proposes a step-down: read on contact and plan for six
        months. The youth decides; until then nothing changes. A yes ends everything else
        this professional may do in the dossier (`RequestService.answer`)."""
        request = NewRequest(
            sections=list(NAZORG_SECTIONS),
            purpose="Nazorg: ik blijf op de achtergrond beschikbaar",
            period_days=NAZORG_DAYS,
            kind="aftercare",
        )
        await RequestService(db_session).create(caller.account_id, dossier_id, request)
        return Redirect(path=f"/pro/jongeren/{dossier_id}?gevraagd=1", status_code=303)


async def _my_orgs(db: Any, account_id: uuid.UUID) -> list[Any]:
    return [org for org, _, _ in await SsoService(db).mine(account_id)]


PRO_PAGES: list[type] = [*SSO_PAGES, CaseloadPages, OrgPages]
PRO_PUBLIC = SSO_PUBLIC

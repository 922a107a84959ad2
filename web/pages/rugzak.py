"""Mijn rugzak: the overview and one page per section. Pages are rendered with ciphertext
only; the browser opens it. A section page asked for by htmx (after an upload, say) gets just
its content block."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Template

from consent.own.service import OwnDossierService
from consent.own.views import SectionPage
from dossier.errors import InvalidInput, NotFound
from dossier.notify.inbox import InboxService
from dossier.sections.catalogue import LIFE_AREA_HELP, LIFE_AREAS, SECTIONS
from web.auth import requires_login
from web.deps import Accounts, CallerDep, DbSession, RecoverySetups, SettingsDep

TEMPLATES = dict.fromkeys(LIFE_AREAS, "leefgebied") | {
    "contact": "contact",
    "verhaal": "verhaal",
    "plan": "plan",
    "notities": "notities",
    "documenten": "documenten",
}
SCRIPTS = {"leefgebied": "js/app/lifearea.js", "documenten": "js/app/documents.js"}


def _known(key: str) -> str:
    if key not in SECTIONS:
        raise NotFound("section")
    return key


def render_section(
    request: Request[Any, Any, Any], page: SectionPage, max_bytes: int, **extra: Any
) -> Template:
    kind = TEMPLATES[page.key]
    context = {
        "page": page,
        "kind": kind,
        "help": LIFE_AREA_HELP.get(page.key, ""),
        "max_bytes": max_bytes,
        "max_mb": max_bytes // (1024 * 1024),
        "scripts": [
            "js/app/dossier.js",
            *([SCRIPTS[kind]] if kind in SCRIPTS else []),
            *(["js/app/names.js"] if any(not e.mine for e in page.entries) else []),
        ],
        "signed_in": True,
        **extra,
    }
    partial = request.headers.get("hx-request") == "true"
    name = f"partials/sectie-{kind}.html" if partial else "pages/sectie.html"
    return Template(template_name=name, context=context)


class RugzakPages(Controller):
    path = "/rugzak"
    guards = [requires_login]
    include_in_schema = False

    @get("/")
    async def overview(
        self,
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
        recovery_setups: RecoverySetups,
    ) -> Template:
        account = await accounts.get(caller.account_id)
        data = await OwnDossierService(db_session).overview(account)
        unread = await InboxService(db_session).unread(account.id)
        recovery = await recovery_setups.status(account.id)
        return Template(
            template_name="pages/rugzak.html",
            context={
                **data,
                "nieuw": unread.sections(),
                "recovery": recovery,
                "signed_in": True,
                "scripts": ["js/app/dossier.js"],
            },
        )

    @get("/leefgebieden")
    async def life_areas(
        self, caller: CallerDep, accounts: Accounts, db_session: DbSession
    ) -> Template:
        """Every life area with its measurements (ciphertext): the browser opens them and
        shows the latest own score, the professional's and the target, and one chart."""
        account = await accounts.get(caller.account_id)
        own = OwnDossierService(db_session)
        pages = [await own.section(account, k) for k in LIFE_AREAS]
        areas = [
            {"key": p.key, "label": SECTIONS[p.key], "help": LIFE_AREA_HELP[p.key], "page": p}
            for p in pages
        ]
        names = any(not e.mine for p in pages for e in p.entries)
        return Template(
            template_name="pages/leefgebieden.html",
            context={
                "areas": areas,
                "signed_in": True,
                "scripts": [
                    "js/app/dossier.js",
                    "js/app/lifeareas.js",
                    *(["js/app/names.js"] if names else []),
                ],
            },
        )

    @get("/{section:str}")
    async def section(
        self,
        request: Request[Any, Any, Any],
        section: FromPath[str],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
        settings: SettingsDep,
    ) -> Template:
        account = await accounts.get(caller.account_id)
        page = await OwnDossierService(db_session).section(account, _known(section))
        new = await InboxService(db_session).seen(account.id, section=section)  # seen now
        return render_section(request, page, settings.max_document_bytes, nieuw_entries=new)

    @get("/{section:str}/{entry_id:uuid}/versies")
    async def versions(
        self,
        section: FromPath[str],
        entry_id: FromPath[uuid.UUID],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> Template:
        account = await accounts.get(caller.account_id)
        page = await OwnDossierService(db_session).versions(account, _known(section), entry_id)
        return Template(
            template_name="pages/versies.html",
            context={"page": page, "signed_in": True, "scripts": ["js/app/dossier.js"]},
        )

    @post("/{section:str}")
    async def add_entry(
        self,
        request: Request[Any, Any, Any],
        section: FromPath[str],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
        settings: SettingsDep,
    ) -> Template:
        """The form was sealed in the browser by the htmx extension; the server checks the
        entry's place, version and signature (DossierService) and answers with the section's
        refreshed content. Only `entry` (and the CSRF token) is read from the form."""
        try:
            sealed = msgspec.json.decode(data.get("entry", ""))
        except msgspec.DecodeError as exc:
            raise InvalidInput("entry is not JSON") from exc
        if not isinstance(sealed, dict):
            raise InvalidInput("entry is not a JSON object")
        account = await accounts.get(caller.account_id)
        page = await OwnDossierService(db_session).add_entry(account, _known(section), sealed)
        return render_section(request, page, settings.max_document_bytes, saved=True)

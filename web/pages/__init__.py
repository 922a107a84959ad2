"""The HTML pages (Jinja + htmx), beside the JSON API. See docs/web-app.md.

Pages authenticate only by the HttpOnly `rugzak_session` cookie and every unsafe request
carries a CSRF token (Litestar's CSRF middleware). The API is excluded from that middleware: it
takes a bearer token, or the same cookie with the CSRF header on every method (web/auth.py).
The app factory mounts `page_router()` and uses `template_config()` and `csrf_config()`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment
from litestar import Router
from litestar.config.csrf import CSRFConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from dossier.sections.catalogue import LIFE_AREAS, SECTIONS, ZRM_SCALE
from dossier.sections.input import MAX_TEXT_CHARS, STORED_WORDS, nl_number
from web.auth import CSRF_COOKIE, CSRF_HEADER
from web.dutch import FILTERS as DUTCH_FILTERS
from web.pages.account import AccountPages, SessionPages
from web.pages.assets import integrity, preloads
from web.pages.campaign import CampaignPages
from web.pages.caseload_rows import caseload_rows
from web.pages.config import page_config
from web.pages.errors import PAGE_ERRORS
from web.pages.export import ExportPages
from web.pages.invite import InvitePages
from web.pages.log import LogPages
from web.pages.notify import MailLinkPages, NoticePages
from web.pages.passphrase import PassphrasePages
from web.pages.pro import PRO_PAGES, PRO_PUBLIC
from web.pages.pro_org_join import JoinPages
from web.pages.recovery import RecoveryDevicePages, RecoveryPages
from web.pages.rugzak import RugzakPages
from web.pages.school import SchoolPages
from web.pages.sharing import SharingPages
from web.pages.shell import NEUTRAL_SITES, ShellPages
from web.settings import Settings

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PUBLIC_PAGES = (
    frozenset(
        {"/", "/aanmelden", "/inloggen", "/herstellen", "/uitgelogd", "/sessie", "/uitloggen"}
        | {"/herstellen/contact", "/aanmelden/vertrouwd"}
        | {"/offline", "/favicon.ico"}
    )
    | {"/uitnodiging/{token:str}"}
    | {"/campagne", "/campagne/{token:str}", "/campagne/{token:str}/nee"}
    | PRO_PUBLIC
    | {"/pro/lid-worden/{token:str}"}
    | {"/e-mail/bevestigen/{token:str}", "/e-mail/afmelden/{token:str}"}
)


def _globals(engine: JinjaTemplateEngine) -> None:
    env: Environment = engine.engine
    env.globals.update(
        integrity=integrity,
        preloads=preloads,
        SECTIONS=SECTIONS,
        LIFE_AREAS=LIFE_AREAS,
        ZRM_SCALE=ZRM_SCALE,
        page_config=page_config,
        MAX_TEXT_CHARS=MAX_TEXT_CHARS,
        WORDS=STORED_WORDS,
        nl_number=nl_number,
        NEUTRAL_SITES=NEUTRAL_SITES,
    )
    env.filters.update(DUTCH_FILTERS)
    env.filters["caseload_rows"] = caseload_rows
    env.trim_blocks = True
    env.lstrip_blocks = True


def template_config() -> TemplateConfig[Any]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_globals)


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=settings.secret().hex(),
        # The API checks the same token itself, on every method, when it is called with the
        # page cookie instead of a bearer token (web/auth.py).
        exclude=["^/api/"],
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_secure=settings.cookie_secure,
        cookie_httponly=True,
        cookie_samesite="strict",
    )


YOUTH_SHARING = [
    SharingPages,
    InvitePages,
    CampaignPages,
    LogPages,
    ExportPages,
]


def page_router() -> Router:
    return Router(
        path="/",
        route_handlers=[
            AccountPages,
            SessionPages,
            PassphrasePages,
            RecoveryPages,
            RecoveryDevicePages,
            RugzakPages,
            *YOUTH_SHARING,
            *PRO_PAGES,
            SchoolPages,
            JoinPages,
            NoticePages,
            MailLinkPages,
            ShellPages,
        ],
        exception_handlers=PAGE_ERRORS,
        include_in_schema=False,
    )

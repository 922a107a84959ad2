"""The app factory. Everything is wired here explicitly; nothing reads the environment at
import time (`create_app()` without settings calls `load_settings()`)."""

from __future__ import annotations

import datetime as dt
import gc
import mimetypes
from collections.abc import Callable
from pathlib import Path

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from advanced_alchemy.extensions.litestar.store import SQLAlchemyStore
from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.logging.config import LoggingConfig
from litestar.middleware.base import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components
from litestar.plugins.htmx import HTMXPlugin
from litestar.static_files import create_static_files_router

import consent.models  # noqa: F401  (registers the consent tables)
import dossier.models  # noqa: F401  (registers the dossier tables)
from dossier.blobs.backends import (
    BlobStore,
    DatabaseBlobStore,
    FilesystemBlobStore,
    SessionFactory,
)
from dossier.blobs.s3 import S3BlobStore, S3Settings
from dossier.db import make_engine, utcnow
from web.api.accounts import AccountController, AuthController
from web.api.campaigns import (
    CampaignAnswersController,
    CampaignLinkController,
    CampaignsController,
)
from web.api.connections import ConnectionsController, InviteInfoController
from web.api.dossiers import DossierController, EntryController
from web.api.grants import GrantsController
from web.api.log import LogController
from web.api.notify import MailLinkController, NoticesController, PushController
from web.api.parties import PartiesController
from web.api.plans import LifeAreasController, PlansController
from web.api.profiles import ProfileController
from web.api.recovery import RecoveryController, RecoveryDeviceController
from web.api.requests import RequestsController
from web.api.sharing import SharingController
from web.auth import SECURITY_SCHEMES, SessionAuthMiddleware, SessionCache, public
from web.deps import DEPENDENCIES
from web.errors import TABLE, exception_handlers, log_unexpected
from web.health import health
from web.kv import KeyValue
from web.oauth import CONTROLLERS as OAUTH_CONTROLLERS
from web.oidc import API as OIDC_API
from web.pages import csrf_config, page_router, template_config
from web.pages.errors import page_error
from web.ratelimit import STORE, address_rate_limit
from web.security import security_headers
from web.settings import Settings, load_settings
from web.transaction import track_writes, transaction_ender

STATIC = Path(__file__).parent / "static"
# The web app manifest's own media type (docs/web-app.md, "Phone app").
mimetypes.add_type("application/manifest+json", ".webmanifest")


def blob_store(settings: Settings, sessions: SessionFactory) -> BlobStore:
    """The store `RUGZAK_BLOB_STORE` names (`sessions`: for the database store's reads)."""
    if settings.blob_store == "filesystem":
        return FilesystemBlobStore(Path(settings.blob_dir))
    if settings.blob_store == "database":
        return DatabaseBlobStore(sessions)
    if settings.blob_store == "s3":
        return S3BlobStore(
            S3Settings(
                bucket=settings.s3_bucket,
                endpoint_url=settings.s3_endpoint_url,
                region=settings.s3_region,
                access_key_id=settings.s3_access_key_id,
                secret_access_key=settings.s3_secret_access_key,
                prefix=settings.s3_prefix,
            )
        )
    raise ValueError(
        f"RUGZAK_BLOB_STORE must be database, filesystem or s3, not {settings.blob_store!r}"
    )


def _logging_config() -> LoggingConfig:
    """Litestar's default logging, but writing to stderr directly: on Python 3.11 its default
    handler starts a queue-listener thread per app that is only stopped at interpreter exit."""
    stream = {"class": "logging.StreamHandler", "level": "DEBUG", "formatter": "standard"}
    return LoggingConfig(handlers={"queue_listener": stream})


def create_app(
    settings: Settings | None = None, *, clock: Callable[[], dt.datetime] | None = None
) -> Litestar:
    """`clock`: the server's clock for the rules that wait (recovery); tests pass one they
    can move."""
    settings = settings or load_settings()
    engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
    track_writes(engine)
    alchemy = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        session_config=AsyncSessionConfig(expire_on_commit=False),
    )
    alchemy.before_send_handler = transaction_ender(alchemy.session_scope_key)
    blobs = blob_store(settings, alchemy.get_session)
    auth_routes = Router(
        path="/",
        route_handlers=[AuthController, RecoveryDeviceController],
        middleware=[address_rate_limit(settings.address_rate_per_minute).middleware],
    )
    static = create_static_files_router(
        path="/static", directories=[STATIC], guards=[public], include_in_schema=False
    )
    return Litestar(
        route_handlers=[
            health,
            static,
            auth_routes,
            AccountController,
            RecoveryController,
            DossierController,
            EntryController,
            LogController,
            PartiesController,
            ConnectionsController,
            InviteInfoController,
            GrantsController,
            SharingController,
            PlansController,
            LifeAreasController,
            ProfileController,
            CampaignsController,
            CampaignLinkController,
            CampaignAnswersController,
            *OAUTH_CONTROLLERS,
            *OIDC_API,
            RequestsController,
            NoticesController,
            MailLinkController,
            PushController,
            page_router(),
        ],
        plugins=[SQLAlchemyPlugin(config=alchemy), HTMXPlugin()],
        template_config=template_config(),
        csrf_config=csrf_config(settings),
        before_send=[security_headers(https=settings.cookie_secure)],
        dependencies=DEPENDENCIES,
        exception_handlers=exception_handlers(TABLE, page_error),
        middleware=[DefineMiddleware(SessionAuthMiddleware)],
        stores={STORE: SQLAlchemyStore(alchemy, model=KeyValue, namespace=STORE)},
        state=State(
            {
                "settings": settings,
                "alchemy": alchemy,
                "sessions": SessionCache(),
                "blobs": blobs,
                "errors": TABLE,
                "clock": clock or utcnow,
            }
        ),
        request_max_body_size=settings.max_json_bytes,
        openapi_config=OpenAPIConfig(
            title="Rugzak API",
            version="1",
            path="/api/schema",
            render_plugins=[ScalarRenderPlugin()],
            components=Components(security_schemes=SECURITY_SCHEMES),
        ),
        on_shutdown=[blobs.close, engine.dispose],
        after_exception=[log_unexpected],
        logging_config=_logging_config(),
        debug=settings.debug,
    )


def serving_app() -> Litestar:
    """`rugzak serve`'s app factory: the app, then the heap frozen. Everything alive now
    (modules, the app, its routes and plugins: about 240,000 objects) moves out of the
    cyclic collector's reach, so a full collection walks only what requests left behind
    instead of stopping a worker for tens to hundreds of ms (docs/performance.md, "The
    p99 tail"). Not in `create_app`: tests build many apps in one process."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app

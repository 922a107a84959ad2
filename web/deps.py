"""App-level dependencies: settings, services around the request's database session."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from consent.authorisation import AccessService
from consent.entries import EntryService
from consent.recovery.service import RecoveryService
from consent.recovery.setup import SetupService
from dossier.accounts.service import AccountService, SessionService
from dossier.blobs.backends import BlobStore
from dossier.documents import DocumentService
from dossier.sections.service import DossierService
from web.auth import Caller, caller_of, viewer_of
from web.settings import Settings

# Handler parameters name their dependencies explicitly (Litestar 3 drops inference).
DbSession = NamedDependency[AsyncSession]
SettingsDep = NamedDependency[Settings]
BlobsDep = NamedDependency[BlobStore]
CallerDep = NamedDependency[Caller]
Accounts = NamedDependency[AccountService]
Sessions = NamedDependency[SessionService]
Dossiers = NamedDependency[DossierService]
Documents = NamedDependency[DocumentService]
Access = NamedDependency[AccessService]
Entries = NamedDependency[EntryService]
Recovery = NamedDependency[RecoveryService]
RecoverySetups = NamedDependency[SetupService]


async def provide_settings(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def provide_blobs(request: Request[Any, Any, Any]) -> BlobStore:
    return request.app.state.blobs  # type: ignore[no-any-return]


async def provide_caller(request: Request[Any, Any, Any]) -> Caller:
    return caller_of(request)


async def provide_viewer(request: Request[Any, Any, Any]) -> Caller | None:
    """For a public route's handler: the caller if logged in, else None."""
    return viewer_of(request)


async def provide_accounts(db_session: DbSession) -> AccountService:
    return AccountService(db_session)


async def provide_sessions(db_session: DbSession, settings: SettingsDep) -> SessionService:
    return SessionService(db_session, settings.session_ttl_seconds, settings.session_max_seconds)


async def provide_dossiers(db_session: DbSession) -> DossierService:
    return DossierService(db_session)


async def provide_documents(
    db_session: DbSession, blobs: BlobsDep, settings: SettingsDep
) -> DocumentService:
    return DocumentService(db_session, blobs, settings.max_document_bytes)


async def provide_access(db_session: DbSession) -> AccessService:
    return AccessService(db_session)


async def provide_recovery(
    request: Request[Any, Any, Any], db_session: DbSession
) -> RecoveryService:
    """The recovery services read the app's clock (`create_app(clock=…)`; tests move it)."""
    return RecoveryService(db_session, request.app.state.clock)


async def provide_recovery_setups(
    request: Request[Any, Any, Any], db_session: DbSession
) -> SetupService:
    return SetupService(db_session, request.app.state.clock)


async def provide_entries(db_session: DbSession) -> EntryService:
    return EntryService(db_session)


# Names differ from every request body's fields: Litestar would read a body validation error
# as a failed dependency (a 500) otherwise (tests/web/test_errors.py).
DEPENDENCIES = {
    "settings": Provide(provide_settings),
    "blobs": Provide(provide_blobs),
    "caller": Provide(provide_caller),
    "accounts": Provide(provide_accounts),
    "sessions": Provide(provide_sessions),
    "dossiers": Provide(provide_dossiers),
    "documents": Provide(provide_documents),
    "access": Provide(provide_access),
    "entry_service": Provide(provide_entries),
    "recovery": Provide(provide_recovery),
    "recovery_setups": Provide(provide_recovery_setups),
}

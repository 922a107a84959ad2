"""The single sign-on service moved to `consent.sso.service.SsoService` (no SQL in `web/`).

Only `web/pages/pro.py` still imports it under its old name from here; once that import
reads `from consent.sso.service import SsoService`, delete this module."""

from consent.sso.service import SsoService as OidcLinks

__all__ = ["OidcLinks"]

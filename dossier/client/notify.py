"""Client side of notifications: the unread notices (metadata only) and the e-mail opt-in."""

from __future__ import annotations

from typing import Any

from dossier.client.base import ClientBase


class NotifyClient(ClientBase):
    def notices(self) -> dict[str, Any]:
        """`{"count": n, "notices": [{"kind", "dossier_id", "section", "at"}, …]}`."""
        return dict(self.api.call("GET", "/api/v1/notices"))

    def mark_read(self, dossier_id: str | None = None, section: str | None = None) -> int:
        """Everything ("alles gelezen"), a dossier, or one section of it."""
        body = {"dossier_id": dossier_id, "section": section}
        return int(self.api.call("POST", "/api/v1/notices/read", json=body)["marked"])

    def mail(self) -> dict[str, Any]:
        return dict(self.api.call("GET", "/api/v1/account/mail"))

    def set_mail(self, address: str) -> dict[str, Any]:
        """Queues the double opt-in mail; nothing else is sent until its link is used."""
        return dict(self.api.call("PUT", "/api/v1/account/mail", json={"address": address}))

    def set_mail_mode(self, mode: str) -> dict[str, Any]:
        return dict(self.api.call("PATCH", "/api/v1/account/mail", json={"mode": mode}))

    def remove_mail(self) -> None:
        self.api.call("DELETE", "/api/v1/account/mail")

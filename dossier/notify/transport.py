"""Where mail goes: an SMTP server (aiosmtplib) or, with none configured, `.eml` files under
`./var/mail/` so the demo shows what would have been sent. Neither logs an address."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib


class MailTransport(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Deliver or raise; a raise leaves the message queued for a retry."""

    async def close(self) -> None:
        """End a connection kept open between messages (the worker calls it after a drain)."""


@dataclass(slots=True)
class SmtpTransport:
    """`smtp://[user:password@]host[:port]` (STARTTLS when the server offers it) or
    `smtps://…` (TLS from the first byte, port 465 by default). One connection serves a whole
    drain; a failed send drops it, and the next send connects anew."""

    host: str
    port: int
    use_tls: bool
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = None
    client: aiosmtplib.SMTP | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpTransport:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError("RUGZAK_SMTP_URL is smtp://host:port or smtps://host:port")
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 25),
            use_tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )

    async def _connected(self) -> aiosmtplib.SMTP:
        if self.client is None or not self.client.is_connected:
            client = aiosmtplib.SMTP(
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.use_tls,
                start_tls=None if not self.use_tls else False,
                timeout=self.timeout,
                tls_context=self.tls_context,
            )
            await client.connect()
            self.client = client
        return self.client

    async def send(self, message: EmailMessage) -> None:
        try:
            await (await self._connected()).send_message(message)
        except Exception:
            await self.close()
            raise

    async def close(self) -> None:
        client, self.client = self.client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except aiosmtplib.SMTPException:
                client.close()


@dataclass(frozen=True, slots=True)
class FileTransport:
    folder: Path

    async def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = str(message["Message-ID"]).strip("<>").replace("@", "_").replace("/", "_")
        path = self.folder / f"{name}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(message.as_bytes())
        tmp.replace(path)

    async def close(self) -> None:
        return None


def transport_for(smtp_url: str, mail_dir: str) -> MailTransport:
    return SmtpTransport.from_url(smtp_url) if smtp_url else FileTransport(Path(mail_dir))

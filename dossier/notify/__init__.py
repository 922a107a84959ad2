"""Notices that something happened, never what: the in-app unread state, the outbox the
worker drains, and the one piece of plaintext personal data kept for it (an e-mail address).
It lives in `dossier/` because security notices (a new device, a changed passphrase) come
from `dossier.accounts`; `consent.notify` adds the events of sharing (docs/notifications.md)."""

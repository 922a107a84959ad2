"""Client side of the access log ("Wie keek in mijn rugzak?", DESIGN.md §7).

The server serves the hash chain; this client believes it only after recomputing every link
from GENESIS and checking it reaches every checkpoint it knows: the newest one the server
stores (signed by our own key) and the newest one this device has seen or signed (kept in
memory, and in `export_state()` for a caller that persists it). A log that is shorter than a
known checkpoint is a rollback (`LogRollbackError`); one that differs at a checkpoint is a
rewritten history or a fork (`TamperedError`). After a clean check the client signs a
checkpoint over the head and posts it, so the next rewrite of anything seen so far is caught.

Invariant: events after the newest checkpoint are only as trustworthy as the chain itself;
a server that rewrites or withholds that unpinned tail, and re-hashes it, is not detected
until a checkpoint covers it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import httpx

from dossier import crypto
from dossier.client.sections import SectionsClient

STATE_VERSION = 1


class LogRollbackError(crypto.TamperedError):
    """The server shows a log that stops before a checkpoint this device has seen."""


@dataclass(frozen=True, slots=True)
class AccessEvent:
    """One verified event: who (`actor`, an account id) did what (`action`, a stable name
    such as `section:read`) to which section (None for the whole dossier) and when."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    section: str | None
    hash: str


def _event(item: dict[str, Any]) -> AccessEvent:
    return AccessEvent(
        seq=item["seq"],
        at=crypto.parse_time(item["at"]),
        actor=item["actor"],
        action=item["action"],
        section=item["section"],
        hash=item["hash"],
    )


class LogClient(SectionsClient):
    """Mixed into `RugzakClient`."""

    LOG_PAGE = 1000

    def __init__(self, base_url: str, http: httpx.Client | None = None) -> None:
        super().__init__(base_url, http)
        self._log_checkpoints: dict[str, crypto.Checkpoint] = {}

    def _log_path(self, dossier_id: str | None) -> str:
        return f"/api/v1/dossiers/{self._dossier_id(dossier_id)}/log"

    def known_checkpoint(self, dossier_id: str | None = None) -> crypto.Checkpoint | None:
        """The newest checkpoint this device has seen or signed for the dossier."""
        return self._log_checkpoints.get(self._dossier_id(dossier_id))

    def _remember(self, checkpoint: crypto.Checkpoint) -> None:
        known = self._log_checkpoints.get(checkpoint.dossier)
        if known is None or checkpoint.seq > known.seq:
            self._log_checkpoints[checkpoint.dossier] = checkpoint

    def export_state(self) -> dict[str, Any]:
        """What this device remembers about logs, as JSON, for a caller to keep on disk."""
        return {
            "v": STATE_VERSION,
            "log_checkpoints": [cp.to_json() for cp in self._log_checkpoints.values()],
        }

    def import_state(self, state: dict[str, Any]) -> None:
        """Merge remembered checkpoints (the newer one wins); signatures are checked when a
        checkpoint is used, against the owner's own key."""
        if state.get("v") != STATE_VERSION:
            raise crypto.UnsupportedVersion("unknown client state version")
        for item in state.get("log_checkpoints", []):
            self._remember(crypto.Checkpoint.from_json(item))

    def _fetch_log(self) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        path, after = self._log_path(None), 0
        events: list[dict[str, Any]] = []
        while True:
            page = self.api.call("GET", path, params={"after": after, "limit": self.LOG_PAGE})
            events.extend(page["events"])
            served = page["checkpoint"]
            following = page["next"]
            if following is None:
                return events, served
            if not isinstance(following, int) or following <= after:
                raise crypto.TamperedError("log pages do not advance")
            after = following

    def _checkpoints(
        self, dossier_id: str, served: dict[str, Any] | None
    ) -> list[crypto.Checkpoint]:
        """The server's and this device's checkpoints, each signed by us for this dossier."""
        sign_pk = self.unlocked().identity.public.sign_pk
        known = [] if served is None else [crypto.Checkpoint.from_json(served)]
        local = self._log_checkpoints.get(dossier_id)
        if local is not None:
            known.append(local)
        for checkpoint in known:
            checkpoint.verify(sign_pk)
            if checkpoint.dossier != dossier_id or checkpoint.seq < 1:
                raise crypto.TamperedError("checkpoint names another log")
        return known

    def access_log(self) -> list[AccessEvent]:
        """The whole access log of our own dossier, verified, oldest first; afterwards the
        head is checkpointed (signed, remembered here and posted to the server)."""
        me = self.unlocked()
        dossier_id = self._dossier_id(None)
        events, served = self._fetch_log()
        try:
            known = self._checkpoints(dossier_id, served)
        except crypto.CryptoError as exc:
            raise crypto.TamperedError("bad checkpoint") from exc
        for checkpoint in known:
            if len(events) < checkpoint.seq:
                raise LogRollbackError("the log stops before a checkpoint this device has seen")
        newest = max(known, key=lambda cp: cp.seq, default=None)
        head = crypto.verify_chain(
            events, checkpoint=newest, owner_sign_pk=me.identity.public.sign_pk
        )
        if events and events[0].get("dossier") != dossier_id:
            raise crypto.TamperedError("the log belongs to another dossier")
        for checkpoint in known:
            if crypto.b64d(events[checkpoint.seq - 1]["hash"]) != checkpoint.hash:
                raise crypto.TamperedError("the log forks from a checkpoint")
        if newest is not None:
            self._remember(newest)
        if events and (newest is None or len(events) > newest.seq):
            self._checkpoint(dossier_id, len(events), head)
        try:
            return [_event(item) for item in events]
        except crypto.CryptoError as exc:
            raise crypto.TamperedError("unreadable event") from exc

    def _checkpoint(self, dossier_id: str, seq: int, head: bytes) -> None:
        checkpoint = crypto.sign_checkpoint(self.unlocked().identity, dossier_id, seq, head)
        self._remember(checkpoint)
        self.api.call(
            "POST", f"{self._log_path(dossier_id)}/checkpoints", json=checkpoint.to_json()
        )

    def log_export(self) -> dict[str, Any]:
        """Tell the server this device is exporting the dossier; it becomes a log event."""
        return dict(self.api.call("POST", f"{self._log_path(None)}/export"))

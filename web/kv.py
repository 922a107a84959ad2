"""The shared key/value table behind Litestar stores (rate-limit counters), so any number of
stateless app servers see the same counts."""

from __future__ import annotations

from advanced_alchemy.extensions.litestar.store import StoreModelMixin


class KeyValue(StoreModelMixin):
    __tablename__ = "kv_store"

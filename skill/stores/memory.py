"""A store in a dict, for tests and trying the skill out; everything is lost when the process stops."""
from __future__ import annotations

import secrets
import threading
from typing import Any

from skill.stores.base import Store, decode, encode


class MemoryStore(Store):
    """Records kept as JSON text, so they round-trip exactly as in a real store and callers cannot alias them."""

    def __init__(self, secret: bytes | None = None) -> None:
        super().__init__(secret or secrets.token_bytes(32))
        self._records: dict[str, str] = {}
        self._lock = threading.Lock()

    def load(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            text = self._records.get(key)
        return None if text is None else decode(key, text)

    def save(self, key: str, record: dict[str, Any]) -> None:
        text = encode(record)
        with self._lock:
            self._records[key] = text

    def delete(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)

    def count(self) -> int:
        """How many users have a record."""
        with self._lock:
            return len(self._records)

    def describe(self) -> str:
        return "memory (forgotten when the process stops)"

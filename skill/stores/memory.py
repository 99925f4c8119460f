"""A store in a dict, for tests and trying the skill out; everything is lost when the process stops."""
from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from skill.stores.base import DEFAULT_KEEP_SECONDS, Store, decode, encode

PURGE_EVERY = 1000  # saves between sweeps for idle records, as in SQLite


class MemoryStore(Store):
    """Records kept as JSON text, so they round-trip exactly as in a real store and callers cannot alias them.

    Idle records go as in SQLite: a record not saved for keep_seconds loads as None and is dropped, and a sweep
    every PURGE_EVERY saves drops the rest.
    """

    def __init__(self, secret: bytes | None = None, keep_seconds: float = DEFAULT_KEEP_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(secret or secrets.token_bytes(32))
        if keep_seconds <= 0:
            raise ValueError("keep_seconds must be positive")
        self.keep_seconds = keep_seconds
        self.clock = clock
        self._records: dict[str, tuple[str, float]] = {}  # key: (JSON text, when saved)
        self._lock = threading.Lock()
        self._saves = itertools.count(1)

    def load_versioned(self, key: str) -> tuple[dict[str, Any] | None, str | None]:
        with self._lock:
            text = self._live(key)
        return (None, None) if text is None else (decode(key, text), text)

    def _live(self, key: str) -> str | None:
        """The text kept under key, dropping it if idle too long; call with the lock held."""
        kept = self._records.get(key)
        if kept is not None and kept[1] < self.clock() - self.keep_seconds:
            del self._records[key]
            kept = None
        return None if kept is None else kept[0]

    def save(self, key: str, record: dict[str, Any]) -> None:
        text = encode(record)
        with self._lock:
            self._records[key] = (text, self.clock())
        self._after_save()

    def save_if(self, key: str, record: dict[str, Any], token: str | None) -> bool:
        text = encode(record)
        with self._lock:
            if self._live(key) != token:
                return False
            self._records[key] = (text, self.clock())
        self._after_save()
        return True

    def _after_save(self) -> None:
        if next(self._saves) % PURGE_EVERY == 0:
            self.purge()

    def delete(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)

    def purge(self) -> int:
        """Drop every record idle longer than keep_seconds; how many went."""
        cutoff = self.clock() - self.keep_seconds
        with self._lock:
            idle = [key for key, (_, updated) in self._records.items() if updated < cutoff]
            for key in idle:
                del self._records[key]
        return len(idle)

    def count(self) -> int:
        """How many users have a record (idle ones not yet swept included)."""
        with self._lock:
            return len(self._records)

    def describe(self) -> str:
        return "memory (forgotten when the process stops)"

"""One request's turn with the store: read the person's record, answer, and save only over the record read.

The Alexa shell and the browser player both go through `take_turn`, so they share one failure policy:

- Another request saved first (a conflict): read again and answer again, up to SAVE_ATTEMPTS times, then save
  over it. Answers come from a pure engine, so answering again from a fresh read is safe, and each answer and the
  record left fit one order of the two requests.
- The store cannot be read: the answer is asked for with `unreachable` set, and what it gives is saved over
  whatever is kept, as there is nothing to compare with. A surface that cannot answer without the person's place
  gives nothing to save, and says so itself.
- The store cannot be written: the answer stands and `saved` is False; the surface says what that means.
- No user id: there is no key, so no turn; the key is made from the id before (NoUserId).

StoreUnavailable never leaves take_turn; it is logged here, naming the store only, and reported in the Turn.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from skill.errors import StoreUnavailable
from skill.stores.base import SAVE_ATTEMPTS, Store

log = logging.getLogger("gentle_yoga.store")

T = TypeVar("T")
Record = dict[str, Any]


@dataclass(frozen=True)
class Read:
    """What the store gave: the record (None if there is none), its token for save_if, or that it could not."""

    record: Record | None = None
    token: str | None = None
    unreachable: bool = False


@dataclass(frozen=True)
class Turn(Generic[T]):
    """The answer, the read it was made from, and whether what it gave to keep was kept (True if nothing was)."""

    answer: T
    read: Read
    saved: bool


def read(store: Store, key: str) -> Read:
    """The record kept under key, or Read(unreachable=True) if the store cannot answer."""
    try:
        record, token = store.load_versioned(key)
    except StoreUnavailable as exc:
        log.warning("the store cannot be read: %s", exc)
        return Read(unreachable=True)
    return Read(record, token)


def take_turn(store: Store, key: str, answer: Callable[[Read], tuple[T, Record | None]]) -> Turn[T]:
    """Read, answer (the answer and the record to keep, None to keep nothing), save only over the record read."""
    for _ in range(SAVE_ATTEMPTS):
        got = read(store, key)
        result, wanted = answer(got)
        if wanted is None:
            return Turn(result, got, saved=True)
        record = wanted
        if got.unreachable:
            return Turn(result, got, saved=_save(store, key, record))
        try:
            if store.save_if(key, record, got.token):
                return Turn(result, got, saved=True)
        except StoreUnavailable as exc:
            log.warning("the store cannot be written: %s", exc)
            return Turn(result, got, saved=False)
    log.warning("the practice record changed under each of %d tries to save; saving over it", SAVE_ATTEMPTS)
    return Turn(result, got, saved=_save(store, key, record))


def _save(store: Store, key: str, record: Record) -> bool:
    """Keep record whatever the store holds; False if the store cannot take it now."""
    try:
        store.save(key, record)
    except StoreUnavailable as exc:
        log.warning("the store cannot be written: %s", exc)
        return False
    return True

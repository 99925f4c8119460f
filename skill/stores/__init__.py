"""Per-user practice state stores, chosen by GENTLE_YOGA_STORE: a small table from scheme to opener."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from skill.errors import ConfigError
from skill.stores.base import NoUserId, Store, read_secret
from skill.stores.memory import MemoryStore
from skill.stores.sqlite import SQLiteStore

__all__ = ["NoUserId", "Store", "MemoryStore", "SQLiteStore", "open_store", "DEFAULT_SQLITE"]

DEFAULT_SQLITE = "gentle-yoga.sqlite3"
FORMS = "sqlite, sqlite:///ABSOLUTE/PATH.sqlite3 or memory"


def _secret(id_secret: str, data_dir: Path) -> bytes:
    """GENTLE_YOGA_ID_SECRET if set, else the one kept in the data dir."""
    if id_secret:
        return id_secret.encode("utf-8")
    data_dir.mkdir(parents=True, exist_ok=True)
    return read_secret(data_dir)


def _open_sqlite(spec: str, data_dir: Path, id_secret: str) -> Store:
    if spec == "sqlite":
        path = data_dir / DEFAULT_SQLITE
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        rest = spec.removeprefix("sqlite://")
        path = Path(rest)
        if rest == spec or not rest.startswith("/") or rest.endswith("/"):
            raise _bad(spec)
    secret = _secret(id_secret, data_dir)
    try:
        return SQLiteStore(path, secret)
    except sqlite3.Error as error:
        raise ConfigError(f"GENTLE_YOGA_STORE names the SQLite file {path}, which cannot be opened ({error})") from None


def _open_memory(spec: str, data_dir: Path, id_secret: str) -> Store:
    if spec != "memory":
        raise _bad(spec)
    return MemoryStore(id_secret.encode("utf-8") or None)  # lost at exit, so a per-process secret will do


OPENERS: dict[str, Callable[[str, Path, str], Store]] = {"sqlite": _open_sqlite, "memory": _open_memory}


def _bad(spec: str) -> ConfigError:
    return ConfigError(f"GENTLE_YOGA_STORE is {spec!r}; it should be {FORMS}")


def open_store(spec: str, data_dir: Path, id_secret: str = "") -> Store:
    """The store spec names (GENTLE_YOGA_STORE), with user ids hashed by id_secret or the data dir's secret."""
    opener = OPENERS.get(spec.partition(":")[0])
    if opener is None:
        raise _bad(spec)
    return opener(spec, Path(data_dir), id_secret)

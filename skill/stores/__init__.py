"""Per-user practice state stores, chosen by GENTLE_YOGA_STORE: a small table from scheme to opener."""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from skill.errors import ConfigError
from skill.stores.base import DEFAULT_KEEP_SECONDS, Store, log, read_secret
from skill.stores.memory import MemoryStore
from skill.stores.sqlite import SQLiteStore

__all__ = ["Store", "MemoryStore", "SQLiteStore", "open_store", "DEFAULT_SQLITE",
           "DEFAULT_KEEP_SECONDS", "redact"]

DEFAULT_SQLITE = "gentle-yoga.sqlite3"
FORMS = ("sqlite, sqlite:///ABSOLUTE/PATH.sqlite3, redis://[:PASSWORD@]HOST:PORT/DB (or rediss://), "
         "dynamodb://TABLE or memory")


def redact(spec: str) -> str:
    """A store spec fit to print or log: a password in it replaced by ***."""
    return re.sub(r"(//[^/@]*?:)[^/@]*@", r"\1***@", spec)


def _secret(id_secret: str, data_dir: Path) -> bytes:
    """GENTLE_YOGA_ID_SECRET if set, else the one kept in the data dir."""
    if id_secret:
        return id_secret.encode("utf-8")
    data_dir.mkdir(parents=True, exist_ok=True)
    return read_secret(data_dir)


def _shared_secret(id_secret: str, data_dir: Path) -> bytes:
    """The secret for a store several hosts share: each host must hash ids alike, which a file per host does not."""
    if not id_secret:
        log.warning("GENTLE_YOGA_ID_SECRET is not set, so user ids are hashed with the secret in %s; every host "
                    "sharing this store needs the same secret, so set GENTLE_YOGA_ID_SECRET to it on each", data_dir)
    return _secret(id_secret, data_dir)


def _open_sqlite(spec: str, data_dir: Path, id_secret: str, keep_seconds: float) -> Store:
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
        return SQLiteStore(path, secret, keep_seconds)
    except sqlite3.Error as error:
        raise ConfigError(f"GENTLE_YOGA_STORE names the SQLite file {path}, which cannot be opened ({error})") from None


def _open_memory(spec: str, data_dir: Path, id_secret: str, keep_seconds: float) -> Store:
    if spec != "memory":
        raise _bad(spec)
    # lost at exit, so a per-process secret will do
    return MemoryStore(id_secret.encode("utf-8") or None, keep_seconds)


def _missing(error: ImportError, spec: str, extra: str, packages: tuple[str, ...]) -> Exception:
    """What to raise when a store's module cannot be imported: a ConfigError naming the extra to install if one
    of its packages is missing (a SQLite host needs neither redis nor boto3), else the error itself."""
    if (error.name or "").partition(".")[0] not in packages:
        return error
    return ConfigError(f"GENTLE_YOGA_STORE is {redact(spec)!r}, which needs the {packages[0]} package: install "
                       f"gentle-yoga[{extra}]")


def _open_redis(spec: str, data_dir: Path, id_secret: str, keep_seconds: float) -> Store:
    try:  # imported only by hosts that use it
        from skill.stores.redis import RedisStore, where
    except ImportError as error:
        raise _missing(error, spec, "redis", ("redis",)) from None

    try:
        where(spec)
    except ValueError as error:
        raise ConfigError(f"GENTLE_YOGA_STORE is {redact(spec)!r}, which is not a Redis URL Gentle Yoga can use "
                          f"({error}); it should be like redis://:PASSWORD@HOST:6379/0") from None
    return RedisStore(spec, _shared_secret(id_secret, data_dir), keep_seconds)


def _open_dynamodb(spec: str, data_dir: Path, id_secret: str, keep_seconds: float) -> Store:
    try:  # imported only by hosts that use it
        from skill.stores.dynamodb import TABLE_NAME, DynamoDBStore, region
    except ImportError as error:
        raise _missing(error, spec, "aws", ("boto3", "botocore")) from None

    table = spec.removeprefix("dynamodb://")
    if table == spec or not TABLE_NAME.fullmatch(table):
        raise ConfigError(f"GENTLE_YOGA_STORE is {spec!r}; a DynamoDB table is named dynamodb://TABLE, where TABLE "
                          "is 3 to 255 letters, digits, _ . or -")
    if region() is None:
        raise ConfigError(f"GENTLE_YOGA_STORE names the DynamoDB table {table}, but no AWS region is set: set "
                          "AWS_REGION or AWS_DEFAULT_REGION (Lambda sets them itself)")
    return DynamoDBStore(table, _shared_secret(id_secret, data_dir), keep_seconds)


Opener = Callable[[str, Path, str, float], Store]
OPENERS: dict[str, Opener] = {"sqlite": _open_sqlite, "memory": _open_memory, "redis": _open_redis,
                              "rediss": _open_redis, "dynamodb": _open_dynamodb}


def _bad(spec: str) -> ConfigError:
    return ConfigError(f"GENTLE_YOGA_STORE is {redact(spec)!r}; it should be {FORMS}")


def open_store(spec: str, data_dir: Path, id_secret: str = "", keep_seconds: float = DEFAULT_KEEP_SECONDS) -> Store:
    """The store spec names (GENTLE_YOGA_STORE), with user ids hashed by id_secret or the data dir's secret, and
    records idle for keep_seconds (GENTLE_YOGA_KEEP_DAYS) forgotten."""
    opener = OPENERS.get(spec.partition(":")[0])
    if opener is None:
        raise _bad(spec)
    return opener(spec, Path(data_dir), id_secret, keep_seconds)

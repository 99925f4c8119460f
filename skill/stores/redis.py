"""Records in Redis, for many processes or hosts: one key per user, written whole with one SET that expires."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from skill.errors import StoreUnavailable
from skill.stores.base import DEFAULT_KEEP_SECONDS, Store, decode, encode

PREFIX = "gentle-yoga:practice:"
TIMEOUT = 2.0  # seconds to connect, and to wait for an answer: Alexa wants the whole response within 8 s
RETRIES = 1  # one more try on a fresh connection, for the pooled connection a server restart has broken
# save_if in one step on the server: SET only if the key still holds the token (ARGV[1]), or, when ARGV[2] is
# "absent", only if there is no key at all (GET gives false for a missing key, and "" for an empty string).
SAVE_IF = """
local kept = redis.call('GET', KEYS[1])
if ARGV[2] == 'absent' then
  if kept then return 0 end
elseif kept ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
return 1
"""
TOKEN_CODEC = "latin-1"  # a token is the stored bytes as text, one character a byte, so any bytes round-trip


def where(url: str) -> str:
    """scheme://host:port/db of a Redis URL, without user or password; ValueError for one this store cannot use."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError("a Redis URL starts redis:// or rediss://")
    try:
        port = parts.port or 6379
    except ValueError:
        raise ValueError("the port is not a number from 0 to 65535") from None
    if not parts.hostname:
        raise ValueError("the URL names no host")
    if not re.fullmatch(r"/?|/\d+", parts.path):
        raise ValueError("the database, after the last /, is a number")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}:{port}/{parts.path.strip('/') or 0}"


class RedisStore(Store):
    """One key per user, `gentle-yoga:practice:<HMAC hex>`, holding the whole record as JSON.

    A save is one SET with EX, so two racing saves for one user leave whichever finished last, never a mix, and a
    record no one saves for keep_seconds is dropped by Redis itself. save_if is one Lua script, as atomic as a SET.
    The client's connection pool notices a fork (it compares process ids) and opens fresh connections in the child,
    so gunicorn's workers share nothing.
    """

    def __init__(self, url: str, secret: bytes, keep_seconds: float = DEFAULT_KEEP_SECONDS) -> None:
        super().__init__(secret)
        if keep_seconds < 1:
            raise ValueError("keep_seconds must be at least one second")
        self.keep_seconds = int(keep_seconds)
        self._where = where(url)
        self._client = redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT,
                                            retry=Retry(NoBackoff(), RETRIES))
        self._save_if = self._client.register_script(SAVE_IF)  # EVALSHA, loading it again after a restart

    def key(self, key: str) -> str:
        """The Redis key for a user's hashed key."""
        return PREFIX + key

    @contextmanager
    def _guard(self) -> Iterator[redis.Redis]:
        """The client; Redis being down, slow, full or refusing us as StoreUnavailable, naming the server only."""
        try:
            yield self._client
        except redis.RedisError as error:
            detail = f": {error}" if isinstance(error, redis.ConnectionError | redis.TimeoutError) else ""
            raise StoreUnavailable(f"{self.describe()} is unavailable ({type(error).__name__}{detail})") from error

    def load_versioned(self, key: str) -> tuple[dict[str, Any] | None, str | None]:
        with self._guard() as client:
            # redis-py types get() as bytes or str; without decode_responses, as this client is made, it is bytes
            text = cast("bytes | None", client.get(self.key(key)))
        return (None, None) if text is None else (decode(key, text), text.decode(TOKEN_CODEC))

    def save(self, key: str, record: dict[str, Any]) -> None:
        with self._guard() as client:
            client.set(self.key(key), encode(record), ex=self.keep_seconds)

    def save_if(self, key: str, record: dict[str, Any], token: str | None) -> bool:
        kept = b"" if token is None else token.encode(TOKEN_CODEC)
        with self._guard():
            done = self._save_if(keys=[self.key(key)], args=[kept, "absent" if token is None else "equal",
                                                             encode(record), self.keep_seconds])
        return done == 1

    def delete(self, key: str) -> None:
        with self._guard() as client:
            client.delete(self.key(key))

    def describe(self) -> str:
        """The server and database, never the password."""
        return f"Redis at {self._where}"

    def close(self) -> None:
        self._client.close()

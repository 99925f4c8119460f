"""What every store shares: the small interface callers use, user ids hashed before storage, records as JSON."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skill.errors import ConfigError, NoUserId

if TYPE_CHECKING:
    from ask_sdk_model import RequestEnvelope

log = logging.getLogger("gentle_yoga.store")

SECRET_FILE = "id-secret"
SECRET_CHARS = 64  # 32 random bytes, written as hex so the same text can be moved into GENTLE_YOGA_ID_SECRET


DAY = 24 * 3600
DEFAULT_KEEP_SECONDS = 180 * DAY  # GENTLE_YOGA_KEEP_DAYS' default: a record idle this long is forgotten
UNREADABLE_VERSION = "unreadable"  # what an unreadable record reads as: a version from_dict refuses


SAVE_ATTEMPTS = 3  # conditional saves a request tries, reading and answering again each time, before saving over


def user_id(envelope: RequestEnvelope) -> str:
    """The Alexa user id: context.System.user, else session.user (both carry it; either may be absent)."""
    for holder in (getattr(envelope.context, "system", None), envelope.session):
        user = getattr(holder, "user", None)
        if user is not None and user.user_id:
            return user.user_id
    raise NoUserId()


def encode(record: dict[str, Any]) -> str:
    """The compact JSON text a record is kept as."""
    return json.dumps(record, separators=(",", ":"))


def decode(key: str, text: str | bytes) -> dict[str, Any]:
    """A kept record read back; one that is not a JSON object is logged by hashed key only and comes back as a
    record of an unknown version, so the shell tells the person it lost their place, as for any damaged record."""
    try:
        record = json.loads(text)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        record = None
    if isinstance(record, dict):
        return record
    log.warning("the practice record for user %s is unreadable", key)
    return {"v": UNREADABLE_VERSION}


def read_secret(data_dir: Path) -> bytes:
    """The secret kept in data_dir, made once (mode 0600) by whichever process gets there first."""
    path = data_dir / SECRET_FILE
    for _ in range(50):
        try:
            text = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            _create_secret(path)
            continue
        except (UnicodeDecodeError, OSError) as error:
            raise ConfigError(f"the id secret {path} cannot be read ({error})") from None
        if len(text) >= SECRET_CHARS:
            return text.encode("ascii")
        time.sleep(0.01)  # another process has created it and is writing it now
    raise ConfigError(f"the id secret {path} is too short; it should hold at least {SECRET_CHARS} characters "
                      "(removing it makes a new one, and every stored practice is then forgotten)")


def _create_secret(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process won; read theirs
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(SECRET_CHARS // 2) + "\n")
        file.flush()
        os.fsync(file.fileno())


class Store(ABC):
    """What callers need of a store: records keyed by an HMAC of the user id, so raw ids never reach storage.

    Our own interface, not ask-sdk's persistence adapter: the Alexa shell and the browser player read and save
    through skill.stores.turn (a save only over the record read), which ask-sdk's load-then-save cannot do.
    """

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("a store needs a non-empty secret to hash user ids with")
        self._secret = secret

    def user_key(self, user: str) -> str:
        """The key a user's record is kept under: HMAC-SHA256 of the id, in hex."""
        return hmac.new(self._secret, user.encode("utf-8"), hashlib.sha256).hexdigest()

    def load(self, key: str) -> dict[str, Any] | None:
        """The record kept under key; None if there is none or it has been idle too long; a record of version
        'unreadable' if it cannot be read. StoreUnavailable when the backend cannot answer."""
        return self.load_versioned(key)[0]

    @abstractmethod
    def load_versioned(self, key: str) -> tuple[dict[str, Any] | None, str | None]:
        """The record as load gives it, and a token for save_if: the exact text kept (None when no live record)."""

    @abstractmethod
    def save(self, key: str, record: dict[str, Any]) -> None:
        """Keep record under key, replacing any before it whole. StoreUnavailable when the backend cannot answer."""

    @abstractmethod
    def save_if(self, key: str, record: dict[str, Any], token: str | None) -> bool:
        """Keep record under key only if the text kept is still token (None: only if there is no live record), in
        one atomic step of the backend; False, changing nothing, if another save came first. StoreUnavailable as
        above."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Forget the record under key; forgetting a missing one is not an error. StoreUnavailable as above."""

    @abstractmethod
    def describe(self) -> str:
        """Where records go, in a few words for the server's start banner."""

    def close(self) -> None:  # noqa: B027 (a store with nothing to let go of need not say so)
        """Let go of connections and files."""

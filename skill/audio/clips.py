"""The clip cache: content-addressed by what was said and how, so a clip is rendered once, ever.

The key is a SHA-256 of the text, the voice's key (engine, its version, voice, rate) and the encoding. An entry
is a small header (magic and a SHA-256 of the audio) followed by the MP3 frames. Anything that does not read
back whole (cut short, damaged, foreign) is treated as missing and rendered again, never served.

On disk, writes go to a temporary file that is renamed into place, so a reader sees a whole entry or none; two
processes rendering the same clip at once both write the same bytes. In S3 a put is atomic in the same way.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, Protocol

from skill.audio import mp3
from skill.errors import AudioError

log = logging.getLogger("gentle_yoga.audio")

FORMAT = f"mp3:{mp3.RATE}:{mp3.KBPS}k:mono:lame-q2:v1"  # part of every key: a new encoding is a new clip
MAGIC = b"GYCLIP1\n"
_HEADER = len(MAGIC) + 32
MEMORY_BYTES = 32 * 1024 * 1024  # clips kept in memory per cache, most recently used first


def clip_key(voice_key: str, text: str) -> str:
    return hashlib.sha256(f"{FORMAT}\n{voice_key}\n{text}".encode()).hexdigest()


def pack(clip: mp3.Clip) -> bytes:
    return MAGIC + hashlib.sha256(clip.data).digest() + clip.data


def unpack(entry: bytes) -> mp3.Clip:
    """The clip an entry holds; AudioError when the entry is damaged in any way."""
    if len(entry) <= _HEADER or not entry.startswith(MAGIC):
        raise AudioError("not a clip entry")
    data = entry[_HEADER:]
    if hashlib.sha256(data).digest() != entry[len(MAGIC):_HEADER]:
        raise AudioError("the clip's checksum does not match its audio")
    return mp3.Clip.parse(data)


def atomic_write(target: Path, data: bytes, mode: int = 0o644) -> None:
    """Write data to target so that a reader sees the old file, or none, or the whole new one, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:16]}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Backend(Protocol):
    def read(self, key: str) -> bytes | None: ...

    def write(self, key: str, entry: bytes) -> None: ...

    def describe(self) -> str: ...

    def exclusive(self) -> AbstractContextManager[object]:
        """Held while a whole library is rendered, so processes sharing the cache render it once between them."""
        ...


class DiskBackend:
    """Entries as files under root, fanned out by the key's first two characters."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.clip"

    def read(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, key: str, entry: bytes) -> None:
        atomic_write(self.path(key), entry)

    def describe(self) -> str:
        return str(self.root)

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """An exclusive lock on the cache folder (gunicorn's workers start together: one renders, the others
        wait and then find every clip there)."""
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".render.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class S3Backend:
    """Entries as objects under s3://bucket/prefix/clips/, for Lambda, where no disk lasts."""

    def __init__(self, bucket: str, prefix: str, client: Any) -> None:
        self.bucket, self.prefix, self.client = bucket, prefix.strip("/"), client

    def object_key(self, key: str) -> str:
        return "/".join(part for part in (self.prefix, "clips", f"{key}.clip") if part)

    def read(self, key: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def write(self, key: str, entry: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.object_key(key), Body=entry,
                               ContentType="application/octet-stream")

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.object_key('')[:-5].rstrip('/')}"

    def exclusive(self) -> AbstractContextManager[object]:
        return nullcontext()  # rendering into S3 is `render --upload`, one process


class ClipCache:
    """Clips by (voice, text): read from the backend, or rendered once, checked, and kept.

    `renders` counts the clips this cache had to render, so a warm cache can be shown to render nothing.
    """

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.renders = 0
        self._memory: OrderedDict[str, mp3.Clip] = OrderedDict()
        self._memory_bytes = 0
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def peek(self, voice_key: str, text: str) -> mp3.Clip | None:
        """The cached clip, or None when it is missing or damaged."""
        key = clip_key(voice_key, text)
        found = self._recall(key) or self._read(key)
        if found is not None:
            self._remember(key, found)
        return found

    def put(self, voice_key: str, text: str, clip: mp3.Clip) -> mp3.Clip:
        """Keep a clip just rendered."""
        key = clip_key(voice_key, text)
        self.backend.write(key, pack(clip))
        self._remember(key, clip)
        with self._guard:
            self.renders += 1
        return clip

    def get(self, voice_key: str, text: str, render: Callable[[], mp3.Clip]) -> mp3.Clip:
        """The clip for text in this voice; render() makes it when it is missing or damaged."""
        found = self.peek(voice_key, text)
        if found is not None:
            return found
        with self._lock(voice_key + text):  # two threads asking for one new clip render it once
            return self.peek(voice_key, text) or self.put(voice_key, text, render())

    def _recall(self, key: str) -> mp3.Clip | None:
        with self._guard:
            found = self._memory.get(key)
            if found is not None:
                self._memory.move_to_end(key)
            return found

    def _remember(self, key: str, clip: mp3.Clip) -> None:
        with self._guard:
            if key not in self._memory:
                self._memory[key] = clip
                self._memory_bytes += len(clip.data)
            while self._memory_bytes > MEMORY_BYTES and len(self._memory) > 1:
                _, old = self._memory.popitem(last=False)
                self._memory_bytes -= len(old.data)

    def _read(self, key: str) -> mp3.Clip | None:
        entry = self.backend.read(key)
        if entry is None:
            return None
        try:
            return unpack(entry)
        except AudioError as exc:
            log.warning("clip %s in %s is damaged (%s); rendering it again", key[:12], self.backend.describe(), exc)
            return None

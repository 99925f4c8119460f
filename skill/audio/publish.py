"""Everything the skill on Lambda plays, put in S3 ahead of time: each class's step streams as written, and its
closing, at the same names the web host serves (GENTLE_YOGA_PUBLIC_URL then points at the bucket or its CDN).

The clips themselves land in the same bucket as the clip cache, so a shortened class (other holds) is assembled
from them by the Lambda when it is first asked for.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from skill.audio import mp3
from skill.audio.assemble import Stream
from skill.audio.clips import S3Backend
from skill.audio.host import AudioHost, Ref
from skill.errors import AudioError
from skill.practice.plan import Plan, active

CACHE_CONTROL = "public, max-age=31536000, immutable"


def refs(host: AudioHost) -> list[Ref]:
    """The streams of every class as written."""
    out = []
    for practice in host.library:
        plan = Plan.full(practice)
        out += [host.step_ref(practice, plan, index) for index in active(practice, plan)]
        out.append(host.closing_ref(practice))
    return out


def put_stream(backend: S3Backend, ref: Ref, data: bytes) -> None:
    """One stream into the bucket, where GENTLE_YOGA_PUBLIC_URL serves it."""
    key = "/".join(part for part in (backend.prefix, "audio", ref.name) if part)
    backend.client.put_object(Bucket=backend.bucket, Key=key, Body=data, ContentType=mp3.MIME,
                              CacheControl=CACHE_CONTROL)


def publisher(backend: S3Backend) -> Callable[[Ref, Stream], None]:
    """For a Lambda: put each stream a device will fetch (a shortened class's holds, say) the first time it is
    named, and remember it was put, so a container puts each one once."""
    put: set[str] = set()
    lock = threading.Lock()

    def publish(ref: Ref, stream: Stream) -> None:
        with lock:
            if ref.name in put:
                return
            put.add(ref.name)
        try:
            backend.client.head_object(Bucket=backend.bucket,
                                       Key="/".join(p for p in (backend.prefix, "audio", ref.name) if p))
        except backend.client.exceptions.ClientError:
            put_stream(backend, ref, stream.data)

    return publish


def upload(host: AudioHost, progress: Callable[[int, int], None] | None = None) -> int:
    """Put every class's streams into the S3 bucket of the host's clip cache; how many were put."""
    backend = host.audio.cache.backend
    if not isinstance(backend, S3Backend):
        raise AudioError("uploading needs the clip cache in S3 (s3://BUCKET/PREFIX)")
    wanted = refs(host)
    for done, ref in enumerate(wanted, 1):
        stream = host.stream(ref.name)
        if stream is None:  # pragma: no cover - every ref above names a real stream
            raise AudioError(f"could not assemble {ref.name}")
        put_stream(backend, ref, stream.data)
        if progress:
            progress(done, len(wanted))
    return len(wanted)

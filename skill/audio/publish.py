"""Everything the skill on Lambda plays, put in S3 ahead of time: each class's step streams as written, and its
closing, at the same names the web host serves (GENTLE_YOGA_PUBLIC_URL then points at the bucket or its CDN).

The clips themselves land in the same bucket as the clip cache, so a shortened class (other holds) is assembled
from them by the Lambda when it is first asked for.
"""
from __future__ import annotations

from collections.abc import Callable

from skill.audio import mp3
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
        key = "/".join(part for part in (backend.prefix, "audio", ref.name) if part)
        backend.client.put_object(Bucket=backend.bucket, Key=key, Body=stream.data, ContentType=mp3.MIME,
                                  CacheControl=CACHE_CONTROL)
        if progress:
            progress(done, len(wanted))
    return len(wanted)

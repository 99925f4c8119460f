"""The class as real audio: voices, the clip cache, assembly with exact silences, and the streams a host serves."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skill.audio.clips import Backend
    from skill.audio.host import AudioHost
    from skill.config import Settings
    from skill.practice.model import Library

OFF = "off"
NO_VOICE = "no voice (GENTLE_YOGA_VOICE=off): classes are spoken by Alexa, timed by estimate"


def voice_off(setting: str) -> bool:
    """Whether GENTLE_YOGA_VOICE asks for no voice (off, or nothing): then nothing of the audio package loads."""
    return setting.strip().partition(":")[0].lower() in ("", OFF)


def open_backend(location: str) -> Backend:
    """The clip cache's storage: s3://BUCKET/PREFIX, or a folder."""
    from skill.audio.clips import DiskBackend, S3Backend

    if location.startswith("s3://"):
        try:  # only Lambda hosts keep clips in S3
            import boto3
        except ImportError:
            from skill.errors import ConfigError

            raise ConfigError(f"the audio cache {location} is in S3, which needs the boto3 package: install "
                              "gentle-yoga[aws]") from None

        bucket, _, prefix = location[len("s3://"):].partition("/")
        return S3Backend(bucket, prefix, boto3.client("s3"))
    return DiskBackend(Path(location) / "clips")


def open_audio(settings: Settings, library: Library) -> tuple[AudioHost | None, str]:
    """The audio host GENTLE_YOGA_VOICE asks for (not yet prepared), or None; and a sentence saying which."""
    if voice_off(settings.voice):
        return None, NO_VOICE
    from skill.audio.assemble import Audio
    from skill.audio.clips import ClipCache
    from skill.audio.host import AudioHost
    from skill.audio.voices import from_setting

    voice, description = from_setting(settings.voice)
    if voice is None:
        return None, description
    audio = Audio(voice, ClipCache(open_backend(settings.audio_cache_location)), chimes=settings.chimes)
    host = AudioHost(audio, library, settings.pace, settings.public_url)
    return host, f"{description} in {audio.cache.backend.describe()}"

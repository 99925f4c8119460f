"""A class as audio: speech from the clip cache, exact silences, the chime; and the times the engine plans with.

`Audio` is the one object the edges hold. `prepare()` renders every clip the classes can say (once, ever: the
cache keeps them) and returns the measured times the pure engine takes as data. `assemble()` turns the engine's
speech parts into one MP3 stream: clips as they are, silences as runs of silent frames. Silences are placed by
where the stream should be, not by their own rounded length, so however many there are the stream never drifts
more than half a frame (12 ms) from the engine's timeline.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TypeVar

from skill.audio import chime, mp3
from skill.audio.clips import ClipCache, clip_key
from skill.audio.voices import Voice
from skill.errors import AudioError
from skill.practice import cues
from skill.practice.model import Library, Practice
from skill.practice.speech import Measured, Pace, Say, Silence, Sound, Speech

BATCH = 25  # texts rendered by one call to the voice: one engine start-up for many clips
WORKERS = max(os.cpu_count() or 1, 2)  # voices rendering at once
CHIME_KEY = f"sound:{chime.VERSION}"
CHIME_CLIP = clip_key(CHIME_KEY, "chime")  # the chime's place in the clip cache, for whoever serves it
MEASURED = b"GYTIMES1\n"  # the magic that opens a kept table of measured times
Progress = Callable[[int, int], None]  # (clips done, clips in all)
T = TypeVar("T")


Stream = mp3.Clip  # an assembled stream is whole frames of the one format, like any clip


def class_texts(practice: Practice, pace: Pace) -> list[str]:
    """Every sentence a class can say in its steps at any hold (cues, names, options, breath calls, reminders,
    lead-ins and switches of sides), and its closing, in the order they come."""
    plain = replace(pace, measured=None)
    texts: dict[str, None] = {}
    for step in practice.steps:
        for hold in sorted({step.hold, step.floor}):
            for announce in (True, False):
                for part in cues.step_speech(step, hold, announce, plain):
                    if isinstance(part, Say):
                        texts[part.text] = None
    texts[practice.closing] = None
    return list(texts)


class Audio:
    """One voice's audio for the classes: clips from the cache, streams assembled on demand."""

    def __init__(self, voice: Voice, cache: ClipCache, chimes: bool = True) -> None:
        self.voice, self.cache, self.chimes = voice, cache, chimes
        self._render = threading.Lock()  # one batch render at a time in this process

    @property
    def key(self) -> str:
        return f"{self.voice.key}|chimes={'on' if self.chimes else 'off'}"

    def clips(self, texts: Iterable[str], progress: Progress | None = None) -> dict[str, mp3.Clip]:
        """Each text's clip, rendering the missing ones in batches."""
        wanted = list(dict.fromkeys(t for t in texts if t.strip()))
        found = {t: c for t in wanted if (c := self.cache.peek(self.voice.key, t)) is not None}
        missing = [t for t in wanted if t not in found]
        if progress:
            progress(len(found), len(wanted))
        with self._render:
            still = []
            for text in missing:  # another thread may have rendered it while this one waited
                clip = self.cache.peek(self.voice.key, text)
                if clip is None:
                    still.append(text)
                else:
                    found[text] = clip
            batches = [still[k:k + BATCH] for k in range(0, len(still), BATCH)]
            with ThreadPoolExecutor(max_workers=min(WORKERS, len(batches) or 1)) as pool:  # engines are processes
                for batch, rendered in zip(batches, pool.map(self.voice.render, batches), strict=True):
                    for text, (pcm, rate) in zip(batch, rendered, strict=True):
                        found[text] = self.cache.put(self.voice.key, text, mp3.encode(pcm, rate))
                    if progress:
                        progress(len(found), len(wanted))
        return found

    def clip(self, text: str) -> mp3.Clip:
        return self.clips([text])[text]

    def chime(self) -> mp3.Clip:
        return self.cache.get(CHIME_KEY, "chime", lambda: mp3.encode(chime.bowl(), mp3.RATE))

    def prepare(self, library: Library, pace: Pace, progress: Progress | None = None, render: bool = True) -> Measured:
        """Render whatever the classes can say that is not cached yet, and measure it all.

        With render False (a Lambda, which must answer in seconds) the measurements must already be kept: an
        AudioError says to run `render --upload` first.

        The measurements are kept beside the clips, keyed by the voice and every text, so a host whose cache is
        warm (a Lambda reading S3, say) learns them in one read rather than one per clip.
        """
        texts = list(dict.fromkeys(t for practice in library for t in class_texts(practice, pace)))
        key = clip_key(self.voice.key, "\n".join(["measured"] + texts))
        seconds = self._measured(key, len(texts))
        if seconds is None and not render:
            raise AudioError("the classes' audio has not been rendered into the cache; run "
                             "python -m skill render --upload s3://BUCKET/PREFIX first")
        if seconds is None:
            with self.cache.backend.exclusive():  # another process may be rendering these very clips
                seconds = self._measured(key, len(texts)) or {
                    t: c.seconds for t, c in self.clips(texts, progress).items()}
                self.cache.backend.write(key, MEASURED + json.dumps(seconds).encode())
                if self.chimes:
                    self.chime()
        elif progress:
            progress(len(texts), len(texts))
        if self.chimes:
            seconds[f"sound:{Sound().name}"] = self.chime().seconds
        return Measured(f"{self.key}|{len(seconds)}", seconds)

    def _measured(self, key: str, count: int) -> dict[str, float] | None:
        entry = self.cache.backend.read(key)
        if entry is None or not entry.startswith(MEASURED):
            return None
        try:
            seconds = json.loads(entry[len(MEASURED):])
        except ValueError:
            return None
        return seconds if isinstance(seconds, dict) and len(seconds) == count else None

    def extend(self, measured: Measured, texts: Iterable[str]) -> Measured:
        """measured, plus the times of texts it lacks (said once, like "It takes about 20 minutes"), rendered
        now; the same object when it has them all."""
        missing = [t for t in dict.fromkeys(texts) if t not in measured.seconds]
        if not missing:
            return measured
        seconds = {**measured.seconds, **{t: c.seconds for t, c in self.clips(missing).items()}}
        digest = hashlib.sha256("\n".join(missing).encode()).hexdigest()[:12]
        return Measured(f"{measured.key}+{digest}", seconds)

    def retimed(self, run: Callable[[Pace], T], pace: Pace, said: Callable[[T], Iterable[str]],
                rounds: int = 2) -> tuple[T, Pace]:
        """run's result at pace, and the pace that timed it: words it says that were never measured ("It takes
        about 20 minutes", the time left) are rendered now and it runs again, timed by their real length; twice,
        since those words' own time can change what they say."""
        result = run(pace)
        for _ in range(rounds):
            assert pace.measured is not None, "retiming needs measured times"
            measured = self.extend(pace.measured, said(result))
            if measured is pace.measured:
                break
            pace = replace(pace, measured=measured)
            result = run(pace)
        return result, pace

    def pace(self, base: Pace, measured: Measured) -> Pace:
        """base, timed by this audio: chimes as set here, speech as measured."""
        return replace(base, chimes=self.chimes, measured=measured)

    def assemble(self, parts: Speech) -> Stream:
        """The parts as one stream, each silence ending where the engine's timeline says it ends."""
        clips = self.clips(p.text for p in parts if isinstance(p, Say))
        chunks: list[bytes] = []
        planned = 0.0  # where the engine's timeline has reached
        frames = 0  # where the stream has reached
        for part in parts:
            if isinstance(part, Silence):
                planned += part.seconds
                count = mp3.frames_for(planned - frames * mp3.FRAME_SECONDS)
                chunks.append(mp3.silence(count))
                frames += count
                continue
            clip = self.chime() if isinstance(part, Sound) else clips[part.text]
            chunks.append(clip.data)
            frames += clip.frames
            planned += clip.seconds
        return Stream(b"".join(chunks), frames)

    def silence(self, seconds: float) -> Stream:
        count = mp3.frames_for(seconds)
        return Stream(mp3.silence(count), count)


def concatenate(streams: Sequence[Stream]) -> Stream:
    return Stream(b"".join(s.data for s in streams), sum(s.frames for s in streams))

"""Audio for one running skill: prepared once in the background, then streams by stable, self-describing names.

A stream's name says everything needed to assemble it again, on any process or host sharing the clip cache:

    <class id>/<tag>/<step>-<hold>-<n|q>.mp3   one step at that hold, its pose named (n) or not (q)
    <class id>/<tag>/closing.mp3               the class's closing words
    <class id>/<tag>/setup-<seconds>.mp3       quiet time to set up, before the first step

The tag is a hash of the voice, the chime setting and the class's own content, so a class that is edited, or a
new voice, gets new names (and long cache lifetimes stay safe). Names carry nothing about a person, and anything
that does not parse, names an unknown class, a stale tag, a step that does not exist or a hold out of reason is
simply not found.
"""
from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from skill.audio.assemble import Audio, Stream
from skill.practice import cues
from skill.practice import playback as pb
from skill.practice.model import Library, Practice
from skill.practice.plan import Plan, announces
from skill.practice.speech import Measured, Pace, spoken

log = logging.getLogger("gentle_yoga.audio")

MAX_HOLD_SCALE = 3  # the longest hold a stream may have, as a multiple of the step's own (plus a minute)
MAX_SETUP = 120  # seconds of quiet to set up
STREAMS_KEPT = 64  # assembled streams kept in memory, most recent first
_NAME = re.compile(r"^(?P<cls>[a-z0-9_]{1,64})/(?P<tag>[0-9a-f]{16})/"
                   r"(?:(?P<step>\d{1,4})-(?P<hold>\d{1,5})-(?P<named>[nq])|(?P<closing>closing)|"
                   r"setup-(?P<setup>\d{1,3}))\.mp3$")


@dataclass(frozen=True)
class Ref:
    """What a stream name stands for."""

    practice: str
    tag: str
    step: int | None = None
    hold: int = 0
    named: bool = False
    closing: bool = False
    setup: int | None = None

    @property
    def name(self) -> str:
        if self.closing:
            what = "closing"
        elif self.setup is not None:
            what = f"setup-{self.setup}"
        else:
            what = f"{self.step}-{self.hold}-{'n' if self.named else 'q'}"
        return f"{self.practice}/{self.tag}/{what}.mp3"


def parse(name: str) -> Ref | None:
    match = _NAME.match(name)
    if match is None:
        return None
    parts = match.groupdict()
    if parts["closing"]:
        return Ref(parts["cls"], parts["tag"], closing=True)
    if parts["setup"] is not None:
        return Ref(parts["cls"], parts["tag"], setup=int(parts["setup"]))
    return Ref(parts["cls"], parts["tag"], step=int(parts["step"]), hold=int(parts["hold"]),
               named=parts["named"] == "n")


class AudioHost:
    """The prepared audio of a library, and the streams it can play."""

    def __init__(self, audio: Audio, library: Library, base: Pace, public_url: str = "",
                 publish: Callable[[Ref, Stream], None] | None = None) -> None:
        self.audio, self.library, self.base = audio, library, base
        self.publish = publish  # on Lambda: puts a stream where public_url serves it, before a device asks
        self.public_url = public_url.rstrip("/")
        self.measured: Measured | None = None
        self.failed: str | None = None
        self._ready = threading.Event()
        self._streams: OrderedDict[str, Stream] = OrderedDict()
        self._lock = threading.Lock()
        self._tags = {p.id: self._tag(p) for p in library}

    # --- preparing ------------------------------------------------------------------------------------------
    def prepare(self, render: bool = True) -> None:
        """Render and measure everything the classes say (quick once the cache is warm; with render False, only
        read what is kept)."""
        try:
            self.measured = self.audio.prepare(self.library, self.base, self._log_progress, render=render)
        except Exception as exc:  # a voice that fails leaves the skill working as it would with none
            self.failed = str(exc)
            log.error("audio could not be prepared, so classes are spoken by Alexa: %s", exc)
        finally:
            self._ready.set()

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.prepare, name="gentle-yoga-audio", daemon=True)
        thread.start()
        return thread

    def wait(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self.measured is not None

    def _log_progress(self, done: int, total: int) -> None:
        if done < total:
            log.info("rendering the classes' audio: %d of %d clips", done, total)

    @property
    def pace(self) -> Pace | None:
        """The base pace timed by the rendered audio; None until it is ready."""
        return self.audio.pace(self.base, self.measured) if self.measured is not None else None

    # --- names ------------------------------------------------------------------------------------------------
    def _tag(self, practice: Practice) -> str:
        content = repr((self.audio.key, practice.steps, practice.closing))
        return hashlib.sha256(content.encode()).hexdigest()[:16]

    def step_ref(self, practice: Practice, plan: Plan, index: int) -> Ref:
        return Ref(practice.id, self._tags[practice.id], step=index, hold=plan.holds[index],
                   named=announces(practice, plan, index))

    def ref_of(self, stream: pb.Stream) -> Ref | None:
        """The name of a stream the engine asks a device to play; None for a class this library lacks."""
        practice = self.library.get(stream.practice)
        if practice is None:
            return None
        tag = self._tags[practice.id]
        if stream.kind == pb.SETUP:
            return Ref(practice.id, tag, setup=round(stream.seconds))
        if stream.kind == pb.CLOSING:
            return Ref(practice.id, tag, closing=True)
        return Ref(practice.id, tag, step=stream.step, hold=stream.hold, named=stream.named)

    def closing_ref(self, practice: Practice) -> Ref:
        return Ref(practice.id, self._tags[practice.id], closing=True)

    def url(self, ref: Ref) -> str:
        """Where a device fetches the stream; on Lambda it is put there first, if it is not there yet."""
        if self.publish is not None:
            stream = self.stream(ref.name)
            if stream is not None:
                self.publish(ref, stream)
        return f"{self.public_url}/audio/{ref.name}"

    # --- streams ----------------------------------------------------------------------------------------------
    def stream(self, name: str) -> Stream | None:
        """The stream a name stands for, or None when it names nothing real."""
        ref = parse(name)
        practice = self.library.get(ref.practice) if ref else None
        if ref is None or practice is None or ref.tag != self._tags[practice.id] or self.pace is None:
            return None
        with self._lock:
            found = self._streams.get(ref.name)
            if found is not None:
                self._streams.move_to_end(ref.name)
                return found
        found = self._assemble(practice, ref, self.pace)
        if found is not None:
            with self._lock:
                self._streams[ref.name] = found
                while len(self._streams) > STREAMS_KEPT:
                    self._streams.popitem(last=False)
        return found

    def _assemble(self, practice: Practice, ref: Ref, pace: Pace) -> Stream | None:
        if ref.closing:
            return self.audio.assemble(spoken(practice.closing))
        if ref.setup is not None:
            return self.audio.silence(ref.setup) if 1 <= ref.setup <= MAX_SETUP else None
        if ref.step is None or not 0 <= ref.step < len(practice.steps):
            return None
        step = practice.steps[ref.step]
        if ref.hold > step.hold * MAX_HOLD_SCALE + 60:
            return None
        return self.audio.assemble(cues.step_speech(step, ref.hold, ref.named, pace))


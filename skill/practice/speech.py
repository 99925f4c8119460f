"""Speech as plain parts (words and silences), and how long it takes to say."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from skill.practice.model import field_values

_WORD = re.compile(r"[\w']+")
BEAT = 0.5  # seconds of silence between spoken parts


class Line(str):
    """Words to say, some of whose sentences only a voice device needs ("Say continue when you're ready."): a
    screen has buttons for those, so it shows `shown`, the rest. Made by prompts.py with voice_only() and
    sentences(); equal to, and said as, its whole text."""

    shown: str

    def __new__(cls, text: str, shown: str) -> Line:
        line = super().__new__(cls, text)
        line.shown = shown
        return line


def voice_only(text: str) -> Line:
    """A sentence (or several) only a voice device needs: it tells the person what to say."""
    return Line(text, "")


def sentences(*texts: str) -> Line:
    """Sentences said one after another, each with a space before the next; a screen shows those not voice-only."""
    return Line(" ".join(texts), " ".join(shown for shown in map(on_screen, texts) if shown))


def on_screen(text: str) -> str:
    """What a screen shows of text: all of it, but for any sentences tagged voice-only."""
    return text.shown if isinstance(text, Line) else text


@dataclass(frozen=True)
class Say:
    """Words to speak, as plain text (escaped only when rendered)."""

    text: str


@dataclass(frozen=True)
class Silence:
    """Quiet time; a hold is the timed stillness of a pose, anything else is a beat."""

    seconds: float
    hold: bool = False


@dataclass(frozen=True)
class Sound:
    """A sound that is not speech: the chime that opens the class, marks a switch of sides or a rest."""

    name: str = "chime"


Part = Say | Silence | Sound
Speech = tuple[Part, ...]
SOUND_SECONDS = 2.5  # a chime's playing time when nothing measured it


@dataclass(frozen=True)
class Measured:
    """Playing times measured from one voice's rendered audio: seconds for each text it has said and each sound.

    It is compared and hashed by key alone (the voice and the audio it was measured from), so a Pace carrying it
    keys the class's timings (timing.py) like any other Pace.
    """

    key: str
    seconds: Mapping[str, float] = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True, eq=False)
class Pace:
    """The tunable numbers of delivery, passed in from configuration."""

    wpm: int = 140  # calm speaking rate, words a minute
    flow_seconds: int = 240  # flow mode: most seconds of class in one response
    flow_chars: int = 6000  # flow mode: most SSML characters for the steps of one response
    mode: str = "flow"  # "flow" (hands-free) or "step" (one step per response)
    shorter_ratio: float = 0.75  # "make it shorter" keeps this share of the time left
    # The device carries the class on by itself when a part has played (an Echo Show's timer sends the event),
    # so a part ends without "say continue" and the session is left open without listening.
    auto_advance: bool = False
    chimes: bool = True  # a soft chime opens the class, marks each switch of sides and frames the final rest
    # Rendered audio's own times (None: speech is estimated from words at wpm). Only audio made by that voice
    # (the AudioPlayer, the browser's rendered voice, an MP3) is timed by it; Alexa's own voice is estimated.
    measured: Measured | None = None
    # The device plays the class on its audio player, one rendered stream a step (playback.py), rather than
    # hearing it as SSML: Play directives instead of segments, and no "say continue".
    audio_player: bool = False
    rate: float = 1.0  # the person's own speaking pace, a multiple of wpm ("slow down": 0.9); SSML prosody says it
    # Its values as one tuple, made once: a Pace keys the timing caches (timing.py), and the one a request brings
    # is a new object equal to the one before, so it is hashed and compared by value on every look-up.
    _values: tuple[object, ...] = field(init=False, repr=False)
    _hash: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_values", field_values(self))
        object.__setattr__(self, "_hash", hash(self._values))

    def __eq__(self, other: object) -> bool:
        return self._values == other._values if isinstance(other, Pace) else NotImplemented

    def __hash__(self) -> int:
        return self._hash


RATES = (0.8, 0.9, 1.0, 1.1, 1.25)  # the paces "slow down" and "speed up" step through
FASTEST_WPM = 190  # the fastest real speaking rate planned for: a part has surely played once this has passed


DEFAULT_PACE = Pace()


@lru_cache(maxsize=8192)
def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def part_seconds(part: Part, pace: Pace) -> float:
    """A part's playing time: measured when the pace carries rendered audio's times, else estimated."""
    if isinstance(part, Silence):
        return part.seconds
    measured = pace.measured.seconds if pace.measured is not None else None
    if isinstance(part, Sound):
        found = measured.get(f"sound:{part.name}") if measured is not None else None
        return SOUND_SECONDS if found is None else found
    found = measured.get(part.text) if measured is not None else None
    return word_count(part.text) * 60.0 / (pace.wpm * pace.rate) if found is None else found


def durations(parts: Speech, pace: Pace) -> list[float]:
    """Each part's playing time: its words at the speaking rate (or as measured), its silence, or its sound."""
    if pace.measured is not None:
        return [part_seconds(part, pace) for part in parts]
    rate = pace.wpm * pace.rate  # nothing measured: part_seconds' estimate, worked out here as it works it out
    return [part.seconds if isinstance(part, Silence) else SOUND_SECONDS if isinstance(part, Sound) else
            word_count(part.text) * 60.0 / rate for part in parts]


def earliest_end(parts: Speech, pace: Pace) -> float:
    """When speech has surely finished playing, whatever the real voice's rate (up to FASTEST_WPM, or a quarter
    faster than the estimate): the silences exactly, the words at that rate, and a sound library chime (whose
    length only Alexa knows) as nothing at all; what was measured, as measured."""
    fastest = max(FASTEST_WPM, pace.wpm * 1.25) * pace.rate
    if pace.measured is None:
        return sum([part.seconds if isinstance(part, Silence) else 0.0 if isinstance(part, Sound) else
                    word_count(part.text) * 60.0 / fastest for part in parts])
    measured = pace.measured.seconds
    return sum(part.seconds if isinstance(part, Silence) else
               measured.get(part.text if isinstance(part, Say) else f"sound:{part.name}",
                            0.0 if isinstance(part, Sound) else word_count(part.text) * 60.0 / fastest)
               for part in parts)


def seconds(parts: Speech, pace: Pace) -> float:
    """Estimated playing time: words at the speaking rate plus the exact silences."""
    return sum(durations(parts, pace))


def spoken(*texts: str | None) -> Speech:
    """Texts as parts, with a beat between them; empty texts are left out."""
    parts: list[Part] = []
    for text in texts:
        if text and text.strip():
            if parts:
                parts.append(Silence(BEAT))
            parts.append(Say(_trimmed(text)))
    return tuple(parts)


def _trimmed(text: str) -> str:
    """text without spaces around it, still tagged if it was (a str's strip() gives back a plain str)."""
    trimmed = text.strip()
    if isinstance(text, Line):
        return text if len(trimmed) == len(text) else Line(trimmed, text.shown.strip())
    return trimmed


def join(*speeches: Speech) -> Speech:
    """Speeches one after another, with a beat where words would otherwise touch."""
    parts: list[Part] = []
    for speech in speeches:
        if not speech:
            continue
        if parts and isinstance(parts[-1], Say) and isinstance(speech[0], Say):
            parts.append(Silence(BEAT))
        parts.extend(speech)
    return tuple(parts)

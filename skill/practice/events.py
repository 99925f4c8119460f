"""What a person can ask for, as small frozen values; every edge turns its input into one of these."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Launch:
    """The skill was opened with no request ("open Gentle Yoga")."""


@dataclass(frozen=True)
class Start:
    """Start a class by id, by length, by focus, or begin the one already chosen."""

    practice: str | None = None
    minutes: int | None = None
    focus: str | None = None
    heard: str | None = None  # what the person said, when it named no known class


@dataclass(frozen=True)
class Next:
    pass


@dataclass(frozen=True)
class Previous:
    pass


@dataclass(frozen=True)
class Repeat:
    pass


@dataclass(frozen=True)
class Pause:
    pass


@dataclass(frozen=True)
class Resume:
    """Resume after a pause, or continue to the next part of the class.

    after is set when a screen's timer sends it, not a person: the token of the part it was shown for, which has
    now played. A token that no longer matches (the person paused, moved or started over since) changes nothing.
    """

    after: str | None = None


@dataclass(frozen=True)
class Shorter:
    """Trim the rest of the class, to a total length in minutes when one is given."""

    minutes: int | None = None


@dataclass(frozen=True)
class StartOver:
    pass


@dataclass(frozen=True)
class TimeLeft:
    pass


@dataclass(frozen=True)
class WhatPose:
    pass


@dataclass(frozen=True)
class WhatProps:
    pass


@dataclass(frozen=True)
class ListClasses:
    pass


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Yes:
    pass


@dataclass(frozen=True)
class No:
    pass


@dataclass(frozen=True)
class Stop:
    pass


@dataclass(frozen=True)
class SessionEnded:
    """The device closed the session (silence, an error, or the person walked away)."""


@dataclass(frozen=True)
class Unknown:
    """Something the edge could not map to anything else."""

    heard: str | None = None


@dataclass(frozen=True)
class Loop:
    """Loop or shuffle asked of the audio player: a class has one order."""


@dataclass(frozen=True)
class Played:
    """The device's audio player reports on a stream: started, nearly finished, finished, stopped or failed."""

    what: str  # "started", "nearly_finished", "finished", "stopped" or "failed"
    token: str | None = None
    offset_ms: int = 0


Event = (
    Launch | Start | Next | Previous | Repeat | Pause | Resume | Shorter | StartOver | TimeLeft | WhatPose
    | WhatProps | ListClasses | Help | Yes | No | Stop | SessionEnded | Unknown | Loop | Played
)
ALL_EVENTS: tuple[type, ...] = Event.__args__

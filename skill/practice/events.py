"""What a person can ask for, as small frozen values; every edge turns its input into one of these."""
from __future__ import annotations

from dataclasses import dataclass

# The lengths anyone may ask for, in minutes ("start a twenty minute practice", "make it an hour"), at every edge
# (Alexa, the browser player, the command line) and in the engine. Up to ten hours: Alexa's AMAZON.DURATION reads
# far past any class (a class may be written up to 180 minutes), and a length longer than the class is answered
# kindly ("it is already shorter than that"); only a length past all reason is taken as not said.
MIN_MINUTES, MAX_MINUTES = 1, 600


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
class WhatsNext:
    """Name the next pose (and side) without moving."""


@dataclass(frozen=True)
class PosesLeft:
    pass


@dataclass(frozen=True)
class SwitchSides:
    """Go to the other side of the block the person is in."""


@dataclass(frozen=True)
class Slower:
    """Speak more slowly, for the rest of the class and next time."""


@dataclass(frozen=True)
class Faster:
    pass


@dataclass(frozen=True)
class NormalPace:
    """Back to the usual speaking rate and holds."""


@dataclass(frozen=True)
class Longer:
    """Hold the poses longer, for the rest of the class and next time."""


@dataclass(frozen=True)
class Hurts:
    """Something hurts: stop the pose, and offer its easier option or to skip it."""

    body: str | None = None  # a body tag, when a part was named: knees, wrists, back …


@dataclass(frozen=True)
class Easier:
    """The easier option of the pose the person is in."""


@dataclass(frozen=True)
class GoEasy:
    """Spare a part of the body for the rest of the class: swap or drop the poses tagged with it."""

    body: str | None = None


@dataclass(frozen=True)
class PracticeCount:
    """How many classes were finished this week."""


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
    | WhatProps | ListClasses | Help | Yes | No | Stop | SessionEnded | Unknown | WhatsNext | PosesLeft | SwitchSides
    | Slower | Faster | NormalPace | Longer | Hurts | Easier | GoEasy | PracticeCount | Loop | Played
)
ALL_EVENTS: tuple[type, ...] = Event.__args__

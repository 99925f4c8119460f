"""The class on a device's audio player: one stream a step, queued as each nearly finishes. Pure, like the engine.

The device reports where it is with every request (the token of the stream playing and the offset in it), so
the engine never guesses: `sync` puts that report into the state before an event is handled, and pause, time
left and "what pose is this" act on the exact place.

A token names the class, the plan's version, the playback it belongs to (the time it began) and the stream:

    gy1:<class>:<plan>:<playback>:<step number, setup or closing>

and carries nothing about a person. A token that does not match the person's state (stale: from before a
pause, a move, a shorter plan, or start over; or forged) is answered by doing nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from skill.practice.model import Practice
from skill.practice.plan import Plan, next_active
from skill.practice.speech import Pace, seconds, spoken
from skill.practice.state import Phase, State
from skill.practice.timing import timing

PREFIX = "gy1"
SETUP = "setup"
CLOSING = "closing"
SETUP_SECONDS = 15  # quiet after the welcome, to set up, before the first chime
RESUME_EXACT = 300  # a break up to this long resumes to the second; after a longer one the pose starts again
LISTENING = 60  # seconds after the device reports a stop within which what the person says is what stopped it
REPLACE_ALL, ENQUEUE = "REPLACE_ALL", "ENQUEUE"
# Player activities whose token and offset say where the person is: playing, or paused (a device pauses its audio
# while it listens), stopped part-way, or waiting for data. IDLE and FINISHED say nothing about a place.
REPORTING = ("PLAYING", "PAUSED", "STOPPED", "BUFFER_UNDERRUN")


@dataclass(frozen=True)
class Stream:
    """One stream the device can play: a step at a hold (its pose named or not), the setup quiet, or the closing."""

    practice: str
    kind: str  # "step", SETUP or CLOSING
    step: int = 0
    hold: int = 0
    named: bool = False
    seconds: float = 0.0
    title: str = ""  # for a screen: the pose, or what is playing
    subtitle: str = ""  # the class, and where in it


@dataclass(frozen=True)
class Play:
    """Play a stream: now (REPLACE_ALL, from offset_ms), or after the one playing (ENQUEUE after previous)."""

    behavior: str
    token: str
    stream: Stream
    offset_ms: int = 0
    previous: str | None = None


@dataclass(frozen=True)
class Device:
    """What the device said of its player with the request: the token it has, how far in, and whether it plays."""

    token: str | None
    offset_ms: int = 0
    activity: str = "IDLE"


def plan_version(plan: Plan) -> str:
    """A short digest of the plan in force: a shorter plan is a new version, and old tokens go stale."""
    return hashlib.sha256(repr((plan.holds, sorted(plan.skipped))).encode()).hexdigest()[:8]


def token(practice: Practice, plan: Plan, playback: float, where: int | str) -> str:
    return f"{PREFIX}:{practice.id}:{plan_version(plan)}:{playback:.3f}:{where}"


@dataclass(frozen=True)
class Where:
    """What a token that fits the person's state names: a step, the setup or the closing."""

    kind: str
    step: int = 0


def locate(state: State, practice: Practice, plan: Plan, found: str | None) -> Where | None:
    """The stream a token names, when it belongs to this state's playback; None for stale or forged tokens."""
    if not found or state.playback is None:
        return None
    expected = token(practice, plan, state.playback, "")
    if not found.startswith(expected):
        return None
    where = found[len(expected):]
    if where in (SETUP, CLOSING):
        return Where(where)
    if where.isdigit() and int(where) < len(practice.steps) and int(where) not in plan.skipped:
        return Where("step", int(where))
    return None


def stream(practice: Practice, plan: Plan, where: Where, pace: Pace) -> Stream:
    if where.kind == SETUP:
        return Stream(practice.id, SETUP, seconds=SETUP_SECONDS, title=practice.title, subtitle="Setting up")
    if where.kind == CLOSING:
        return Stream(practice.id, CLOSING, seconds=seconds(spoken(practice.closing), pace), title=practice.title,
                      subtitle="Closing")
    step, known = practice.steps[where.step], timing(practice, plan, pace)
    side = f", {step.side} side" if step.side else ""
    return Stream(practice.id, "step", where.step, plan.holds[where.step], known.named[where.step],
                  known.seconds(where.step), title=f"{step.pose.name}{side}", subtitle=practice.title)


def after(practice: Practice, plan: Plan, where: Where) -> Where | None:
    """The stream that follows: setup, then each step still in the plan, then the closing, then nothing."""
    if where.kind == CLOSING:
        return None
    following = next_active(practice, plan, -1 if where.kind == SETUP else where.step)
    return Where("step", following) if following is not None else Where(CLOSING)


def playing_step(state: State, practice: Practice, plan: Plan, where: Where, offset: float, now: float,
                 pace: Pace) -> State:
    """The state while step `where` plays, offset seconds in: its timeline placed so the engine finds it live."""
    length = timing(practice, plan, pace).seconds(where.step)
    return replace(state, phase=Phase.PRACTISING, position=where.step, segment=(where.step,), marks=(0.0, length),
                   sent_at=now - offset, paused_at=None, offset=0.0)


def sync(state: State, device: Device | None, now: float, practice: Practice | None, plan: Plan | None,
         pace: Pace) -> State:
    """The state with the device's report put in: while the class plays, the step and time are the device's own.
    A report of another playback, of a class no longer playing, or of no place at all, changes nothing."""
    if device is None or practice is None or plan is None or device.activity not in REPORTING:
        return state
    where = locate(state, practice, plan, device.token)
    if where is None or where.kind != "step" or state.phase is not Phase.PRACTISING:
        return state
    return playing_step(state, practice, plan, where, device.offset_ms / 1000, now, pace)


def listening(state: State, now: float, practice: Practice | None, plan: Plan | None, pace: Pace) -> State:
    """The class as still playing when the device's own stop moments ago was it pausing to hear the person: Alexa
    stops the stream for any voice request, so what is said acts on the step playing, from where it stopped."""
    if state.phase is not Phase.PAUSED or state.left_by != "device" or state.paused_at is None \
            or not 0 <= now - state.paused_at <= LISTENING or practice is None or plan is None \
            or state.position >= len(practice.steps) or state.position in plan.skipped:
        return state
    playing = playing_step(state, practice, plan, Where("step", state.position), state.offset, now, pace)
    return replace(playing, left_by="")


def resume_offset(state: State, start: int, now: float) -> float:
    """Where a paused step picks up: to the second after a short break, from its cue after a long one."""
    if state.phase is not Phase.PAUSED or start != state.position or state.paused_at is None:
        return 0.0
    return state.offset if now - state.paused_at <= RESUME_EXACT else 0.0


def playing_left(practice: Practice, plan: Plan, index: int, elapsed: float, pace: Pace) -> float:
    """Seconds of audio left from `elapsed` into step index's stream: the rest of it, each step after it, and the
    closing stream (which holds the teacher's closing words alone)."""
    known = timing(practice, plan, pace)
    return known.left_from(index) - known.closing + seconds(spoken(practice.closing), pace) - elapsed

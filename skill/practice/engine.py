"""The practice engine: (state, event, now) -> outcome. Pure: no I/O, no clock, no framework.

Every event has an answer in every phase. While a segment is playing, the step the person is in comes from
the timeline and the seconds since the segment was sent, so pause, repeat and the questions act on the pose
that was actually playing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from skill.practice import answers, asks, body, moves, played, prompts
from skill.practice import events as ev
from skill.practice.context import Context, Outcome
from skill.practice.model import Library
from skill.practice.plan import Plan
from skill.practice.playback import Device, listening, sync
from skill.practice.speech import DEFAULT_PACE, Pace, join, spoken
from skill.practice.state import Phase, State, fit

__all__ = ["HANDLERS", "Outcome", "fit", "handle", "pace_for"]


Handler = Callable[[Context, ev.Event], Outcome]
E = TypeVar("E", bound=ev.Event)


def _on(kind: type[E], handler: Callable[[Context, E], Outcome]) -> tuple[type, Handler]:
    """A row of the table: the type checker holds each handler to the event it is listed for."""

    def run(ctx: Context, event: ev.Event) -> Outcome:
        assert isinstance(event, kind), f"{type(event).__name__} reached the handler of {kind.__name__}"
        return handler(ctx, event)

    return kind, run


HANDLERS: dict[type, Handler] = dict([
    _on(ev.Launch, moves.on_launch), _on(ev.Start, moves.on_start), _on(ev.Next, moves.on_next),
    _on(ev.Previous, moves.on_previous), _on(ev.Repeat, moves.on_repeat), _on(ev.Pause, moves.on_pause),
    _on(ev.Resume, moves.on_resume), _on(ev.StartOver, moves.on_start_over), _on(ev.Stop, moves.on_stop),
    _on(ev.SessionEnded, moves.on_session_ended), _on(ev.Shorter, answers.on_shorter),
    _on(ev.TimeLeft, answers.on_time_left), _on(ev.WhatPose, answers.on_what_pose),
    _on(ev.WhatProps, answers.on_what_props), _on(ev.ListClasses, moves.on_list), _on(ev.Help, answers.on_help),
    _on(ev.Yes, answers.on_yes), _on(ev.No, answers.on_no), _on(ev.Unknown, answers.on_unknown),
    _on(ev.WhatsNext, asks.on_whats_next), _on(ev.PosesLeft, asks.on_poses_left),
    _on(ev.SwitchSides, asks.on_switch_sides), _on(ev.PracticeCount, asks.on_practice_count),
    _on(ev.Slower, asks.on_pace), _on(ev.Faster, asks.on_pace), _on(ev.NormalPace, asks.on_pace),
    _on(ev.Longer, asks.on_longer), _on(ev.Hurts, body.on_hurts), _on(ev.Easier, body.on_easier),
    _on(ev.GoEasy, body.on_go_easy), _on(ev.Played, played.on_played), _on(ev.Loop, played.on_loop),
])


def handle(state: State, event: ev.Event, now: float, library: Library, pace: Pace = DEFAULT_PACE,
           device: Device | None = None) -> Outcome:
    """The one transition: what the skill says and keeps when event arrives at time now (seconds).

    device is what an audio player reported with the request (its stream and offset): put into the state first,
    so the event acts on the exact place. On an audio player, a class that stops playing stops the audio; and
    after the audio failed, the class carries on as speech, with an apology the first time.
    """
    state = fit(state, library)
    pace = pace_for(state, pace)
    from_device = isinstance(event, ev.Played)  # the device's player reporting, not the person speaking
    if state.pending is not None and not isinstance(event, (ev.Yes, ev.No, ev.Played)):
        state = replace(state, pending=None)  # a question about another class is answered only by yes or no
    apology = pace.audio_player and state.audio_failed == 1 and not from_device
    if pace.audio_player and state.audio_failed:
        pace = replace(pace, audio_player=False)
    if pace.audio_player:
        practice = library.get(state.practice)
        plan = (state.plan or Plan.full(practice)) if practice else None
        if not from_device and not isinstance(event, (ev.Launch, ev.SessionEnded)):
            state = listening(state, now, practice, plan, pace)
        state = sync(state, device, now, practice, plan, pace)
    outcome = HANDLERS[type(event)](Context(state, now, library, pace), _sensible(event))
    misses = state.misses if from_device else state.misses + 1 if isinstance(event, ev.Unknown) else 0
    if outcome.state.misses != misses and not isinstance(event, ev.SessionEnded):
        outcome = replace(outcome, state=replace(outcome.state, misses=misses))
    # A report of what the device did itself (it stopped; it began the closing) is never answered with a stop:
    # Alexa takes no answer to PlaybackStopped, and a stop would cut the closing off as it begins.
    told = isinstance(event, ev.Played) and event.what != "failed"
    if pace.audio_player and not told and outcome.play is None and state.phase is Phase.PRACTISING \
            and outcome.state.phase is not Phase.PRACTISING:
        outcome = replace(outcome, stop=True)  # paused or stopped: the device stops too, and forgets its queue
    if apology:
        outcome = replace(outcome, speech=join(spoken(prompts.AUDIO_FAILED), outcome.speech),
                          state=replace(outcome.state, audio_failed=2))
    if outcome.state.phase in (Phase.IDLE, Phase.READY, Phase.FINISHED) and outcome.state.audio_failed:
        outcome = replace(outcome, state=replace(outcome.state, audio_failed=0))  # a new class tries audio again
    return replace(outcome, rate=outcome.state.rate) if outcome.state.rate != outcome.rate else outcome


def pace_for(state: State, pace: Pace) -> Pace:
    """The configured pace at the person's own speaking rate (rendered audio keeps its own measured times)."""
    return pace if state.rate == pace.rate else replace(pace, rate=state.rate)


def _sensible(event: ev.Event) -> ev.Event:
    """The event, without a length in minutes no class could be fitted to (zero, negative, or past all reason)."""
    if isinstance(event, (ev.Start, ev.Shorter)) and event.minutes is not None \
            and not ev.MIN_MINUTES <= event.minutes <= ev.MAX_MINUTES:
        return replace(event, minutes=None)
    return event

"""What the engine does when a device's audio player reports on a stream, and when loop or shuffle is asked.

Each report names its stream by token; one that does not fit the person's state (stale or forged) changes
nothing and queues nothing. Answers to reports carry no words: the device is playing, not listening.
"""
from __future__ import annotations

from dataclasses import replace

from skill.practice import events as ev
from skill.practice import playback as pb
from skill.practice import prompts
from skill.practice.context import Context, Outcome, hold_and_say, play
from skill.practice.state import Phase


def _nothing(ctx: Context) -> Outcome:
    return Outcome(ctx.state, (), end_session=None)


def on_played(ctx: Context, event: ev.Played) -> Outcome:
    if ctx.state.practice is None:
        return _nothing(ctx)
    practice, plan = ctx.practice, ctx.plan
    where = pb.locate(ctx.state, practice, plan, event.token)
    if where is None:
        return _nothing(ctx)
    offset = event.offset_ms / 1000
    if event.what == "started":
        if where.kind == "step":
            return Outcome(pb.playing_step(ctx.state, practice, plan, where, offset, ctx.now, ctx.pace), (),
                           end_session=None)
        if where.kind == pb.CLOSING and ctx.state.phase is not Phase.FINISHED:
            finished = replace(ctx.state, phase=Phase.FINISHED, position=len(practice.steps), segment=(), marks=(),
                               sent_at=None, paused_at=None, offset=0.0)
            return Outcome(finished.with_history(practice.id, ctx.now), (), end_session=None)
        return _nothing(ctx)
    if event.what == "nearly_finished":
        following = pb.after(practice, plan, where)
        if following is None or ctx.state.phase is Phase.PAUSED:
            return _nothing(ctx)
        queued = pb.Play(pb.ENQUEUE, pb.token(practice, plan, ctx.state.playback or 0.0,
                                              following.step if following.kind == "step" else following.kind),
                         pb.stream(practice, plan, following, ctx.pace), previous=event.token)
        return Outcome(ctx.state, (), end_session=None, play=queued)
    if event.what in ("stopped", "failed") and where.kind == "step" and ctx.state.phase is Phase.PRACTISING:
        paused = replace(ctx.state, phase=Phase.PAUSED, position=where.step, segment=(), marks=(), sent_at=None,
                         paused_at=ctx.now, offset=offset, audio_failed=1 if event.what == "failed" else 0,
                         left_by="device" if event.what == "stopped" else ctx.state.left_by)
        return Outcome(paused, (), end_session=None)
    return _nothing(ctx)  # finished: the next stream's start moves the place on


def on_loop(ctx: Context, event: ev.Loop) -> Outcome:
    """Loop and shuffle: a kind sentence, and the class carries on where it was."""
    here = ctx.place()
    if ctx.pace.audio_player and ctx.state.phase is Phase.PRACTISING and here is not None:
        return play(ctx, here, prompts.ONE_ORDER)
    return hold_and_say(ctx, prompts.ONE_ORDER)

"""Answers: shorter, the questions, help, yes and no, and whatever was not understood."""
from __future__ import annotations

from dataclasses import replace

from skill.practice import events as ev
from skill.practice import prompts
from skill.practice.context import (
    Context,
    Outcome,
    compact,
    hold_and_say,
    not_in_class,
    pause_at,
    play,
)
from skill.practice.moves import on_list, on_resume, on_start
from skill.practice.plan import at_or_after, pose_numbers, trim
from skill.practice.playback import playing_left
from skill.practice.segment import STEP
from skill.practice.state import Phase
from skill.practice.timing import timing


def on_shorter(ctx: Context, event: ev.Shorter) -> Outcome:
    """Before a class, N minutes is its length; during one, N minutes from now. With no class under way, "I have
    N minutes" chooses one of that length."""
    phase = ctx.state.phase
    start = 0 if phase is Phase.READY else ctx.place()
    if start is None and event.minutes:
        return on_start(ctx, ev.Start(minutes=event.minutes))
    if phase is Phase.IDLE:
        return not_in_class(ctx)
    if start is None:
        return ctx.say(prompts.SHORTER_FINISHED, reprompt=prompts.CHOOSE_REPROMPT)
    practice, plan, pace, known = ctx.practice, ctx.plan, ctx.pace, ctx.timing
    left = known.left_from(start)
    if event.minutes:
        target = event.minutes * 60 - (known.opening if phase is Phase.READY else 0)
    else:
        target = left * pace.shorter_ratio
    new_plan = trim(practice, plan, start, target, pace)
    new_left = timing(practice, new_plan, pace).left_from(start)
    message: str
    if target >= left:
        message = prompts.shorter_not_longer(left)
    elif new_left > target * 1.1 or new_left >= left - 1:
        message = prompts.shorter_at_minimum(new_left)
    else:
        message = prompts.shorter_done(new_left)
    if phase is Phase.READY:
        state = replace(ctx.state, plan=compact(practice, new_plan))
        return ctx.say(message, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT, state=state)
    resume_at = at_or_after(practice, new_plan, start)  # the pose it was in may itself have been dropped
    if phase is Phase.PAUSED and resume_at is not None:
        state = replace(ctx.state, plan=compact(practice, new_plan), position=resume_at)
        return ctx.say(message, prompts.already_paused(ctx.pose(resume_at)), reprompt=prompts.RESUME_REPROMPT,
                       state=state)
    return play(ctx, resume_at, message, plan=new_plan)


def _answer_and_continue(ctx: Context, *answer: str) -> Outcome:
    """A question asked mid-class is answered, then the class carries on from the step it was in (on an audio
    player, from the second it was at). Asked when a part has played and the class waits for "continue", it is
    answered and the class goes on waiting."""
    if ctx.state.phase is Phase.PAUSED:
        return ctx.say(*answer, reprompt=prompts.RESUME_REPROMPT)
    waiting = ctx.state.phase is Phase.PRACTISING and not ctx.playing
    if waiting and not ctx.pace.auto_advance and not ctx.pace.audio_player:
        step_mode = ctx.state.mode == STEP
        return ctx.say(*answer, prompts.STEP_PROMPT if step_mode else prompts.FLOW_PROMPT,
                       reprompt=prompts.STEP_REPROMPT if step_mode else prompts.FLOW_REPROMPT)
    return play(ctx, ctx.place(), *answer)


def on_time_left(ctx: Context, event: ev.TimeLeft) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return ctx.say(prompts.time_left_ready(ctx.practice.title, ctx.timing.total),
                       prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    here = ctx.place()
    if here is None:
        return ctx.say(prompts.NO_TIME_LEFT, reprompt=prompts.CHOOSE_REPROMPT) if phase is Phase.FINISHED \
            else not_in_class(ctx)
    numbers, total = pose_numbers(ctx.practice, ctx.plan)
    if ctx.pace.audio_player:  # to the second: what is left of the stream playing, and every stream after it
        left = playing_left(ctx.practice, ctx.plan, here, ctx.elapsed(), ctx.pace)
    else:
        left = ctx.timing.left_from(here)
    return _answer_and_continue(ctx, prompts.time_left(left, numbers[here], total))


def on_what_pose(ctx: Context, event: ev.WhatPose) -> Outcome:
    phase = ctx.state.phase
    numbers, total = pose_numbers(ctx.practice, ctx.plan) if ctx.state.practice else ({}, 0)
    if phase is Phase.READY:
        first = ctx.practice.steps[min(numbers)]
        return ctx.say(prompts.first_pose(first.pose.name), prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    here = ctx.place()
    if here is None:
        return ctx.say(prompts.NO_POSE_FINISHED, reprompt=prompts.CHOOSE_REPROMPT) if phase is Phase.FINISHED \
            else not_in_class(ctx)
    step = ctx.practice.steps[here]
    if not ctx.playing and phase is not Phase.PAUSED:  # between segments: the pose just done, and the next
        done = ctx.practice.steps[ctx.state.segment[-1]].pose.name
        answer = prompts.between_poses(done, step.pose.name, step.side, numbers[here], total)
    else:
        answer = prompts.what_pose(step.pose.name, step.pose.sanskrit_shown, step.side, numbers[here], total)
    return _answer_and_continue(ctx, answer)


def on_what_props(ctx: Context, event: ev.WhatProps) -> Outcome:
    if ctx.state.practice is None:
        return ctx.say(prompts.props_idle([prompts.props(p.title, p.props) for p in ctx.library]),
                       reprompt=prompts.CHOOSE_REPROMPT)
    answer = prompts.props(ctx.practice.title, ctx.practice.props)
    if ctx.place() is not None:
        return _answer_and_continue(ctx, answer)
    if ctx.state.phase is Phase.READY:
        return ctx.say(answer, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    return ctx.say(answer, reprompt=prompts.CHOOSE_REPROMPT)


def on_help(ctx: Context, event: ev.Help) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return ctx.say(prompts.HELP_READY, reprompt=prompts.READY_REPROMPT)
    if ctx.place() is not None:
        return hold_and_say(ctx, prompts.HELP_CLASS)
    return ctx.say(prompts.HELP_IDLE, reprompt=prompts.CHOOSE_REPROMPT)


def on_yes(ctx: Context, event: ev.Yes) -> Outcome:
    if ctx.state.pending:  # "Start Hip Release instead?" "Yes."
        practice, _, length = ctx.state.pending.partition(":")
        return on_start(ctx, ev.Start(practice=practice, minutes=int(length) if length.isdecimal() else None))
    if ctx.state.phase in (Phase.READY, Phase.PAUSED, Phase.PRACTISING):
        return on_resume(ctx, ev.Resume())
    return on_list(ctx, ev.ListClasses())


def on_no(ctx: Context, event: ev.No) -> Outcome:
    here = ctx.place()
    if ctx.state.pending and here is not None:  # "Start Hip Release instead?" "No."
        return ctx.say(prompts.stay_with(ctx.practice.title, ctx.pose(here)), reprompt=prompts.RESUME_REPROMPT,
                       state=replace(pause_at(ctx, here), pending=None))
    phase = ctx.state.phase
    if phase is Phase.READY:
        return ctx.say(prompts.NO_READY, reprompt=prompts.CHOOSE_REPROMPT)
    if here is not None:
        return ctx.say(prompts.NO_THANKS, reprompt=prompts.CHOOSE_REPROMPT, state=pause_at(ctx, here))
    return ctx.say(prompts.NO_IDLE, end=True)


def on_unknown(ctx: Context, event: ev.Unknown) -> Outcome:
    """The first miss gets a short answer that fits where the person is; from the second in a row, the help."""
    phase, again = ctx.state.phase, ctx.state.misses >= 1
    if phase is Phase.READY:
        said = (prompts.MISSED_AGAIN, prompts.HELP_READY) if again else (prompts.MISSED_READY,)
        return ctx.say(*said, reprompt=prompts.READY_REPROMPT)
    in_class_words = (prompts.MISSED_AGAIN, prompts.HELP_CLASS) if again else (prompts.MISSED_IN_CLASS,)
    if phase is Phase.PAUSED and ctx.place() is not None:
        return hold_and_say(ctx, *in_class_words)
    if ctx.place() is not None:  # in class, something not understood changes nothing: the class carries on
        return _answer_and_continue(ctx, *in_class_words)
    said = (prompts.MISSED_AGAIN, prompts.HELP_IDLE) if again else (prompts.MISSED_IDLE,)
    return ctx.say(*said, reprompt=prompts.CHOOSE_REPROMPT)



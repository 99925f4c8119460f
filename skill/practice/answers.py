"""Answers: shorter, the questions, help, yes and no, and whatever was not understood."""
from __future__ import annotations

from dataclasses import replace

from skill.practice import events as ev
from skill.practice import prompts
from skill.practice.context import (
    Context, Outcome, compact, hold_and_say, in_class, not_in_class, pause_at, play,
)
from skill.practice.moves import on_list, on_resume
from skill.practice.plan import active, at_or_after, remaining_seconds, total_seconds, trim
from skill.practice.segment import STEP
from skill.practice.state import Phase


def on_shorter(ctx: Context, event: ev.Shorter) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.IDLE:
        return not_in_class(ctx)
    start = 0 if phase is Phase.READY else ctx.place()
    if start is None:
        return ctx.say(prompts.SHORTER_FINISHED, reprompt=prompts.CHOOSE_REPROMPT)
    practice, plan, pace = ctx.practice, ctx.plan, ctx.pace
    left = remaining_seconds(practice, plan, start, pace)
    if event.minutes:
        done = total_seconds(practice, plan, pace) - left
        target = event.minutes * 60 - done
    else:
        target = left * pace.shorter_ratio
    new_plan = trim(practice, plan, start, target, pace)
    new_left = remaining_seconds(practice, new_plan, start, pace)
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


def _answer_and_continue(ctx: Context, answer: str) -> Outcome:
    """A question asked mid-class is answered, then the class carries on from the step it was in. Asked when a
    part has played and the class waits for "continue", it is answered and the class goes on waiting."""
    if ctx.state.phase is Phase.PAUSED:
        return ctx.say(answer, reprompt=prompts.RESUME_REPROMPT)
    if ctx.state.phase is Phase.PRACTISING and ctx.live() is None and not ctx.pace.auto_advance:
        step_mode = ctx.state.mode == STEP
        return ctx.say(answer, prompts.STEP_PROMPT if step_mode else prompts.FLOW_PROMPT,
                       reprompt=prompts.STEP_REPROMPT if step_mode else prompts.FLOW_REPROMPT)
    return play(ctx, ctx.here(), answer)


def on_time_left(ctx: Context, event: ev.TimeLeft) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return ctx.say(prompts.time_left_ready(ctx.practice.title, total_seconds(ctx.practice, ctx.plan, ctx.pace)),
                       prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    here = ctx.place()
    if here is None:
        return ctx.say(prompts.NO_TIME_LEFT, reprompt=prompts.CHOOSE_REPROMPT) if phase is Phase.FINISHED \
            else not_in_class(ctx)
    steps = active(ctx.practice, ctx.plan)
    left = remaining_seconds(ctx.practice, ctx.plan, here, ctx.pace)
    return _answer_and_continue(ctx, prompts.time_left(left, steps.index(here) + 1, len(steps)))


def on_what_pose(ctx: Context, event: ev.WhatPose) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        first = ctx.practice.steps[active(ctx.practice, ctx.plan)[0]]
        return ctx.say(prompts.first_pose(first.pose.name), prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    if not in_class(ctx):
        return ctx.say(prompts.NO_POSE_FINISHED, reprompt=prompts.CHOOSE_REPROMPT) if phase is Phase.FINISHED \
            else not_in_class(ctx)
    here = ctx.here()
    steps = active(ctx.practice, ctx.plan)
    step = ctx.practice.steps[here]
    if ctx.live() is None and phase is not Phase.PAUSED:  # between segments: the pose just done, and the next
        done = ctx.practice.steps[ctx.state.segment[-1]].pose.name
        answer = prompts.between_poses(done, step.pose.name, step.side, steps.index(here) + 1, len(steps))
    else:
        answer = prompts.what_pose(step.pose.name, step.pose.sanskrit, step.side, steps.index(here) + 1, len(steps))
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
    if ctx.state.phase in (Phase.READY, Phase.PAUSED, Phase.PRACTISING):
        return on_resume(ctx, ev.Resume())
    return on_list(ctx, ev.ListClasses())


def on_no(ctx: Context, event: ev.No) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return ctx.say(prompts.NO_READY, reprompt=prompts.CHOOSE_REPROMPT)
    if ctx.place() is not None:
        return ctx.say(prompts.NO_THANKS, reprompt=prompts.CHOOSE_REPROMPT, state=pause_at(ctx, ctx.place()))
    return ctx.say(prompts.NO_IDLE, end=True)


def on_unknown(ctx: Context, event: ev.Unknown) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return ctx.say(prompts.FALLBACK, prompts.HELP_READY, reprompt=prompts.READY_REPROMPT)
    if phase is Phase.PAUSED and ctx.place() is not None:
        return hold_and_say(ctx, prompts.FALLBACK, prompts.HELP_CLASS)
    if ctx.place() is not None:  # in class, something not understood changes nothing: the class carries on
        return _answer_and_continue(ctx, prompts.FALLBACK)
    return ctx.say(prompts.FALLBACK, prompts.HELP_IDLE, reprompt=prompts.CHOOSE_REPROMPT)



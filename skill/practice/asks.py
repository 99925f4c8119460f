"""The newer questions and requests: what's next, poses left, switch sides, practice this week, pace, longer."""
from __future__ import annotations

from dataclasses import replace

from skill.practice import events as ev
from skill.practice import prompts
from skill.practice.context import Context, Outcome, compact, not_in_class, play
from skill.practice.moves import this_week
from skill.practice.plan import (
    MAX_HOLD_SCALE,
    Plan,
    at_or_after,
    longer_plan,
    next_active,
    pose_numbers,
)
from skill.practice.speech import RATES
from skill.practice.state import Phase
from skill.practice.timing import timing

HOLD_STEP = 1.25  # each "make it longer" holds the poses this much longer


def _next_pose(ctx: Context, index: int) -> int | None:
    """The first step after index that is another pose, or the same pose on another side."""
    steps, here = ctx.practice.steps, ctx.practice.steps[index]
    after = next_active(ctx.practice, ctx.plan, index)
    while after is not None and (steps[after].pose.id, steps[after].side) == (here.pose.id, here.side):
        after = next_active(ctx.practice, ctx.plan, after)
    return after


def on_whats_next(ctx: Context, event: ev.WhatsNext) -> Outcome:
    """Name the next pose and its side, without moving: a pose that was playing plays on from its cue."""
    phase = ctx.state.phase
    if phase is Phase.READY:
        first = ctx.practice.steps[at_or_after(ctx.practice, ctx.plan, 0) or 0]
        return ctx.say(prompts.first_pose(first.pose.name), prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    here = ctx.place()
    if here is None:
        return not_in_class(ctx)
    if phase is Phase.PRACTISING and not ctx.playing:  # between parts: the next is the one "continue" starts
        upcoming = ctx.practice.steps[here]
        prompt = prompts.STEP_PROMPT if ctx.state.mode == "step" else prompts.FLOW_PROMPT
        return ctx.say(prompts.whats_next(upcoming.pose.name, upcoming.side), prompt,
                       reprompt=prompts.FLOW_REPROMPT)
    after = _next_pose(ctx, here)
    answer = prompts.LAST_POSE_NEXT if after is None else \
        prompts.whats_next(ctx.pose(after), ctx.practice.steps[after].side)
    if phase is Phase.PAUSED:
        return ctx.say(answer, prompts.already_paused(ctx.pose(here)), reprompt=prompts.RESUME_REPROMPT)
    return play(ctx, here, answer)


def on_poses_left(ctx: Context, event: ev.PosesLeft) -> Outcome:
    """Poses, not steps: a pose held over several steps on one side counts once."""
    phase = ctx.state.phase
    numbers, total = pose_numbers(ctx.practice, ctx.plan) if ctx.state.practice else ({}, 0)
    if phase is Phase.READY:
        left = ctx.timing.left_from(0)
        return ctx.say(prompts.poses_left(total - 1, left), prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    here = ctx.place()
    if here is None:
        return not_in_class(ctx)
    answer = prompts.poses_left(total - numbers[here], ctx.timing.left_from(here))
    if phase is Phase.PAUSED:
        return ctx.say(answer, prompts.already_paused(ctx.pose(here)), reprompt=prompts.RESUME_REPROMPT)
    return play(ctx, here, answer)


def on_switch_sides(ctx: Context, event: ev.SwitchSides) -> Outcome:
    """Go to the same pose on the other side of the block, and carry on from there."""
    here = ctx.place()
    if here is None:
        return not_in_class(ctx)
    step = ctx.practice.steps[here]
    if step.side is None:
        return _hold_answer(ctx, here, prompts.NO_SIDES)
    later = [s.index for s in ctx.practice.steps[here + 1:] if s.group == step.group and s.side != step.side]
    target = at_or_after(ctx.practice, ctx.plan, later[0]) if later else None
    if target is None:
        return _hold_answer(ctx, here, prompts.second_side_already(step.side))
    return play(ctx, target, prompts.switching_to(ctx.practice.steps[target].side or ""))


def _hold_answer(ctx: Context, here: int, answer: str) -> Outcome:
    if ctx.state.phase is Phase.PAUSED:
        return ctx.say(answer, prompts.already_paused(ctx.pose(here)), reprompt=prompts.RESUME_REPROMPT)
    return play(ctx, here, answer)


def on_practice_count(ctx: Context, event: ev.PracticeCount) -> Outcome:
    answer = prompts.practice_count(this_week(ctx))
    here = ctx.place()
    if here is not None:
        return _hold_answer(ctx, here, answer)
    if ctx.state.phase is Phase.READY:
        return ctx.say(answer, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    return ctx.say(answer, reprompt=prompts.CHOOSE_REPROMPT)


def on_pace(ctx: Context, event: ev.Slower | ev.Faster | ev.NormalPace) -> Outcome:
    """Change the speaking pace for the rest of the class and next time; the part playing is said again at it."""
    rate, hold_scale, plan = ctx.state.rate, ctx.state.hold_scale, ctx.state.plan
    nearest = min(range(len(RATES)), key=lambda i: abs(RATES[i] - rate))
    if isinstance(event, ev.NormalPace):
        rate, change, hold_scale = 1.0, "normal", 1.0
        if ctx.state.practice and plan is not None:  # holds made longer go back to the plan's own
            plan = Plan(tuple(min(h, s.hold) if h > s.hold else h for h, s in zip(plan.holds, ctx.practice.steps,
                                                                              strict=True)), plan.skipped)
    elif isinstance(event, ev.Slower):
        rate, change = (RATES[nearest - 1], "slower") if nearest > 0 else (RATES[0], "slowest")
    else:
        rate, change = (RATES[nearest + 1], "faster") if nearest < len(RATES) - 1 else (RATES[-1], "fastest")
    state = replace(ctx.state, rate=rate, hold_scale=hold_scale,
                    plan=compact(ctx.practice, plan) if ctx.state.practice and plan else plan)
    ctx = replace(ctx, state=state, pace=replace(ctx.pace, rate=rate))
    here = ctx.place()
    if here is not None and ctx.state.phase is not Phase.PAUSED and ctx.pace.audio_player:
        return play(ctx, here, prompts.PACE_RECORDED)  # the rendered voice keeps its pace; spoken classes take it
    if here is not None and ctx.state.phase is not Phase.PAUSED:
        return play(ctx, here, prompts.pace_set(change))
    if here is not None:
        return ctx.say(prompts.pace_set(change), prompts.already_paused(ctx.pose(here)),
                       reprompt=prompts.RESUME_REPROMPT, state=state)
    if ctx.state.phase is Phase.READY:
        return ctx.say(prompts.pace_set(change), prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT, state=state)
    return ctx.say(prompts.pace_set(change), reprompt=prompts.CHOOSE_REPROMPT, state=state)


def on_longer(ctx: Context, event: ev.Longer) -> Outcome:
    """Hold the poses longer from here, within limits, and say the new time left; kept for the next class too."""
    scale = min(ctx.state.hold_scale * HOLD_STEP, MAX_HOLD_SCALE)
    phase = ctx.state.phase
    if ctx.state.practice is None or phase is Phase.IDLE:
        return ctx.say(prompts.LONGER_IDLE, reprompt=prompts.CHOOSE_REPROMPT,
                       state=replace(ctx.state, hold_scale=scale))
    start = 0 if phase is Phase.READY else ctx.place()
    if start is None:
        return ctx.say(prompts.LONGER_FINISHED, reprompt=prompts.CHOOSE_REPROMPT,
                       state=replace(ctx.state, hold_scale=scale))
    practice, plan = ctx.practice, ctx.plan
    new_plan = longer_plan(practice, plan, start, scale)
    left = timing(practice, new_plan, ctx.pace).left_from(start)
    message = prompts.longer_done(left) if new_plan != plan else prompts.longer_at_most(left)
    state = replace(ctx.state, hold_scale=scale, plan=compact(practice, new_plan))
    if phase is Phase.READY:
        return ctx.say(message, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT, state=state)
    if phase is Phase.PAUSED:
        return ctx.say(message, prompts.already_paused(ctx.pose(start)), reprompt=prompts.RESUME_REPROMPT,
                       state=state)
    return play(replace(ctx, state=state), start, message)

"""The body: "that hurts", "easier version" and "go easy on my knees"."""
from __future__ import annotations

from dataclasses import replace

from skill.practice import events as ev
from skill.practice import prompts
from skill.practice.context import Context, Outcome, compact, hold_and_say, not_in_class, pause_at, play
from skill.practice.model import Practice
from skill.practice.plan import Plan, at_or_after
from skill.practice.state import Phase

# The step body tags each part of the body that can be spared puts weight on.
BODY_TAGS: dict[str, frozenset[str]] = {
    "knees": frozenset({"kneeling", "knees"}),
    "wrists": frozenset({"wrists"}),
}


def on_hurts(ctx: Context, event: ev.Hurts) -> Outcome:
    """Stop the pose, one short safety sentence, and the step's easier way (continue takes it) or skipping it."""
    here = ctx.place()
    if ctx.state.phase is Phase.PRACTISING and not ctx.playing and ctx.state.segment:
        here = ctx.state.segment[-1]  # the part has played: what hurt is the pose just held, not the next one
    spare = [prompts.spare_offer(event.body)] if event.body in BODY_TAGS and event.body not in ctx.state.spared \
        else []
    if here is None:
        if ctx.state.phase is Phase.READY:
            return ctx.say(prompts.HURT_SAFETY, *spare, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
        return ctx.say(prompts.HURT_IDLE, reprompt=prompts.CHOOSE_REPROMPT)
    step = ctx.practice.steps[here]
    state = pause_at(ctx, here)
    if step.easier:
        state = replace(state, eased=tuple(sorted({*state.eased, here})))
        offer = prompts.easier_offer(step.easier)
    else:
        offer = prompts.NO_EASIER
    return ctx.say(prompts.HURT_SAFETY, offer, *spare, reprompt=prompts.RESUME_REPROMPT, state=state)


def on_easier(ctx: Context, event: ev.Easier) -> Outcome:
    """The pose the person is in, again, its easier way."""
    here = ctx.place()
    if here is None:
        return not_in_class(ctx)
    if not ctx.practice.steps[here].easier:
        return hold_and_say(ctx, prompts.NO_EASIER_VERSION)
    state = replace(ctx.state, eased=tuple(sorted({*ctx.state.eased, here})))
    return play(replace(ctx, state=state), here, prompts.EASIER_NOW)


def spare(practice: Practice, plan: Plan, start: int, tags: frozenset[str],
          eased: tuple[int, ...]) -> tuple[Plan, tuple[int, ...], list[str], list[str]]:
    """The rest of the class from start without weight on tags: each group of steps (every side of one step) with
    those tags is taken its easier way where it has one, else left out whole while none of its sides has begun.
    A group already begun, or the final relaxation, stays as it is. Returns the plan, the eased steps, and the
    names of the poses swapped and dropped."""
    groups: dict[str, list[int]] = {}
    for step in practice.steps:
        if tags & set(step.body) and step.index not in plan.skipped:
            groups.setdefault(step.group, []).append(step.index)
    skipped, easy = set(plan.skipped), set(eased)
    swapped: list[str] = []
    dropped: list[str] = []
    for indices in groups.values():
        ahead = [i for i in indices if i >= start]
        if not ahead:
            continue
        name = practice.steps[ahead[0]].pose.name
        if all(practice.steps[i].easier for i in ahead):
            easy.update(ahead)
            swapped.append(name)
        elif min(indices) >= start and not any(practice.steps[i].final for i in indices):
            skipped.update(indices)
            dropped.append(name)
        elif any(practice.steps[i].easier for i in ahead):
            easy.update(i for i in ahead if practice.steps[i].easier)
            swapped.append(name)
    return (Plan(plan.holds, frozenset(skipped)), tuple(sorted(easy)), list(dict.fromkeys(swapped)),
            list(dict.fromkeys(dropped)))


def on_go_easy(ctx: Context, event: ev.GoEasy) -> Outcome:
    """Spare a part of the body for the rest of the class, and say what changes."""
    tags = BODY_TAGS.get(event.body or "")
    if tags is None:
        here = ctx.place()
        if here is not None:
            return hold_and_say(ctx, prompts.cannot_spare(event.body))
        return ctx.say(prompts.cannot_spare(event.body), reprompt=prompts.CHOOSE_REPROMPT)
    part = event.body or ""
    spared = tuple(dict.fromkeys((*ctx.state.spared, part)))
    phase = ctx.state.phase
    start = 0 if phase is Phase.READY else ctx.place()
    if start is None:  # no class under way: the next one chosen goes easy
        return ctx.say(prompts.going_easy_next(part), reprompt=prompts.CHOOSE_REPROMPT,
                       state=replace(ctx.state, spared=spared))
    plan, eased, swapped, dropped = spare(ctx.practice, ctx.plan, start, tags, ctx.state.eased)
    message = prompts.going_easy(part, swapped, dropped)
    state = replace(ctx.state, plan=compact(ctx.practice, plan), eased=eased, spared=spared)
    if phase is Phase.READY:
        return ctx.say(message, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT, state=state)
    resume_at = at_or_after(ctx.practice, plan, start)
    if phase is Phase.PAUSED and resume_at is not None:
        return ctx.say(message, prompts.already_paused(ctx.pose(resume_at)), reprompt=prompts.RESUME_REPROMPT,
                       state=replace(state, position=resume_at))
    return play(replace(ctx, state=state), resume_at, message, plan=plan)

"""Moving through the class: launch, start, next, back, repeat, pause, resume, start over, stop."""
from __future__ import annotations

from dataclasses import replace

from skill.practice import events as ev
from skill.practice import prompts
from skill.practice.body import BODY_TAGS, spare
from skill.practice.context import (
    Context,
    Outcome,
    announce,
    carry_on_token,
    hold_and_say,
    not_in_class,
    pause_at,
    play,
)
from skill.practice.model import Practice
from skill.practice.pick import by_name, closest, pick
from skill.practice.plan import (
    Plan,
    longer_plan,
    next_active,
    previous_active,
    trim,
)
from skill.practice.playback import resume_offset
from skill.practice.state import Phase
from skill.practice.timing import timing


def on_launch(ctx: Context, event: ev.Launch) -> Outcome:
    here = ctx.place()
    if here is not None:
        left = ctx.timing.left_from(here)
        since = ctx.state.paused_at if ctx.state.paused_at is not None else ctx.state.sent_at
        welcome = prompts.welcome_back_paused(ctx.practice.title, ctx.pose(here), left,
                                              None if since is None else ctx.now - since,
                                              paused=ctx.state.left_by == "pause")
        return ctx.say(welcome,
                       reprompt=prompts.CONTINUE_REPROMPT, state=pause_at(ctx, here))
    if ctx.state.phase is Phase.READY:
        return ctx.say(prompts.welcome_back_ready(ctx.practice.title), prompts.READY_PROMPT,
                       reprompt=prompts.READY_REPROMPT)
    if ctx.state.history or ctx.state.phase is Phase.FINISHED:
        welcome = prompts.welcome_back(ctx.summaries(), this_week(ctx) + 1)
    else:
        welcome = prompts.welcome_new(ctx.summaries())
    return ctx.say(welcome, reprompt=prompts.CHOOSE_REPROMPT)


WEEK = 7 * 24 * 3600


def this_week(ctx: Context) -> int:
    """Classes finished in the seven days before now."""
    return sum(1 for _, when in ctx.state.history if 0 <= ctx.now - when < WEEK)


def on_start(ctx: Context, event: ev.Start) -> Outcome:
    if event.heard and not (event.practice or event.focus):  # "the morning class": a name Alexa could not resolve
        named = by_name(ctx.library, event.heard)
        event = replace(event, practice=named.id, heard=None) if named else event
    asked_for_anything = event.practice or event.minutes or event.focus
    unknown = event.practice is not None and ctx.library.get(event.practice) is None
    if unknown or (event.heard and not asked_for_anything):
        heard = event.heard or event.practice or "that"
        return hold_and_say(ctx, prompts.unknown_class(heard, [p.title for p in ctx.library]))
    if not asked_for_anything:
        return on_resume(ctx, ev.Resume()) if ctx.state.practice else on_list(ctx, ev.ListClasses())
    here = ctx.place()
    if event.practice and event.practice == ctx.state.practice and here is not None and event.minutes is None:
        return hold_and_say(ctx, prompts.already_in(ctx.practice.title, ctx.pose(here)))
    before: list[str] = []
    if event.practice:
        practice = ctx.library.get(event.practice)
        assert practice is not None
    else:
        practice, matched = pick(ctx.library, event.minutes, event.focus)
        if not matched and event.focus:  # nothing fits: say so once, offer the closest, and let them choose
            return hold_and_say(ctx, prompts.no_focus_match(event.focus, [p.title for p in closest(ctx.library,
                                                                                                     event.minutes)]))
        before.append(prompts.chosen_for_request(practice.title, event.minutes, event.focus))
    if here is not None and ctx.state.phase in (Phase.PRACTISING, Phase.PAUSED) and not ctx.state.pending:
        return _part_way(ctx, here, practice, event.minutes)
    return _choose(ctx, practice, event.minutes, before)


def _part_way(ctx: Context, here: int, practice: Practice, minutes: int | None) -> Outcome:
    """Asked for a class part-way through one: "I have 20 minutes" in this class shortens it; any other class is
    asked about before leaving this one."""
    if practice.id == ctx.state.practice and minutes:
        from skill.practice.answers import on_shorter  # answers builds on this module: imported when needed

        return on_shorter(ctx, ev.Shorter(minutes=minutes))
    pending = practice.id if minutes is None else f"{practice.id}:{minutes}"
    return ctx.say(prompts.replace_class(ctx.practice.title, practice.title), reprompt=prompts.REPLACE_REPROMPT,
                   state=replace(pause_at(ctx, here), pending=pending))


def _choose(ctx: Context, practice: Practice, minutes: int | None, before: list[str]) -> Outcome:
    """Choose the class: its holds as the person likes them, fitted to minutes, sparing what they asked to spare."""
    plan = longer_plan(practice, practice.written, 0, ctx.state.hold_scale)
    if minutes:
        plan = trim(practice, plan, 0, minutes * 60 - timing(practice, plan, ctx.pace).opening, ctx.pace)
        total = timing(practice, plan, ctx.pace).total
        if total > minutes * 60 * 1.1:
            before.append(prompts.cannot_reach_minutes(minutes, total))
    eased: tuple[int, ...] = ()
    for part in ctx.state.spared:  # "go easy on my knees" said before, or in the class this one replaces
        plan, eased, swapped, dropped = spare(practice, plan, 0, BODY_TAGS.get(part, frozenset()), eased)
        if swapped or dropped:
            before.append(prompts.going_easy(part, swapped, dropped))
    outcome = announce(ctx, practice, plan, *before)
    return replace(outcome, state=replace(outcome.state, eased=eased)) if eased else outcome


def on_next(ctx: Context, event: ev.Next) -> Outcome:
    ctx = ctx.settled()
    phase = ctx.state.phase
    if phase is Phase.READY:
        return play(ctx, 0)
    here = ctx.place()
    if here is None:
        return not_in_class(ctx)
    if not ctx.playing and phase is Phase.PRACTISING:  # the segment has played: next simply continues
        return play(ctx, here)
    target = next_active(ctx.practice, ctx.plan, here)
    return play(ctx, target, prompts.SKIP_ON if target is not None else prompts.AT_END)


def on_previous(ctx: Context, event: ev.Previous) -> Outcome:
    if ctx.state.phase in (Phase.IDLE, Phase.READY):
        return not_in_class(ctx)
    current = ctx.place()
    if current is None:  # finished: go back to the last pose
        current = len(ctx.practice.steps)
    target = previous_active(ctx.practice, ctx.plan, current)
    if target is None:
        return play(ctx, current, prompts.FIRST_POSE_ALREADY, at=0.0)
    return play(ctx, target, prompts.BACK_ONE)


def on_repeat(ctx: Context, event: ev.Repeat) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return announce(ctx, ctx.practice, ctx.plan)
    here = ctx.place()
    if here is None:
        if phase is Phase.FINISHED:
            return ctx.say(ctx.practice.closing, prompts.FINISHED_ALREADY, reprompt=prompts.CHOOSE_REPROMPT)
        return not_in_class(ctx)
    if phase is Phase.PRACTISING and not ctx.playing:  # the segment has played: "that" is the pose just finished
        here = ctx.state.segment[-1]
    return play(ctx, here, prompts.AGAIN, at=0.0)


def on_pause(ctx: Context, event: ev.Pause) -> Outcome:
    if ctx.state.phase is Phase.READY:
        return ctx.say(prompts.PAUSE_READY, reprompt=prompts.READY_REPROMPT)
    here = ctx.place()
    if here is None:
        return not_in_class(ctx)
    if ctx.state.phase is Phase.PAUSED:
        return ctx.say(prompts.already_paused(ctx.pose(here)), end=True)
    if ctx.pace.audio_player:  # "Alexa, pause" to an audio player: it stops, to the second, with no words
        return Outcome(pause_at(ctx, here), (), end_session=True)
    return ctx.say(prompts.paused(ctx.pose(here)), end=True, state=pause_at(ctx, here))


def on_resume(ctx: Context, event: ev.Resume) -> Outcome:
    if event.after is not None:
        return carry_on(ctx, event.after)
    ctx = ctx.settled()
    phase = ctx.state.phase
    if phase is Phase.READY:
        return play(ctx, 0)
    if phase is Phase.IDLE:
        return ctx.say(prompts.nothing_paused_idle(), reprompt=prompts.CHOOSE_REPROMPT)
    here = ctx.place()
    if here is None:
        return not_in_class(ctx)
    interrupted = phase is Phase.PAUSED or ctx.playing
    if ctx.pace.audio_player:  # a short break picks up to the second, with no words; a long one retakes the pose
        exact = resume_offset(ctx.state, here, ctx.now) > 0 or phase is not Phase.PAUSED
        return play(ctx, here, *([] if exact else [prompts.RESUME_FROM_CUE]))
    return play(ctx, here, *([prompts.RESUME_FROM] if interrupted else []))


def carry_on(ctx: Context, token: str) -> Outcome:
    """A screen's timer: the part it showed has played, so the class goes on, unless the person has moved since.

    A late timer (its part was paused, skipped, repeated or replaced) gets no words and changes nothing, not even
    the session: the screen showing the newer part keeps its own timer.
    """
    if token != carry_on_token(ctx.state):
        return Outcome(ctx.state, (), end_session=None)
    if ctx.state.phase is Phase.READY:
        return play(ctx, 0)
    return play(ctx, next_active(ctx.practice, ctx.plan, ctx.state.segment[-1]))


def on_start_over(ctx: Context, event: ev.StartOver) -> Outcome:
    if ctx.state.practice is None:
        return not_in_class(ctx)
    return play(ctx, 0, prompts.start_over(ctx.practice.title), plan=Plan.full(ctx.practice), at=0.0)


def on_stop(ctx: Context, event: ev.Stop) -> Outcome:
    here = ctx.place()
    if here is None:
        return ctx.say(prompts.STOP_PLAIN, end=True)
    return ctx.say(prompts.stop_saved(ctx.pose(here)), end=True, state=pause_at(ctx, here, "stop"))


def on_session_ended(ctx: Context, event: ev.SessionEnded) -> Outcome:
    here = ctx.place()
    state = pause_at(ctx, here, "timeout") if here is not None and ctx.state.phase is not Phase.PAUSED else ctx.state
    return Outcome(state, (), end_session=True)


def on_list(ctx: Context, event: ev.ListClasses) -> Outcome:
    return hold_and_say(ctx, prompts.list_classes(ctx.summaries()))

"""The practice engine: (state, event, now) -> outcome. Pure: no I/O, no clock, no framework.

Every event has an answer in every phase. While a segment is playing, the step the person is in comes from
the timeline and the seconds since the segment was sent, so pause, repeat and the questions act on the pose
that was actually playing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from skill.practice import events as ev
from skill.practice import prompts
from skill.practice import segment as seg
from skill.practice.model import Library, Practice
from skill.practice.pick import pick
from skill.practice.plan import (
    Plan, active, at_or_after, next_active, previous_active, remaining_seconds, total_seconds, trim,
)
from skill.practice.speech import Pace, Speech, join, spoken
from skill.practice.state import Phase, State

RESUME_REPROMPT = "Say resume when you're ready, or stop to finish for now."


@dataclass(frozen=True)
class Outcome:
    """What to say, what to keep, and whether to keep listening."""

    state: State
    speech: Speech
    reprompt: Speech = ()
    end_session: bool = False
    segment: seg.Segment | None = None


@dataclass(frozen=True)
class Context:
    state: State
    now: float
    library: Library
    pace: Pace

    @property
    def practice(self) -> Practice:
        practice = self.library.get(self.state.practice)
        assert practice is not None, "handlers that need a class are only reached with one"
        return practice

    @property
    def plan(self) -> Plan:
        return self.state.plan or Plan.full(self.practice)

    def live(self) -> int | None:
        """The step still playing from the last segment, if any."""
        s = self.state
        if s.phase not in (Phase.PRACTISING, Phase.FINISHED) or s.sent_at is None:
            return None
        return seg.playing(s.segment, s.marks, self.now - s.sent_at)

    def here(self) -> int | None:
        """The step the person is in, or about to start; None before the class or once it is over."""
        s = self.state
        if s.phase is Phase.PAUSED:
            return at_or_after(self.practice, self.plan, s.position)
        if s.phase in (Phase.PRACTISING, Phase.FINISHED) and s.segment:
            playing = self.live()
            return playing if playing is not None else next_active(self.practice, self.plan, s.segment[-1])
        return None

    def pose(self, index: int) -> str:
        return self.practice.steps[index].pose.name

    def say(self, *texts: str, reprompt: str | None = None, end: bool = False, state: State | None = None) -> Outcome:
        return Outcome(state or self.state, spoken(*texts), spoken(reprompt) if reprompt and not end else (), end)

    def summaries(self) -> list[str]:
        return [prompts.class_summary(p.title, total_seconds(p, Plan.full(p), self.pace), p.focus) for p in self.library]


def _compact(practice: Practice, plan: Plan) -> Plan | None:
    return None if plan == Plan.full(practice) else plan


def play(ctx: Context, start: int | None, *prefix: str, plan: Plan | None = None) -> Outcome:
    """Send the segment that begins at start (the closing, when start is past the end)."""
    practice, plan = ctx.practice, plan or ctx.plan
    base = replace(ctx.state, plan=_compact(practice, plan), paused_at=None)
    first = at_or_after(practice, plan, start) if start is not None else None
    if first is None:
        done = replace(base, phase=Phase.FINISHED, position=len(practice.steps), segment=(), marks=(), sent_at=None)
        speech = spoken(*prefix, practice.closing, prompts.finished(practice.title))
        return Outcome(done.with_history(practice.id, ctx.now), speech, end_session=True)
    segment = seg.build(practice, plan, first, ctx.state.mode, ctx.pace, prefix=spoken(*prefix))
    state = replace(base, position=first, segment=segment.steps, marks=segment.marks, sent_at=ctx.now)
    after = next_active(practice, plan, segment.steps[-1])
    if after is None:
        speech = join(segment.speech, spoken(practice.closing, prompts.finished(practice.title)))
        return Outcome(replace(state, phase=Phase.FINISHED).with_history(practice.id, ctx.now), speech,
                       end_session=True, segment=segment)
    step_mode = ctx.state.mode == seg.STEP
    up_next = prompts.up_next(ctx.pose(after)) if practice.steps[after].pose != practice.steps[segment.steps[-1]].pose else None
    prompt, reprompt = (prompts.STEP_PROMPT, prompts.STEP_REPROMPT) if step_mode else (prompts.FLOW_PROMPT, prompts.FLOW_REPROMPT)
    return Outcome(replace(state, phase=Phase.PRACTISING), join(segment.speech, spoken(up_next, prompt)),
                   spoken(reprompt), segment=segment)


def pause_at(ctx: Context, index: int) -> State:
    return replace(ctx.state, phase=Phase.PAUSED, position=index, segment=(), marks=(), sent_at=None, paused_at=ctx.now)


def _in_class(ctx: Context) -> bool:
    return ctx.state.phase in (Phase.PRACTISING, Phase.PAUSED) or ctx.live() is not None


def _hold_and_say(ctx: Context, *texts: str) -> Outcome:
    """Answer, keeping the place: a playing segment stops and waits at the step it was in."""
    here = ctx.here()
    if here is None or not _in_class(ctx):
        return ctx.say(*texts, reprompt=prompts.CHOOSE_REPROMPT)
    return ctx.say(*texts, prompts.already_paused(ctx.pose(here)), reprompt=RESUME_REPROMPT, state=pause_at(ctx, here))


def _announce(ctx: Context, practice: Practice, plan: Plan, *before: str) -> Outcome:
    texts = prompts.announce(practice.title, total_seconds(practice, plan, ctx.pace), practice.props, practice.intro)
    state = State(phase=Phase.READY, practice=practice.id, plan=_compact(practice, plan), mode=ctx.state.mode,
                  history=ctx.state.history)
    return ctx.say(*before, *texts, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT, state=state)


def on_launch(ctx: Context, event: ev.Launch) -> Outcome:
    here = ctx.here() if _in_class(ctx) or ctx.state.phase is Phase.PAUSED else None
    if here is not None:
        left = remaining_seconds(ctx.practice, ctx.plan, here, ctx.pace)
        return ctx.say(prompts.welcome_back_paused(ctx.practice.title, ctx.pose(here), left),
                       reprompt="Say yes to carry on, or start over.", state=pause_at(ctx, here))
    if ctx.state.phase is Phase.READY:
        return ctx.say(f"Welcome back. {ctx.practice.title} is ready.", prompts.READY_PROMPT,
                       reprompt=prompts.READY_REPROMPT)
    welcome = prompts.welcome_back if ctx.state.history or ctx.state.phase is Phase.FINISHED else prompts.welcome_new
    return ctx.say(welcome(ctx.summaries()), reprompt=prompts.CHOOSE_REPROMPT)


def on_start(ctx: Context, event: ev.Start) -> Outcome:
    if event.practice is not None and ctx.library.get(event.practice) is None or (
        event.heard and event.practice is None and event.minutes is None and event.focus is None
    ):
        heard = event.heard or event.practice or "that"
        return _hold_and_say(ctx, prompts.unknown_class(heard, [p.title for p in ctx.library]))
    if event.practice is None and event.minutes is None and event.focus is None:
        return on_resume(ctx, ev.Resume()) if ctx.state.practice else on_list(ctx, ev.ListClasses())
    if event.practice and event.practice == ctx.state.practice and _in_class(ctx) and event.minutes is None:
        here = ctx.here()
        if here is not None:
            return _hold_and_say(ctx, prompts.already_in(ctx.practice.title, ctx.pose(here)))
    before: list[str] = []
    if event.practice:
        practice = ctx.library.get(event.practice)
        assert practice is not None
    else:
        practice, matched = pick(ctx.library, event.minutes, event.focus)
        if not matched and event.focus:
            before.append(prompts.no_focus_match(event.focus, [practice.title]))
        before.append(prompts.chosen_for_request(practice.title, event.minutes, event.focus if matched else None))
    plan = Plan.full(practice)
    if event.minutes:
        opening = total_seconds(practice, plan, ctx.pace) - remaining_seconds(practice, plan, 0, ctx.pace)
        plan = trim(practice, plan, 0, event.minutes * 60 - opening, ctx.pace)
        if total_seconds(practice, plan, ctx.pace) > event.minutes * 60 * 1.1:
            before.append(prompts.cannot_reach_minutes(event.minutes, total_seconds(practice, plan, ctx.pace)))
    return _announce(ctx, practice, plan, *before)


def on_next(ctx: Context, event: ev.Next) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return play(ctx, 0)
    if not _in_class(ctx):
        return _not_in_class(ctx)
    live = ctx.live()
    if live is None and phase is Phase.PRACTISING:  # the segment has played: next simply continues
        return play(ctx, ctx.here())
    current = live if live is not None else ctx.here()
    target = next_active(ctx.practice, ctx.plan, current)
    return play(ctx, target, prompts.skip_to(ctx.pose(target)) if target is not None else prompts.AT_END)


def on_previous(ctx: Context, event: ev.Previous) -> Outcome:
    if ctx.state.phase in (Phase.IDLE, Phase.READY):
        return _not_in_class(ctx)
    current = ctx.here()
    if current is None:  # finished: go back to the last pose
        current = len(ctx.practice.steps)
    target = previous_active(ctx.practice, ctx.plan, current)
    if target is None:
        return play(ctx, current, prompts.first_pose_already(ctx.pose(current)))
    return play(ctx, target, prompts.back_to(ctx.pose(target)))


def on_repeat(ctx: Context, event: ev.Repeat) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return _announce(ctx, ctx.practice, ctx.plan)
    if not _in_class(ctx):
        if phase is Phase.FINISHED:
            return ctx.say(ctx.practice.closing, prompts.FINISHED_ALREADY, reprompt=prompts.CHOOSE_REPROMPT)
        return _not_in_class(ctx)
    live = ctx.live()
    target = live if live is not None or phase is Phase.PAUSED else ctx.state.segment[-1]
    target = ctx.here() if target is None else target
    return play(ctx, target, prompts.again(ctx.pose(target)))


def on_pause(ctx: Context, event: ev.Pause) -> Outcome:
    if ctx.state.phase is Phase.READY:
        return ctx.say(prompts.PAUSE_READY, reprompt=prompts.READY_REPROMPT)
    if ctx.state.phase is Phase.PAUSED:
        return ctx.say(prompts.already_paused(ctx.pose(ctx.here())), end=True)
    here = ctx.here() if _in_class(ctx) else None
    if here is None:
        return _not_in_class(ctx)
    return ctx.say(prompts.paused(ctx.pose(here)), end=True, state=pause_at(ctx, here))


def on_resume(ctx: Context, event: ev.Resume) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return play(ctx, 0)
    if phase is Phase.IDLE:
        return ctx.say(prompts.nothing_paused_idle(), reprompt=prompts.CHOOSE_REPROMPT)
    here = ctx.here() if _in_class(ctx) else None
    if here is None:
        return _not_in_class(ctx)
    interrupted = phase is Phase.PAUSED or ctx.live() is not None
    return play(ctx, here, *([prompts.resume_from(ctx.pose(here))] if interrupted else []))


def on_shorter(ctx: Context, event: ev.Shorter) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.IDLE:
        return _not_in_class(ctx)
    start = 0 if phase is Phase.READY else (ctx.here() if _in_class(ctx) else None)
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
        state = replace(ctx.state, plan=_compact(practice, new_plan))
        return ctx.say(message, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT, state=state)
    if phase is Phase.PAUSED:
        state = replace(ctx.state, plan=_compact(practice, new_plan))
        return ctx.say(message, prompts.already_paused(ctx.pose(start)), reprompt=RESUME_REPROMPT, state=state)
    return play(ctx, start, message, plan=new_plan)


def on_start_over(ctx: Context, event: ev.StartOver) -> Outcome:
    if ctx.state.practice is None:
        return _not_in_class(ctx)
    fresh = replace(ctx.state, plan=None, phase=Phase.PRACTISING)
    restart = Context(fresh, ctx.now, ctx.library, ctx.pace)
    return play(restart, 0, prompts.start_over(ctx.practice.title), plan=Plan.full(ctx.practice))


def _answer_and_continue(ctx: Context, answer: str) -> Outcome:
    """A question asked mid-class is answered, then the class carries on from the step it was in."""
    if ctx.state.phase is Phase.PAUSED:
        return ctx.say(answer, reprompt=RESUME_REPROMPT)
    return play(ctx, ctx.here(), answer)


def on_time_left(ctx: Context, event: ev.TimeLeft) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return ctx.say(prompts.time_left_ready(ctx.practice.title, total_seconds(ctx.practice, ctx.plan, ctx.pace)),
                       prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    here = ctx.here() if _in_class(ctx) else None
    if here is None:
        return ctx.say(prompts.NO_TIME_LEFT, reprompt=prompts.CHOOSE_REPROMPT) if phase is Phase.FINISHED \
            else _not_in_class(ctx)
    steps = active(ctx.practice, ctx.plan)
    left = remaining_seconds(ctx.practice, ctx.plan, here, ctx.pace)
    return _answer_and_continue(ctx, prompts.time_left(left, steps.index(here) + 1, len(steps)))


def on_what_pose(ctx: Context, event: ev.WhatPose) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        first = ctx.practice.steps[active(ctx.practice, ctx.plan)[0]]
        return ctx.say(prompts.first_pose(first.pose.name), prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    if not _in_class(ctx):
        return ctx.say(prompts.NO_POSE_FINISHED, reprompt=prompts.CHOOSE_REPROMPT) if phase is Phase.FINISHED \
            else _not_in_class(ctx)
    live = ctx.live()
    index = live if live is not None or phase is Phase.PAUSED else ctx.state.segment[-1]
    index = ctx.here() if index is None else index
    steps = active(ctx.practice, ctx.plan)
    step = ctx.practice.steps[index]
    answer = prompts.what_pose(step.pose.name, step.pose.sanskrit, step.side, steps.index(index) + 1, len(steps))
    return _answer_and_continue(ctx, answer)


def on_what_props(ctx: Context, event: ev.WhatProps) -> Outcome:
    if ctx.state.practice is None:
        return ctx.say(prompts.props_idle([prompts.props(p.title, p.props) for p in ctx.library]),
                       reprompt=prompts.CHOOSE_REPROMPT)
    answer = prompts.props(ctx.practice.title, ctx.practice.props)
    if _in_class(ctx) and ctx.here() is not None:
        return _answer_and_continue(ctx, answer)
    if ctx.state.phase is Phase.READY:
        return ctx.say(answer, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT)
    return ctx.say(answer, reprompt=prompts.CHOOSE_REPROMPT)


def on_list(ctx: Context, event: ev.ListClasses) -> Outcome:
    return _hold_and_say(ctx, prompts.list_classes(ctx.summaries()))


def on_help(ctx: Context, event: ev.Help) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return ctx.say(prompts.HELP_READY, reprompt=prompts.READY_REPROMPT)
    if _in_class(ctx) and ctx.here() is not None:
        return _hold_and_say(ctx, prompts.HELP_CLASS)
    return ctx.say(prompts.HELP_IDLE, reprompt=prompts.CHOOSE_REPROMPT)


def on_yes(ctx: Context, event: ev.Yes) -> Outcome:
    if ctx.state.phase in (Phase.READY, Phase.PAUSED, Phase.PRACTISING):
        return on_resume(ctx, ev.Resume())
    return on_list(ctx, ev.ListClasses())


def on_no(ctx: Context, event: ev.No) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return ctx.say(prompts.NO_READY, reprompt=prompts.CHOOSE_REPROMPT)
    if _in_class(ctx) and ctx.here() is not None:
        return ctx.say(prompts.NO_THANKS, reprompt=prompts.CHOOSE_REPROMPT, state=pause_at(ctx, ctx.here()))
    return ctx.say(prompts.NO_IDLE, end=True)


def on_stop(ctx: Context, event: ev.Stop) -> Outcome:
    here = ctx.here() if _in_class(ctx) else None
    if here is None:
        return ctx.say(prompts.STOP_PLAIN, end=True)
    return ctx.say(prompts.stop_saved(ctx.pose(here)), end=True, state=pause_at(ctx, here))


def on_session_ended(ctx: Context, event: ev.SessionEnded) -> Outcome:
    here = ctx.here() if _in_class(ctx) else None
    state = pause_at(ctx, here) if here is not None and ctx.state.phase is not Phase.PAUSED else ctx.state
    return Outcome(state, (), end_session=True)


def on_unknown(ctx: Context, event: ev.Unknown) -> Outcome:
    phase = ctx.state.phase
    if phase is Phase.READY:
        return ctx.say(prompts.FALLBACK, prompts.HELP_READY, reprompt=prompts.READY_REPROMPT)
    if _in_class(ctx) and ctx.here() is not None:
        return _hold_and_say(ctx, prompts.FALLBACK, prompts.HELP_CLASS)
    return ctx.say(prompts.FALLBACK, prompts.HELP_IDLE, reprompt=prompts.CHOOSE_REPROMPT)


def _not_in_class(ctx: Context) -> Outcome:
    if ctx.state.phase is Phase.FINISHED:
        return ctx.say(prompts.FINISHED_ALREADY, reprompt=prompts.CHOOSE_REPROMPT)
    if ctx.state.phase is Phase.READY:
        return ctx.say(prompts.HELP_READY, reprompt=prompts.READY_REPROMPT)
    return ctx.say(prompts.NOT_STARTED, reprompt=prompts.CHOOSE_REPROMPT)


HANDLERS: dict[type, Callable[[Context, ev.Event], Outcome]] = {
    ev.Launch: on_launch, ev.Start: on_start, ev.Next: on_next, ev.Previous: on_previous, ev.Repeat: on_repeat,
    ev.Pause: on_pause, ev.Resume: on_resume, ev.Shorter: on_shorter, ev.StartOver: on_start_over,
    ev.TimeLeft: on_time_left, ev.WhatPose: on_what_pose, ev.WhatProps: on_what_props, ev.ListClasses: on_list,
    ev.Help: on_help, ev.Yes: on_yes, ev.No: on_no, ev.Stop: on_stop, ev.SessionEnded: on_session_ended,
    ev.Unknown: on_unknown,
}


def fit(state: State, library: Library) -> State:
    """A stored state made safe for the classes as they are now (a class may have been edited or removed)."""
    practice = library.get(state.practice)
    if practice is None:
        return State(mode=state.mode, history=state.history) if state.practice else state
    n = len(practice.steps)
    plan = state.plan if state.plan is None or state.plan.fits(practice) else None
    if any(not 0 <= i < n for i in state.segment) or len(state.marks) != len(state.segment) + (1 if state.segment else 0):
        state = replace(state, segment=(), marks=(), sent_at=None)
    position = min(state.position, n if state.phase is Phase.FINISHED else n - 1)
    if state.phase is Phase.PRACTISING and not state.segment:
        return replace(state, phase=Phase.PAUSED, position=position, plan=plan)
    return replace(state, position=position, plan=plan)


def handle(state: State, event: ev.Event, now: float, library: Library, pace: Pace = Pace()) -> Outcome:
    """The one transition: what the skill says and keeps when event arrives at time now (seconds)."""
    ctx = Context(fit(state, library), now, library, pace)
    return HANDLERS[type(event)](ctx, event)

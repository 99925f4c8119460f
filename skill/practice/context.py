"""What every handler shares: the request context, sending a segment, and keeping a place."""
from __future__ import annotations

from dataclasses import dataclass, replace

from skill.practice import prompts
from skill.practice import segment as seg
from skill.practice.model import Library, Practice
from skill.practice.plan import Plan, at_or_after, next_active, total_seconds
from skill.practice.speech import Pace, Speech, join, spoken
from skill.practice.state import Phase, State

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

    def place(self) -> int | None:
        """The step the person is at while a class is under way; None before it starts or once it is over."""
        return self.here() if in_class(self) else None

    def pose(self, index: int) -> str:
        return self.practice.steps[index].pose.name

    def say(self, *texts: str, reprompt: str | None = None, end: bool = False, state: State | None = None) -> Outcome:
        return Outcome(state or self.state, spoken(*texts), spoken(reprompt) if reprompt and not end else (), end)

    def summaries(self) -> list[str]:
        return [prompts.class_summary(p.title, total_seconds(p, Plan.full(p), self.pace), p.focus)
                for p in self.library]


def compact(practice: Practice, plan: Plan) -> Plan | None:
    return None if plan == Plan.full(practice) else plan


def play(ctx: Context, start: int | None, *prefix: str, plan: Plan | None = None) -> Outcome:
    """Send the segment that begins at start; the class's closing words follow when it reaches the end."""
    practice, plan = ctx.practice, plan or ctx.plan
    first = at_or_after(practice, plan, start) if start is not None else None
    if first is None:  # past the last step: only the closing is left
        segment, state = None, replace(ctx.state, position=len(practice.steps), segment=(), marks=(), sent_at=None)
        speech, after = spoken(*prefix), None
    else:
        segment = seg.build(practice, plan, first, ctx.state.mode, ctx.pace, prefix=spoken(*prefix))
        state = replace(ctx.state, position=first, segment=segment.steps, marks=segment.marks, sent_at=ctx.now)
        speech, after = segment.speech, next_active(practice, plan, segment.steps[-1])
    state = replace(state, plan=compact(practice, plan), paused_at=None)
    if after is None:
        finished = replace(state, phase=Phase.FINISHED).with_history(practice.id, ctx.now)
        closing = spoken(practice.closing, prompts.finished(practice.title))
        return Outcome(finished, join(speech, closing), end_session=True, segment=segment)
    last = practice.steps[segment.steps[-1]]
    up_next = prompts.up_next(ctx.pose(after)) if practice.steps[after].pose != last.pose else None
    step_mode = ctx.state.mode == seg.STEP
    prompt = prompts.STEP_PROMPT if step_mode else prompts.FLOW_PROMPT
    reprompt = prompts.STEP_REPROMPT if step_mode else prompts.FLOW_REPROMPT
    return Outcome(replace(state, phase=Phase.PRACTISING), join(speech, spoken(up_next, prompt)), spoken(reprompt),
                   segment=segment)


def pause_at(ctx: Context, index: int) -> State:
    """Paused at step index; a pause that was already there keeps the time it began."""
    since = ctx.state.paused_at if ctx.state.phase is Phase.PAUSED and ctx.state.paused_at is not None else ctx.now
    return replace(ctx.state, phase=Phase.PAUSED, position=index, segment=(), marks=(), sent_at=None, paused_at=since)


def in_class(ctx: Context) -> bool:
    return ctx.state.phase in (Phase.PRACTISING, Phase.PAUSED) or ctx.live() is not None


def hold_and_say(ctx: Context, *texts: str) -> Outcome:
    """Answer, keeping the place: a playing segment stops and waits at the step it was in."""
    here = ctx.place()
    if here is None:
        return ctx.say(*texts, reprompt=prompts.CHOOSE_REPROMPT)
    return ctx.say(*texts, prompts.already_paused(ctx.pose(here)), reprompt=prompts.RESUME_REPROMPT,
                   state=pause_at(ctx, here))


def announce(ctx: Context, practice: Practice, plan: Plan, *before: str) -> Outcome:
    texts = prompts.announce(practice.title, total_seconds(practice, plan, ctx.pace), practice.props, practice.intro)
    state = State(phase=Phase.READY, practice=practice.id, plan=compact(practice, plan), mode=ctx.state.mode,
                  history=ctx.state.history)
    return ctx.say(*before, *texts, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT, state=state)


def not_in_class(ctx: Context) -> Outcome:
    if ctx.state.phase is Phase.FINISHED:
        return ctx.say(prompts.FINISHED_ALREADY, reprompt=prompts.CHOOSE_REPROMPT)
    if ctx.state.phase is Phase.READY:
        return ctx.say(prompts.HELP_READY, reprompt=prompts.READY_REPROMPT)
    return ctx.say(prompts.NOT_STARTED, reprompt=prompts.CHOOSE_REPROMPT)



"""Where someone is in their class, derived from the state alone: for status lines, screens and the questions."""
from __future__ import annotations

from dataclasses import dataclass, replace

from skill.practice.context import Context
from skill.practice.model import Library, Plan, Practice, Step
from skill.practice.plan import next_active
from skill.practice.speech import DEFAULT_PACE, Pace
from skill.practice.state import Phase, State, fit
from skill.practice.timing import timing


@dataclass(frozen=True)
class Progress:
    phase: Phase
    title: str | None = None
    step: Step | None = None  # the step being practised, or next to practise
    number: int = 0  # its place among the steps still in the plan, from 1
    total: int = 0
    left_seconds: float = 0.0
    up_next: Step | None = None


def progress(state: State, now: float, library: Library, pace: Pace = DEFAULT_PACE) -> Progress:
    state = fit(state, library)
    pace = pace if state.rate == pace.rate else replace(pace, rate=state.rate)  # as the engine times it
    ctx = Context(state, now, library, pace)
    if ctx.state.practice is None:
        return Progress(ctx.state.phase)
    practice, plan, known = ctx.practice, ctx.plan, ctx.timing
    steps = known.order
    if ctx.state.phase is Phase.READY:
        return Progress(Phase.READY, practice.title, practice.steps[steps[0]], 0, len(steps), known.total)
    here = ctx.place()
    if here is None:
        return Progress(ctx.state.phase, practice.title, None, len(steps), len(steps), 0.0)
    return at_step(ctx.state.phase, practice, plan, here, pace)


def at_step(phase: Phase, practice: Practice, plan: Plan, index: int, pace: Pace) -> Progress:
    """Where the person is at step index (one still in the plan), in phase: its place among the steps, the time
    left from its start, and the step after it."""
    known = timing(practice, plan, pace)
    after = next_active(practice, plan, index)
    return Progress(phase, practice.title, practice.steps[index], known.order.index(index) + 1, len(known.order),
                    known.left_from(index), practice.steps[after] if after is not None else None)

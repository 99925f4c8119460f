"""Segments: the consecutive steps of one response, with the timeline of when each plays."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace

from skill.practice import cues, ssml
from skill.practice.model import Practice
from skill.practice.plan import STEP_TIMES_KEPT, Plan, at_or_after, next_active, timings
from skill.practice.speech import Pace, Speech, durations, join, seconds

STEP = "step"
FLOW = "flow"
MODES = (FLOW, STEP)


@dataclass(frozen=True)
class Segment:
    """The steps of one response and when each starts, in seconds from the start of the response's speech.

    marks has one entry per step plus the end of the last step's hold.
    """

    steps: tuple[int, ...]
    marks: tuple[float, ...]
    speech: Speech

    @property
    def seconds(self) -> float:
        return self.marks[-1] if self.marks else 0.0


def _units(practice: Practice, plan: Plan, start: int) -> Iterator[list[tuple[int, bool]]]:
    """The active steps from start, in stretches that each end at a rest point (or the class's end); made as
    they are asked for, since a segment takes only the first few.

    A rest point belongs to the gap after its step, so when shorter drops a resting step the rest stays in that
    gap. Each step comes with whether its pose is named, as a segment says it: always for the first, then whenever
    the pose changes from the step before (the walk goes from one active step to the next, so that is announces()).
    """
    unit: list[tuple[int, bool]] = []
    index: int | None = at_or_after(practice, plan, start)
    before = None
    steps = practice.steps
    while index is not None:
        step = steps[index]
        unit.append((index, before is None or before.pose.id != step.pose.id))
        before = step
        after = next_active(practice, plan, index)
        if after is None or any(s.rest for s in steps[index:after]):
            yield unit
            unit = []
        index = after
    if unit:
        yield unit


def _cost(practice: Practice, plan: Plan, index: int, announce: bool, pace: Pace) -> tuple[float, int]:
    """A step's seconds and SSML characters as a segment says it, kept with the class's timings."""
    hold = plan.holds[index]
    costs = timings(practice, pace).costs
    found = costs.get((index, hold, announce))
    if found is None:
        if len(costs) >= STEP_TIMES_KEPT:
            costs.clear()
        speech = cues.step_speech(practice.steps[index], hold, announce, pace)
        found = costs[(index, hold, announce)] = (seconds(speech, pace), len(ssml.render(speech)))
    return found


def choose(practice: Practice, plan: Plan, start: int, mode: str, pace: Pace) -> list[int]:
    """Which steps go in the next response: one in step mode; in flow mode whole stretches between rest points,
    as many as fit the budget, and always at least one."""
    return [index for index, _ in _choose(practice, plan, start, mode, pace)]


def _choose(practice: Practice, plan: Plan, start: int, mode: str, pace: Pace) -> list[tuple[int, bool]]:
    """choose(), each step with whether its pose is named."""
    units = _units(practice, plan, start)
    first = next(units, None)
    if first is None:
        return []
    if mode == STEP:
        return first[:1]
    chosen: list[tuple[int, bool]] = []
    spent_seconds = 0.0
    spent_chars = 0
    for unit_number, unit in enumerate(itertools.chain([first], units)):
        cost = [_cost(practice, plan, i, announce, pace) for i, announce in unit]
        unit_seconds = sum(c[0] for c in cost)
        unit_chars = sum(c[1] for c in cost)
        if spent_seconds + unit_seconds <= pace.flow_seconds and spent_chars + unit_chars <= pace.flow_chars:
            chosen.extend(unit)
            spent_seconds += unit_seconds
            spent_chars += unit_chars
            continue
        if unit_number == 0:  # one stretch goes whole, however long; only Alexa's character limit splits it
            for step, (step_seconds, step_chars) in zip(unit, cost, strict=True):
                if chosen and spent_chars + step_chars > pace.flow_chars:
                    break
                chosen.append(step)
                spent_seconds += step_seconds
                spent_chars += step_chars
        break
    return chosen


def build(practice: Practice, plan: Plan, start: int, mode: str, pace: Pace, prefix: Speech = (),
          eased: frozenset[int] = frozenset()) -> Segment:
    """The next response's steps after prefix, with the timeline measured on the same speech; the steps in eased
    are said their easier way, where they have one."""
    speech = prefix
    steps = _choose(practice, plan, start, mode, pace)
    marks: list[float] = []
    played = durations(prefix, pace)  # each part's time so far: summed, it is seconds(speech), in the same order
    for index, announce in steps:
        step = practice.steps[index]
        if index in eased and step.easier:
            step = replace(step, cue=step.easier, options=())
            step_seconds = seconds(cues.step_speech(step, plan.holds[index], announce, pace), pace)
        else:
            step_seconds = _cost(practice, plan, index, announce, pace)[0]
        step_speech = cues.step_speech(step, plan.holds[index], announce, pace)
        before = len(speech)
        speech = join(speech, step_speech)  # the speech so far, then perhaps a beat, then the step
        played += durations(speech[before:], pace)
        marks.append(sum(played) - step_seconds)
    marks.append(sum(played))
    return Segment(tuple(index for index, _ in steps), tuple(round(m, 1) for m in marks), speech)


def playing(steps: tuple[int, ...], marks: tuple[float, ...], elapsed: float) -> int | None:
    """The step that was playing elapsed seconds after the segment was sent; None once it has all played."""
    if not steps or elapsed >= marks[-1]:
        return None
    for index, end in zip(steps, marks[1:], strict=True):
        if elapsed < end:
            return index
    return None  # pragma: no cover - the loop always returns when elapsed < marks[-1]

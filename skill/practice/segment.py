"""Segments: the consecutive steps of one response, with the timeline of when each plays."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace

from skill.practice.model import Practice
from skill.practice.plan import Plan, at_or_after, next_active
from skill.practice.speech import BEAT, Pace, Say, Silence, Speech, durations
from skill.practice.timing import Said, Timing, said, timing

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


def _units(practice: Practice, plan: Plan, start: int) -> Iterator[list[int]]:
    """The active steps from start, in stretches that each end at a rest point (or the class's end); made as
    they are asked for, since a segment takes only the first few.

    A rest point belongs to the gap after its step, so when shorter drops a resting step the rest stays in that
    gap.
    """
    unit: list[int] = []
    index: int | None = at_or_after(practice, plan, start)
    steps = practice.steps
    while index is not None:
        unit.append(index)
        after = next_active(practice, plan, index)
        if after is None or any(s.rest for s in steps[index:after]):
            yield unit
            unit = []
        index = after
    if unit:
        yield unit


def choose(practice: Practice, plan: Plan, start: int, mode: str, pace: Pace) -> list[int]:
    """Which steps go in the next response: one in step mode; in flow mode whole stretches between rest points,
    as many as fit the budget, and always at least one."""
    return [index for index, _ in _choose(practice, plan, start, mode, pace)]


def _choose(practice: Practice, plan: Plan, start: int, mode: str, pace: Pace) -> list[tuple[int, bool]]:
    """choose(), each step with whether the segment names its pose: first, then wherever the pose changes."""
    known = timing(practice, plan, pace)
    units = _units(practice, plan, start)
    first = next(units, None)
    if first is None:
        return []
    if mode == STEP:
        return [(first[0], True)]
    chosen: list[tuple[int, bool]] = []
    spent_seconds = 0.0
    spent_chars = 0
    for unit_number, unit in enumerate(itertools.chain([first], units)):
        named = [(index, known.named[index] or index == first[0]) for index in unit]
        cost = [_said(practice, plan, known, index, name, pace) for index, name in named]
        unit_seconds = sum(c.seconds for c in cost)
        unit_chars = sum(c.chars for c in cost)
        if spent_seconds + unit_seconds <= pace.flow_seconds and spent_chars + unit_chars <= pace.flow_chars:
            chosen.extend(named)
            spent_seconds += unit_seconds
            spent_chars += unit_chars
            continue
        if unit_number == 0:  # one stretch goes whole, however long; only Alexa's character limit splits it
            for step, step_said in zip(named, cost, strict=True):
                if chosen and spent_chars + step_said.chars > pace.flow_chars:
                    break
                chosen.append(step)
                spent_seconds += step_said.seconds
                spent_chars += step_said.chars
        break
    return chosen


def _said(practice: Practice, plan: Plan, known: Timing, index: int, named: bool, pace: Pace) -> Said:
    """A step as the segment says it: as the class's timing has it, unless the segment names a pose it would not."""
    if named == known.named[index]:
        return known.steps[index]
    return said(practice.steps[index], plan.holds[index], named, pace)


def build(practice: Practice, plan: Plan, start: int, mode: str, pace: Pace, prefix: Speech = (),
          eased: frozenset[int] = frozenset()) -> Segment:
    """The next response's steps after prefix, with the timeline measured on the same speech; the steps in eased
    are said their easier way, where they have one."""
    known = timing(practice, plan, pace)
    speech = list(prefix)  # joined as join() joins: a beat where words would otherwise touch
    steps = _choose(practice, plan, start, mode, pace)
    marks: list[float] = []
    played = durations(prefix, pace)  # each part's time so far: summed, it is seconds(speech), in the same order
    for index, named in steps:
        step = practice.steps[index]
        if index in eased and step.easier:
            step_said = said(replace(step, cue=step.easier, options=()), plan.holds[index], named, pace)
        else:
            step_said = _said(practice, plan, known, index, named, pace)
        if speech and step_said.speech and isinstance(speech[-1], Say) and isinstance(step_said.speech[0], Say):
            speech.append(Silence(BEAT))
            played.append(BEAT)
        speech += step_said.speech
        played += step_said.durations
        marks.append(sum(played) - step_said.seconds)
    marks.append(sum(played))
    return Segment(tuple(index for index, _ in steps), tuple(round(m, 1) for m in marks), tuple(speech))


def playing(steps: tuple[int, ...], marks: tuple[float, ...], elapsed: float) -> int | None:
    """The step that was playing elapsed seconds after the segment was sent; None once it has all played."""
    if not steps or elapsed >= marks[-1]:
        return None
    for index, end in zip(steps, marks[1:], strict=True):
        if elapsed < end:
            return index
    return None  # pragma: no cover - the loop always returns when elapsed < marks[-1]

"""Segments: the consecutive steps of one response, with the timeline of when each plays."""
from __future__ import annotations

from dataclasses import dataclass

from skill.practice import cues, ssml
from skill.practice.model import Practice
from skill.practice.plan import Plan, announces, at_or_after, next_active
from skill.practice.speech import Pace, Speech, join, seconds

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


def _units(practice: Practice, plan: Plan, start: int) -> list[list[int]]:
    """The active steps from start, grouped by the unit (top-level step or block side) they belong to."""
    units: list[list[int]] = []
    index: int | None = at_or_after(practice, plan, start)
    while index is not None:
        if units and practice.steps[units[-1][-1]].unit == practice.steps[index].unit:
            units[-1].append(index)
        else:
            units.append([index])
        index = next_active(practice, plan, index)
    return units


def _step_speech(practice: Practice, plan: Plan, index: int, first: bool, pace: Pace) -> Speech:
    step = practice.steps[index]
    return cues.step_speech(step, plan.holds[index], first or announces(practice, plan, index), pace)


def choose(practice: Practice, plan: Plan, start: int, mode: str, pace: Pace) -> list[int]:
    """Which steps go in the next response: one in step mode; in flow mode whole units up to the budget."""
    units = _units(practice, plan, start)
    if not units:
        return []
    if mode == STEP:
        return units[0][:1]
    chosen: list[int] = []
    spent_seconds = 0.0
    spent_chars = 0
    for unit_number, unit in enumerate(units):
        cost = [
            (seconds(sp, pace), len(ssml.render(sp)))
            for sp in (_step_speech(practice, plan, i, not chosen and k == 0, pace) for k, i in enumerate(unit))
        ]
        unit_seconds = sum(c[0] for c in cost)
        unit_chars = sum(c[1] for c in cost)
        if spent_seconds + unit_seconds <= pace.flow_seconds and spent_chars + unit_chars <= pace.flow_chars:
            chosen.extend(unit)
            spent_seconds += unit_seconds
            spent_chars += unit_chars
            continue
        if unit_number == 0:  # a unit too long for one response is split between its steps
            for index, (step_seconds, step_chars) in zip(unit, cost, strict=True):
                over = spent_seconds + step_seconds > pace.flow_seconds or spent_chars + step_chars > pace.flow_chars
                if chosen and over:
                    break
                chosen.append(index)
                spent_seconds += step_seconds
                spent_chars += step_chars
        break
    return chosen


def build(practice: Practice, plan: Plan, start: int, mode: str, pace: Pace, prefix: Speech = ()) -> Segment:
    """The next response's steps after prefix, with the timeline measured on the same speech."""
    speech = prefix
    steps = choose(practice, plan, start, mode, pace)
    marks: list[float] = []
    for k, index in enumerate(steps):
        step_speech = _step_speech(practice, plan, index, k == 0, pace)
        speech = join(speech, step_speech)
        marks.append(seconds(speech, pace) - seconds(step_speech, pace))
    marks.append(seconds(speech, pace))
    return Segment(tuple(steps), tuple(round(m, 1) for m in marks), speech)


def playing(steps: tuple[int, ...], marks: tuple[float, ...], elapsed: float) -> int | None:
    """The step that was playing elapsed seconds after the segment was sent; None once it has all played."""
    if not steps or elapsed >= marks[-1]:
        return None
    for index, end in zip(steps, marks[1:], strict=True):
        if elapsed < end:
            return index
    return None  # pragma: no cover - the loop always returns when elapsed < marks[-1]

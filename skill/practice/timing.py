"""A class's timing as plain data, worked out once for each (class, plan, pace) and read by everything else.

Time left, fitting a class to minutes (plan.py), segments and their budgets (segment.py), a screen's progress
(view.py), an audio player's streams (playback.py) and a recording's chapters (recording.py) all read one
`Timing`. Measured audio durations come in with the pace (`Pace.measured`, through `speech.part_seconds`), so a
class timed by its rendered audio lands in the same figures.

Two caches, each keyed by value: one step as said (what trimming asks for over and over), and one class's timing
under one plan at one pace (what every request of a person's class asks for).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from skill.practice import cues, prompts, ssml
from skill.practice.model import Plan, Practice, Step
from skill.practice.speech import Pace, Speech, durations, seconds, spoken

STEPS_KEPT = 16_384  # steps as said, one per (step, hold, pose named or not, pace); as many as cues.py kept before
PLANS_KEPT = 512  # timings: one per (class, plan, pace); a shortened plan is one person's


@dataclass(frozen=True)
class Said:
    """One step as said at one hold: its speech, its playing time, the length of its SSML on its own, and each
    part's playing time (which sum, in order, to its playing time)."""

    speech: Speech
    seconds: float
    chars: int
    durations: tuple[float, ...]


@lru_cache(maxsize=STEPS_KEPT)
def said(step: Step, hold: int, named: bool, pace: Pace) -> Said:
    """A step at a hold, its pose named or not: the one place a step's speech is made and measured."""
    speech = cues.step_speech(step, hold, named, pace)
    parts = tuple(durations(speech, pace))
    return Said(speech, sum(parts), len(ssml.render(speech)), parts)


def named_poses(practice: Practice, skipped: frozenset[int]) -> tuple[bool, ...]:
    """For each step, whether its pose's name is said: when its pose is not the pose of the step before it that
    is still in the plan (so always for the first), and after a rest point, where a response may end and the next
    begin (segment.py's stretches). A step left out is answered as if it were put back."""
    named: list[bool] = []
    last: str | None = None
    for step in practice.steps:
        pose = step.pose.id
        named.append(pose != last)
        if step.index not in skipped:
            last = pose
        if step.rest:  # the rest belongs to the gap after its step, kept there when the step is dropped
            last = None
    return tuple(named)


@dataclass(frozen=True)
class Timing:
    """A class under one plan at one pace: each step as said, and the seconds left from each step to the end."""

    order: tuple[int, ...]  # the steps still in the plan, in order
    named: tuple[bool, ...]  # per step: whether its pose is named (named_poses)
    steps: tuple[Said, ...]  # per step: as said at its hold in the plan
    left: tuple[float, ...]  # per step, then one past the last: seconds from its start to the end of the closing
    opening: float  # choosing the class: its name, the props, the intro and the prompt to begin
    closing: float  # the last words: the class is finished, then the teacher's closing

    @property
    def total(self) -> float:
        """The whole class: the opening, every step in the plan, and the closing."""
        return self.opening + self.left[0]

    def left_from(self, start: int) -> float:
        """From step start (inclusive) to the end of the closing words."""
        return self.left[min(max(start, 0), len(self.left) - 1)]

    def seconds(self, index: int) -> float:
        return self.steps[index].seconds


def opening_speech(practice: Practice) -> Speech:
    parts = prompts.announce(practice.title, practice.minutes * 60, practice.props, practice.intro)
    return spoken(*parts, prompts.READY_PROMPT)


def closing_speech(practice: Practice) -> Speech:
    return spoken(prompts.finished(practice.title), practice.closing)


@lru_cache(maxsize=PLANS_KEPT)
def timing(practice: Practice, plan: Plan, pace: Pace) -> Timing:
    """The class's timing under plan at pace; each time left is summed from its step on, in order, as a person's
    time left always has been, so no figure said changes by a rounding."""
    named = named_poses(practice, plan.skipped)
    steps = tuple(said(step, plan.holds[step.index], named[step.index], pace) for step in practice.steps)
    order = tuple(step.index for step in practice.steps if step.index not in plan.skipped)
    times = [steps[index].seconds for index in order]
    closing = seconds(closing_speech(practice), pace)
    left, k = [], 0
    for index in range(len(practice.steps) + 1):
        while k < len(order) and order[k] < index:
            k += 1
        left.append(sum(times[k:]) + closing)
    return Timing(order, named, steps, tuple(left), seconds(opening_speech(practice), pace), closing)

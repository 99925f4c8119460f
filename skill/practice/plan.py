"""How long a class takes, and "shorter": shrink holds toward their floors, then drop optional steps."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from skill.practice import cues, prompts
from skill.practice.model import Practice
from skill.practice.speech import Pace, Speech, seconds, spoken


@dataclass(frozen=True)
class Plan:
    """The holds in force and the steps left out; the whole class as written unless shortened."""

    holds: tuple[int, ...]
    skipped: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def full(cls, practice: Practice) -> Plan:
        return cls(tuple(step.hold for step in practice.steps))

    def fits(self, practice: Practice) -> bool:
        """Whether this plan still matches the class (it may have been edited since)."""
        n = len(practice.steps)
        return len(self.holds) == n and all(0 <= i < n for i in self.skipped)


def active(practice: Practice, plan: Plan) -> list[int]:
    return [step.index for step in practice.steps if step.index not in plan.skipped]


def next_active(practice: Practice, plan: Plan, index: int) -> int | None:
    return next((i for i in range(index + 1, len(practice.steps)) if i not in plan.skipped), None)


def previous_active(practice: Practice, plan: Plan, index: int) -> int | None:
    return next((i for i in range(index - 1, -1, -1) if i not in plan.skipped), None)


def at_or_after(practice: Practice, plan: Plan, index: int) -> int | None:
    """The first step still in the plan from index on (index itself may have been dropped)."""
    return index if index not in plan.skipped and index < len(practice.steps) else next_active(practice, plan, index)


def announces(practice: Practice, plan: Plan, index: int) -> bool:
    """The pose's name is said when the pose changes from the step before."""
    before = previous_active(practice, plan, index)
    return before is None or practice.steps[before].pose.id != practice.steps[index].pose.id


def step_seconds(practice: Practice, plan: Plan, index: int, pace: Pace) -> float:
    step = practice.steps[index]
    return _speech_seconds(cues.step_speech(step, plan.holds[index], announces(practice, plan, index), pace), pace)


@lru_cache(maxsize=16384)
def _speech_seconds(speech: Speech, pace: Pace) -> float:
    return seconds(speech, pace)


def opening_seconds(practice: Practice, pace: Pace) -> float:
    """Choosing the class: its name, the props, the intro and the prompt to begin."""
    parts = prompts.announce(practice.title, practice.minutes * 60, practice.props, practice.intro)
    return seconds(spoken(*parts, prompts.READY_PROMPT), pace)


def closing_seconds(practice: Practice, pace: Pace) -> float:
    return seconds(spoken(practice.closing, prompts.finished(practice.title)), pace)


def remaining_seconds(practice: Practice, plan: Plan, start: int, pace: Pace) -> float:
    """From step start (inclusive) to the end of the closing words."""
    steps = sum(step_seconds(practice, plan, i, pace) for i in active(practice, plan) if i >= start)
    return steps + closing_seconds(practice, pace)


def total_seconds(practice: Practice, plan: Plan, pace: Pace) -> float:
    return opening_seconds(practice, pace) + remaining_seconds(practice, plan, 0, pace)


def _scaled(practice: Practice, plan: Plan, start: int, scale: float, drop: frozenset[int]) -> Plan:
    """Holds from start on at floor + scale × (hold - floor), never longer than they already were."""
    holds = list(plan.holds)
    for step in practice.steps[start:]:
        target = round(step.floor + (step.hold - step.floor) * scale)
        holds[step.index] = min(plan.holds[step.index], target)
    return Plan(tuple(holds), plan.skipped | drop)


def droppable_groups(practice: Practice, plan: Plan, start: int) -> dict[str, frozenset[int]]:
    """Optional steps that may go: a group only when none of its sides has been reached yet."""
    groups: dict[str, set[int]] = {}
    for step in practice.steps:
        if step.optional and step.index not in plan.skipped:
            groups.setdefault(step.group, set()).add(step.index)
    return {g: frozenset(ix) for g, ix in groups.items() if min(ix) >= start}


def trim(practice: Practice, plan: Plan, start: int, target_left: float, pace: Pace) -> Plan:
    """The rest of the class from start, fitted to target_left seconds, or as short as it can go.

    Holds shrink first, all by the same share of their room above the floor; optional steps go only when
    holds at their floors are not enough, the longest first. Both sides of a block and the final relaxation
    always stay, and nothing grows longer than it already was.
    """
    def left(candidate: Plan) -> float:
        return remaining_seconds(practice, candidate, start, pace)

    drop: frozenset[int] = frozenset()
    groups = droppable_groups(practice, plan, start)
    by_length = sorted(
        groups.values(), key=lambda ix: -sum(step_seconds(practice, plan, i, pace) for i in ix)
    )
    while left(_scaled(practice, plan, start, 0.0, drop)) > target_left and by_length:
        drop = drop | by_length.pop(0)
    low, high = 0.0, 1.0
    if left(_scaled(practice, plan, start, high, drop)) <= target_left:
        return _scaled(practice, plan, start, high, drop)
    for _ in range(20):
        middle = (low + high) / 2
        if left(_scaled(practice, plan, start, middle, drop)) <= target_left:
            low = middle
        else:
            high = middle
    return _scaled(practice, plan, start, low, drop)

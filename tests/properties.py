"""Properties of a plan that several test files state, judged from the steps a plan keeps (`active`), and a plain
reference for a class's timing: the class played through."""
from __future__ import annotations

from skill.practice import events as ev
from skill.practice.engine import handle
from skill.practice.model import Library, Practice
from skill.practice.plan import Plan, active
from skill.practice.speech import Pace, seconds
from skill.practice.state import Phase, State


def sided_groups(practice: Practice) -> list[list[int]]:
    """The steps done once per side (a block's step on the right, then on the left), as lists of step indexes."""
    groups: dict[str, list[int]] = {}
    for step in practice.steps:
        if step.side:
            groups.setdefault(step.group, []).append(step.index)
    return [members for members in groups.values() if len(members) > 1]


def sides_whole(practice: Practice, plan: Plan) -> list[int]:
    """A pose done on several sides is in the plan on all of them or on none: the steps that break this."""
    kept = set(active(practice, plan))
    return [i for members in sided_groups(practice) if 0 < len(kept & set(members)) < len(members)
            for i in members if i not in kept]


def sides_followed_through(practice: Practice, before: Plan, after: Plan, place: int) -> list[int]:
    """A pose already done on one side (a step of the plan before `place`) is still done on every side ahead.

    before is the plan the person practised by, after the plan from now on, place the step they are at (steps
    before it are done). Returns the steps ahead that after dropped although a side of their pose was done."""
    was, now = set(active(practice, before)), set(active(practice, after))
    dropped = []
    for members in sided_groups(practice):
        if any(i in was and i < place for i in members):
            dropped += [i for i in members if i >= place and i in was and i not in now]
    return dropped


def known(library: Library, class_id: str | None) -> Practice:
    """The class with this id, which the test knows is there (Library.get says None for an unknown one)."""
    practice = library.get(class_id)
    assert practice is not None, f"no class {class_id!r}"
    return practice


def played_through(library: Library, class_id: str, pace: Pace | None = None) -> tuple[float, dict[int, float]]:
    """A plain reference for time left: the opening words' length, and the time left from each step to the end,
    summed from what the engine plays when the class is followed through in flow mode (each step's length between
    its segment's marks, then the closing words after the last segment's last hold)."""
    pace = pace or Pace()
    outcome = handle(State(), ev.Start(practice=class_id), 0, library, pace)
    opening, now, lengths, closing = seconds(outcome.speech, pace), 0.0, {}, 0.0
    for event in [ev.Next()] + [ev.Resume()] * 200:
        now += seconds(outcome.speech, pace) + 2
        outcome = handle(outcome.state, event, now, library, pace)
        if outcome.segment is not None:
            marks = outcome.segment.marks
            lengths.update({step: marks[k + 1] - marks[k] for k, step in enumerate(outcome.segment.steps)})
            closing = seconds(outcome.speech, pace) - marks[-1]
        if outcome.state.phase is Phase.FINISHED:
            break
    assert outcome.state.phase is Phase.FINISHED
    left = {step: sum(length for later, length in lengths.items() if later >= step) + closing for step in lengths}
    return opening, left

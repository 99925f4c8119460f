"""Properties of a plan that several test files state, judged from the steps a plan keeps (`active`)."""
from __future__ import annotations

from skill.practice.model import Library, Practice
from skill.practice.plan import Plan, active


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

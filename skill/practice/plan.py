"""Plans: the steps still in a class and their holds, how long it takes, and "shorter": shrink holds toward their
floors, then drop optional steps. Every figure of time comes from the class's one Timing (timing.py)."""
from __future__ import annotations

from collections.abc import Callable

from skill.practice.model import Plan as Plan  # a plan is plain data kept with the class's model; named here too
from skill.practice.model import Practice, Step
from skill.practice.speech import Pace
from skill.practice.timing import named_poses, said, timing


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
    """Whether the pose's name is said at this step (timing.named_poses: a new pose, or after a rest point)."""
    return named_poses(practice, plan.skipped)[index]


def remaining_seconds(practice: Practice, plan: Plan, start: int, pace: Pace) -> float:
    """From step start (inclusive) to the end of the closing words."""
    return timing(practice, plan, pace).left_from(start)


def total_seconds(practice: Practice, plan: Plan, pace: Pace) -> float:
    return timing(practice, plan, pace).total


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


Fit = tuple[list[int], list[float]]  # a candidate plan from start on: each step's hold, and its seconds
# A step from start on, with what trim needs to work out its hold: the step, its floor, its room above the floor,
# its hold now, whether its pose is named, and its seconds at each hold tried so far in this trim.
Row = tuple[Step, int, int, int, bool, dict[int, float]]


def _rows(practice: Practice, plan: Plan, start: int, drop: frozenset[int],
          tried: dict[tuple[int, bool], dict[int, float]]) -> list[Row]:
    """Each step from start that stays when drop goes too; tried holds each (step, named)'s seconds by hold."""
    skipped = plan.skipped | drop
    named = named_poses(practice, skipped)
    return [(step, step.floor, step.hold - step.floor, plan.holds[step.index], named[step.index],
             tried.setdefault((step.index, named[step.index]), {}))
            for step in practice.steps[start:] if step.index not in skipped]


def _least(practice: Practice, plan: Plan, start: int, drop: frozenset[int],
           tried: dict[tuple[int, bool], dict[int, float]], pace: Pace) -> list[float]:
    """The seconds of _fit(_rows(practice, plan, start, drop, tried), 0.0, pace), each step at its least hold (its
    floor, or its hold now if that is shorter), without making the rows."""
    skipped = plan.skipped | drop
    named = named_poses(practice, skipped)
    times = []
    for step in practice.steps[start:]:
        if step.index in skipped:
            continue
        hold, name = min(step.floor, plan.holds[step.index]), named[step.index]
        by_hold = tried.setdefault((step.index, name), {})
        time = by_hold.get(hold)
        if time is None:
            time = by_hold[hold] = said(step, hold, name, pace).seconds
        times.append(time)
    return times


def _fit(rows: list[Row], share: float, pace: Pace, like: Fit | None = None, only: list[int] | None = None) -> Fit:
    """The holds and seconds of _scaled(plan, start, share, drop), from its rows; given like (a fit whose holds
    differ only in the rows in only), only those rows are worked out again."""
    holds, times = (list(like[0]), list(like[1])) if like is not None else ([0] * len(rows), [0.0] * len(rows))
    for k in range(len(rows)) if only is None else only:
        step, floor, room, now, named, tried = rows[k]
        hold = round(floor + room * share)
        if hold > now:  # as _scaled makes it: never longer than it already was
            hold = now
        time = tried.get(hold)
        if time is None:
            time = tried[hold] = said(step, hold, named, pace).seconds
        holds[k] = hold
        times[k] = time
    return holds, times


SHARES = 1 << 20  # trim halves [0, 1] 20 times, so every share it tries is a whole number k of 2**-20ths


def _step_up(row: Row, hold: int) -> int:
    """The least k at which a row's hold (before its cap) is hold or more: round(floor + room * k / SHARES) rounds
    half to even, so it is where 2 * room * k passes (2 * (hold - floor) - 1) * SHARES, or meets it for an even
    hold. floor + room * k / SHARES is exact in a float, so this is the float's own answer."""
    _, floor, room, _, _, _ = row
    least, rest = divmod((2 * (hold - floor) - 1) * SHARES, 2 * room)
    return max(least + 1 if rest or hold % 2 else least, 0)


def _edge(rows: list[Row], differ: list[int], below: list[int], above: list[int]) -> float | None:
    """The share at which every row in differ steps up from its hold in below to its hold in above, when each
    steps up by one second and all at the same share; else None. Checked against the rows' own holds at it and
    just below it, as _fit makes them."""
    if not differ or any(above[n] != below[n] + 1 for n in differ):
        return None
    edges = {_step_up(rows[n], above[n]) for n in differ}
    if len(edges) != 1:
        return None
    edge = edges.pop()
    for n in differ:
        _, floor, room, now, _, _ = rows[n]
        if min(round(floor + room * ((edge - 1) / SHARES)), now) != below[n] or \
                min(round(floor + room * (edge / SHARES)), now) != above[n]:
            return None
    return edge / SHARES


def _halved(rows: list[Row], below: Fit, above: Fit, fits: Callable[[list[float]], bool], pace: Pace) -> float:
    """The share trim settles on: [0, 1] halved 20 times, keeping the lower half where the middle's fit fits.

    Holds only grow with the share, so a step whose hold is the same at both ends of the range has that hold in
    between too: only the steps that still differ are worked out again. Once every step that still differs steps
    up by one second at one and the same share (edge), a middle below the edge has the holds of the low end, and
    one at or above it those of the high end, so each halving left keeps the half it would have kept on the same
    sum, and no step is worked out again.
    """
    low, high, fits_low = 0.0, 1.0, fits(below[1])
    differ = [n for n, (a, b) in enumerate(zip(below[0], above[0], strict=True)) if a != b]
    edge = _edge(rows, differ, below[0], above[0])
    for _ in range(20):
        middle = (low + high) / 2
        if edge is not None:
            if middle < edge and fits_low:
                low = middle
            else:
                high = middle
            continue
        there = _fit(rows, middle, pace, like=below, only=differ)
        if fits(there[1]):
            low, below, fits_low = middle, there, True
            differ = [n for n in differ if there[0][n] != above[0][n]]
        else:
            high, above = middle, there
            differ = [n for n in differ if there[0][n] != below[0][n]]
        edge = _edge(rows, differ, below[0], above[0])
    return low


def trim(practice: Practice, plan: Plan, start: int, target_left: float, pace: Pace) -> Plan:
    """The rest of the class from start, fitted to target_left seconds, or as short as it can go.

    Holds shrink first, all by the same share of their room above the floor; optional steps go only when
    holds at their floors are not enough, the longest first. Both sides of a block and the final relaxation
    always stay, and nothing grows longer than it already was. A fit's seconds left are summed in the order
    remaining_seconds sums them, so every comparison comes out as it would on the plan itself.
    """
    current = timing(practice, plan, pace)
    closing = current.closing
    groups = droppable_groups(practice, plan, start)
    by_length = sorted(groups.values(), key=lambda ix: -sum(current.seconds(i) for i in ix))
    drop: frozenset[int] = frozenset()
    tried: dict[tuple[int, bool], dict[int, float]] = {}  # seconds by hold, for this call only

    def fits(times: list[float]) -> bool:
        return sum(times) + closing <= target_left

    rows = _rows(practice, plan, start, drop, tried)
    below = _fit(rows, 0.0, pace)
    if not fits(below[1]) and by_length:
        while by_length:
            drop = drop | by_length.pop(0)
            if fits(_least(practice, plan, start, drop, tried, pace)):
                break
        rows = _rows(practice, plan, start, drop, tried)
        below = _fit(rows, 0.0, pace)
    above = _fit(rows, 1.0, pace) if drop or any(row[3] > row[0].hold for row in rows) else \
        ([row[3] for row in rows], [current.seconds(row[0].index) for row in rows])  # the plan's own holds
    if fits(above[1]):
        return _scaled(practice, plan, start, 1.0, drop)
    return _scaled(practice, plan, start, _halved(rows, below, above, fits, pace), drop)


def for_minutes(practice: Practice, minutes: int, pace: Pace) -> Plan:
    """The class fitted to about minutes in all, opening included, or as short as it can go."""
    return trim(practice, practice.written, 0, minutes * 60 - timing(practice, practice.written, pace).opening, pace)


def shortest_seconds(practice: Practice, pace: Pace) -> float:
    """The class at its shortest: every hold at its floor, every optional step dropped."""
    return timing(practice, trim(practice, practice.written, 0, 0.0, pace), pace).total
MAX_HOLD_SCALE = 2.0  # "make it longer" holds each pose at most twice as long as written
HOLD_CAP = 5 * 60  # and no hold beyond five minutes, unless written so


def longer_plan(practice: Practice, plan: Plan, start: int, scale: float) -> Plan:
    """Holds from start on at scale times as written (never shorter than they are now), within the limits."""
    if scale <= 1.0:
        return plan
    scale = min(scale, MAX_HOLD_SCALE)
    holds = list(plan.holds)
    for step in practice.steps[start:]:
        grown = min(round(step.hold * scale), max(HOLD_CAP, step.hold))
        holds[step.index] = max(holds[step.index], grown)
    return Plan(tuple(holds), plan.skipped)


def pose_numbers(practice: Practice, plan: Plan) -> tuple[dict[int, int], int]:
    """Each active step's pose number (from 1), and how many poses: steps of one pose on one side count once."""
    numbers: dict[int, int] = {}
    count, last = 0, None
    for index in active(practice, plan):
        step = practice.steps[index]
        if (step.pose.id, step.side) != last:
            count, last = count + 1, (step.pose.id, step.side)
        numbers[index] = count
    return numbers, count

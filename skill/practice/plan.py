"""How long a class takes, and "shorter": shrink holds toward their floors, then drop optional steps."""
from __future__ import annotations

from dataclasses import dataclass, field

from skill.practice import cues, prompts
from skill.practice.model import Practice
from skill.practice.speech import Pace, seconds, spoken

PLANS_KEPT = 64  # plans whose step times each class keeps at each pace (a shortened plan is one person's)
STEP_TIMES_KEPT = 50_000  # (step, hold, announced) timings kept per class and pace; bounded by the holds possible
_FULL = "full plan"  # where a class keeps its full plan in its memo; its timings are kept under each Pace
_LAST = "last pace"  # and the Pace last asked about, with its timings


@dataclass(frozen=True)
class Plan:
    """The holds in force and the steps left out; the whole class as written unless shortened."""

    holds: tuple[int, ...]
    skipped: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def full(cls, practice: Practice) -> Plan:
        """The class as written; made once per class, since nearly every request asks for it."""
        plan = practice.memo.get(_FULL)
        if plan is None:
            plan = practice.memo[_FULL] = cls(tuple(step.hold for step in practice.steps))
        return plan

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


class _Timings:
    """One class's timings at one pace, worked out once each: a step's seconds by (index, hold, announced), the
    opening and closing, and for the last few plans asked about, each step's seconds and the seconds left from a
    step. Every figure is what the plain computation gives, summed in the same order, so nothing said changes."""

    def __init__(self) -> None:
        self.steps: dict[tuple[int, int, bool], float] = {}
        self.costs: dict[tuple[int, int, bool], tuple[float, int]] = {}  # segment.py: seconds and SSML characters
        self.plans: dict[Plan, tuple[list[tuple[int, float]], dict[int, float]]] = {}
        self.opening: float | None = None
        self.closing: float | None = None


def timings(practice: Practice, pace: Pace) -> _Timings:
    """The class's timings at this pace, kept in the class's memo (a race only works one out twice)."""
    last = practice.memo.get(_LAST)
    if last is not None and last[0] is pace:  # the same Pace object as last time: no hashing, no comparing
        return last[1]
    found = practice.memo.get(pace)
    if found is None:
        found = practice.memo[pace] = _Timings()
    practice.memo[_LAST] = (pace, found)
    return found


def _step_time(practice: Practice, kept: _Timings, index: int, hold: int, announce: bool, pace: Pace) -> float:
    key = (index, hold, announce)
    found = kept.steps.get(key)
    if found is None:
        if len(kept.steps) >= STEP_TIMES_KEPT:
            kept.steps.clear()
        found = kept.steps[key] = seconds(cues.step_speech(practice.steps[index], hold, announce, pace), pace)
    return found


def step_seconds(practice: Practice, plan: Plan, index: int, pace: Pace) -> float:
    return _step_time(practice, timings(practice, pace), index, plan.holds[index],
                      announces(practice, plan, index), pace)


def _step_times(practice: Practice, plan: Plan, start: int, pace: Pace) -> list[tuple[int, float]]:
    """(index, seconds) of each step still in plan from start on, in order: one pass, where the pose's name is
    said exactly as announces() says."""
    kept = timings(practice, pace)
    begin = min(max(start, 0), len(practice.steps))
    before = previous_active(practice, plan, begin)
    last = practice.steps[before].pose.id if before is not None else None
    holds, skipped = plan.holds, plan.skipped
    times = []
    for step in practice.steps[begin:]:
        if step.index in skipped:
            continue
        pose = step.pose.id
        times.append((step.index, _step_time(practice, kept, step.index, holds[step.index], last != pose, pace)))
        last = pose
    return times


def opening_seconds(practice: Practice, pace: Pace) -> float:
    """Choosing the class: its name, the props, the intro and the prompt to begin."""
    kept = timings(practice, pace)
    if kept.opening is None:
        parts = prompts.announce(practice.title, practice.minutes * 60, practice.props, practice.intro)
        kept.opening = seconds(spoken(*parts, prompts.READY_PROMPT), pace)
    return kept.opening


def closing_seconds(practice: Practice, pace: Pace) -> float:
    kept = timings(practice, pace)
    if kept.closing is None:
        kept.closing = seconds(spoken(prompts.finished(practice.title), practice.closing), pace)
    return kept.closing


def remaining_seconds(practice: Practice, plan: Plan, start: int, pace: Pace) -> float:
    """From step start (inclusive) to the end of the closing words."""
    kept = timings(practice, pace)
    times_left = kept.plans.get(plan)
    if times_left is None:
        if len(kept.plans) >= PLANS_KEPT:
            kept.plans.clear()
        times_left = kept.plans[plan] = (_step_times(practice, plan, 0, pace), {})
    times, left = times_left
    found = left.get(start)
    if found is None:
        steps = sum(step for index, step in times if index >= start)
        found = left[start] = steps + closing_seconds(practice, pace)
    return found


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
    left = _Candidates(practice, plan, start, pace)
    drop: frozenset[int] = frozenset()
    groups = droppable_groups(practice, plan, start)
    by_length = sorted(
        groups.values(), key=lambda ix: -sum(step_seconds(practice, plan, i, pace) for i in ix)
    )
    while left.seconds(left.at(0.0, drop)) > target_left and by_length:
        drop = drop | by_length.pop(0)
    low, high = 0.0, 1.0
    below, above = left.at(low, drop), left.at(high, drop)
    if left.seconds(above) <= target_left:
        return _scaled(practice, plan, start, high, drop)
    # Halve the share 20 times. Holds only grow with the share, so a step whose hold is the same at both ends of
    # the range has that hold in between too: only the steps that still differ are worked out again.
    differ = [k for k, (a, b) in enumerate(zip(below[0], above[0], strict=True)) if a != b]
    for _ in range(20):
        middle = (low + high) / 2
        there = left.at(middle, drop, like=below, only=differ)
        if left.seconds(there) <= target_left:
            low, below = middle, there
            differ = [k for k in differ if there[0][k] != above[0][k]]
        else:
            high, above = middle, there
            differ = [k for k in differ if there[0][k] != below[0][k]]
    return _scaled(practice, plan, start, low, drop)


Candidate = tuple[list[int], list[float]]  # each step's hold, and its seconds, from start on


class _Candidates:
    """trim's candidate plans, _scaled(plan, start, share, drop), as the holds and seconds of the steps from
    start on: worked out without making each plan or keeping its figures in the class's timings. Their seconds
    left are summed in the same order as remaining_seconds sums them, so every comparison comes out the same.

    start is a step index (0 or more), as everywhere trim is called.
    """

    def __init__(self, practice: Practice, plan: Plan, start: int, pace: Pace) -> None:
        self.practice, self.plan, self.start, self.pace = practice, plan, start, pace
        self.kept = timings(practice, pace)
        self.closing = closing_seconds(practice, pace)
        self._rows: dict[frozenset[int], list[tuple[int, int, int, int, bool]]] = {}
        self._seen: dict[tuple[float, frozenset[int]], Candidate] = {}

    def rows(self, drop: frozenset[int]) -> list[tuple[int, int, int, int, bool]]:
        """(index, floor, room above it, hold now, announced) of each step left from start when drop goes."""
        found = self._rows.get(drop)
        if found is None:
            practice, plan = self.practice, self.plan
            skipped = plan.skipped | drop
            begin = min(self.start, len(practice.steps))
            before = previous_active(practice, Plan(plan.holds, skipped), begin)
            last = practice.steps[before].pose.id if before is not None else None
            found = []
            for step in practice.steps[begin:]:
                if step.index in skipped:
                    continue
                pose = step.pose.id
                found.append((step.index, step.floor, step.hold - step.floor, plan.holds[step.index], last != pose))
                last = pose
            self._rows[drop] = found
        return found

    def at(self, share: float, drop: frozenset[int], like: Candidate | None = None,
           only: list[int] | None = None) -> Candidate:
        """The candidate at this share; given like, only the rows in only are worked out, the rest copied."""
        found = self._seen.get((share, drop))
        if found is not None:
            return found
        rows = self.rows(drop)
        if like is None or only is None:
            holds, times = [0] * len(rows), [0.0] * len(rows)
            only = range(len(rows))  # type: ignore[assignment]
        else:
            holds, times = list(like[0]), list(like[1])
        get = self.kept.steps.get
        for k in only:
            index, floor, room, now, announce = rows[k]
            hold = min(now, round(floor + room * share))  # as _scaled makes it
            time = get((index, hold, announce))
            if time is None:
                time = _step_time(self.practice, self.kept, index, hold, announce, self.pace)
            holds[k], times[k] = hold, time
        found = self._seen[(share, drop)] = (holds, times)
        return found

    def seconds(self, candidate: Candidate) -> float:
        """remaining_seconds of the candidate from start."""
        return sum(candidate[1]) + self.closing


def for_minutes(practice: Practice, minutes: int, pace: Pace) -> Plan:
    """The class fitted to about minutes in all, opening included, or as short as it can go."""
    full = Plan.full(practice)
    return trim(practice, full, 0, minutes * 60 - opening_seconds(practice, pace), pace)


def shortest_seconds(practice: Practice, pace: Pace) -> float:
    """The class at its shortest: every hold at its floor, every optional step dropped."""
    return opening_seconds(practice, pace) + remaining_seconds(practice, trim(practice, Plan.full(practice), 0, 0.0,
                                                                              pace), 0, pace)
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

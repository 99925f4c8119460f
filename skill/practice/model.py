"""Classes as plain frozen data: what the loader builds and the engine reads."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

SIDES = ("right", "left")
# Where the body is: exactly one per step, so that a change of position can be checked for a spoken transition.
POSITIONS = ("supine", "side", "prone", "all_fours", "kneeling", "standing", "seated", "chair")
# What a step asks of the body, for "my knee hurts" and "go easy on my knees"; positions are tags too.
BODY_TAGS = (*POSITIONS, "floor", "wrists")


def field_values(record: DataclassInstance) -> tuple[object, ...]:
    """A dataclass's values, the fields it is compared by, in order: what dataclasses compares and hashes."""
    return tuple(getattr(record, f.name) for f in fields(record) if f.compare and f.init)


def value_hash(record: DataclassInstance) -> int:
    """A frozen dataclass's hash from the fields it is compared by, as dataclasses makes it.

    Worked out once, when the record is made, by the records that key the timing caches (timing.py): a class is
    hundreds of values, and hashing them again on every look-up would cost more than the look-up saves.
    """
    return hash(field_values(record))


@dataclass(frozen=True)
class Plan:
    """The holds in force and the steps left out; the whole class as written unless shortened."""

    holds: tuple[int, ...]
    skipped: frozenset[int] = field(default_factory=frozenset)
    _hash: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.holds, self.skipped)))

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def full(cls, practice: Practice) -> Plan:
        """The class as written."""
        return practice.written

    def fits(self, practice: Practice) -> bool:
        """Whether this plan still matches the class (it may have been edited since)."""
        n = len(practice.steps)
        return len(self.holds) == n and all(0 <= i < n for i in self.skipped)


@dataclass(frozen=True)
class Pose:
    """One entry of the shared pose catalog."""

    id: str
    name: str
    sanskrit: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def sanskrit_shown(self) -> str | None:
        """The Sanskrit name where it adds to the English one: some poses are known by one name in both."""
        return self.sanskrit if self.sanskrit and self.sanskrit.lower() != self.name.lower() else None


@dataclass(frozen=True)
class Rounds:
    """Movement called on the breath: calls rounds of inhale/exhale at the tempo, then quiet rounds."""

    calls: int
    inhale: tuple[str, ...]  # called in turn, round after round: "right", "left", "right", ...
    exhale: tuple[str, ...]
    quiet: int = 0  # rounds breathed in silence after the calls, which shorter drops first
    floor: int = 1  # the fewest called rounds shorter may leave
    inhale_seconds: float = 4.0
    exhale_seconds: float = 5.0

    def call(self, k: int) -> tuple[str, str]:
        """The inhale and exhale calls of round k (from 0)."""
        return self.inhale[k % len(self.inhale)], self.exhale[k % len(self.exhale)]

    @property
    def breath(self) -> float:
        return self.inhale_seconds + self.exhale_seconds


@dataclass(frozen=True)
class Step:
    """One expanded step: sides are already mirrored and placeholders filled."""

    index: int
    pose: Pose
    cue: str
    hold: int
    floor: int
    options: tuple[str, ...] = ()
    breath: tuple[str, ...] = ()
    optional: bool = False
    final: bool = False
    # A soft chime sounds before this step (the class asks, or it begins the second side): played by the audio
    # layer, never spoken.
    chime: bool = False
    side: str | None = None
    lead_in: str | None = None  # spoken before the pose name: the switch between sides
    unit: int = 0  # a top-level step, or one side of a block: where flow mode likes to pause
    group: str = ""  # the same step on every side shares a group; "shorter" drops whole groups
    label: str = ""  # how errors and the checker name the step, e.g. "14 (low_lunge, left)"
    rounds: Rounds | None = None  # breath-paced movement, spoken inside the hold
    settle: int = 0  # seconds of quiet after the cue, before the first breath call
    reminders: bool = True  # long holds get "halfway", "three more breaths" and "last breath" on their own
    rest: bool = False  # a rest point: flow mode may stop here for "continue"
    easier: str | None = None  # an easier way into this step, where there is one
    body: tuple[str, ...] = ()  # from BODY_TAGS: the position, and what the step asks (kneeling, wrists, floor)
    _hash: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", value_hash(self))

    def __hash__(self) -> int:
        return self._hash

    @property
    def position(self) -> str | None:
        """Where the body is during this step."""
        return next((tag for tag in self.body if tag in POSITIONS), None)


@dataclass(frozen=True, repr=False)
class Practice:
    """A whole class, ready to practise."""

    id: str
    title: str
    minutes: int
    level: str
    focus: tuple[str, ...]
    props: tuple[str, ...]
    intro: str
    closing: str
    steps: tuple[Step, ...]
    aliases: tuple[str, ...] = ()
    source: str = ""
    written: Plan = field(init=False, compare=False, repr=False)  # the class as written: every step, its own hold
    _hash: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "written", Plan(tuple(step.hold for step in self.steps)))
        object.__setattr__(self, "_hash", value_hash(self))

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:  # the whole class would be pages long in a test report
        return f"Practice({self.id!r}, {len(self.steps)} steps)"

    @property
    def final_index(self) -> int:
        """Index of the final relaxation, which shorter never drops."""
        return next(step.index for step in self.steps if step.final)


@dataclass(frozen=True, repr=False)
class Library:
    """Every loaded class, by id, in a stable order."""

    practices: tuple[Practice, ...] = field(default=())
    # The first class with each id, for get(): asked several times in every request.
    _by_id: dict[str, Practice] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Practice] = {}
        for practice in self.practices:
            by_id.setdefault(practice.id, practice)
        object.__setattr__(self, "_by_id", by_id)  # frozen: set once, here

    def __repr__(self) -> str:
        return f"Library({', '.join(p.id for p in self.practices)})"

    def get(self, practice_id: str | None) -> Practice | None:
        return self._by_id.get(practice_id) if isinstance(practice_id, str) else None

    def __iter__(self) -> Iterator[Practice]:
        return iter(self.practices)

    def __len__(self) -> int:
        return len(self.practices)

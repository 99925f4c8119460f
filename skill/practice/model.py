"""Classes as plain frozen data: what the loader builds and the engine reads."""
from __future__ import annotations

from dataclasses import dataclass, field

SIDES = ("right", "left")


@dataclass(frozen=True)
class Pose:
    """One entry of the shared pose catalog."""

    id: str
    name: str
    sanskrit: str | None = None
    aliases: tuple[str, ...] = ()


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
    chime: bool = False  # a soft chime sounds before this step (the class asks, or it begins the second side)
    side: str | None = None
    lead_in: str | None = None  # spoken before the pose name: the switch between sides
    unit: int = 0  # a top-level step, or one side of a block: where flow mode likes to pause
    group: str = ""  # the same step on every side shares a group; "shorter" drops whole groups
    label: str = ""  # how errors and the checker name the step, e.g. "14 (low_lunge, left)"
    easier: str | None = None  # an easier way into the pose, offered when it hurts or when a body part is spared
    body: tuple[str, ...] = ()  # body tags such as kneeling, wrists, prone, standing, floor, seated


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
    # Figures worked out from this class's own values (its full plan, its step timings), kept by plan.py so that
    # each request need not work them out again. Never compared or hashed, and new for every Practice.
    memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)

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

    def __iter__(self):
        return iter(self.practices)

    def __len__(self) -> int:
        return len(self.practices)

"""A person's practice state: small, frozen, and serialisable to a versioned dict any store can keep."""
from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from skill.errors import StateError
from skill.practice.model import Library
from skill.practice.plan import Plan
from skill.practice.segment import MODES

VERSION = 1
HISTORY = 5  # finished classes remembered


class Phase(StrEnum):
    IDLE = "idle"  # no class chosen
    READY = "ready"  # class chosen and props named, not begun
    PRACTISING = "practising"  # a segment was sent and may be playing
    PAUSED = "paused"  # waiting at a step, from a pause, a stop or an ended session
    FINISHED = "finished"  # the last segment was sent


@dataclass(frozen=True)
class State:
    phase: Phase = Phase.IDLE
    practice: str | None = None
    position: int = 0  # the step to resume from when paused; the segment's first step when practising
    segment: tuple[int, ...] = ()  # the steps of the segment last sent
    marks: tuple[float, ...] = ()  # when each of those starts, then the end, in seconds after sent_at
    sent_at: float | None = None  # when that segment was sent
    paused_at: float | None = None
    plan: Plan | None = None  # None: the class as written
    mode: str = "flow"
    history: tuple[tuple[str, int], ...] = ()  # (class id, finished at) of the last few finished classes
    # On a device's audio player (playback.py): when the playback of the queue began (its tokens carry it), the
    # seconds into the step where it stopped, and whether the audio failed (1: not yet said, 2: said).
    playback: float | None = None
    offset: float = 0.0
    audio_failed: int = 0

    def with_history(self, practice_id: str, now: float) -> State:
        return replace(self, history=((practice_id, int(now)),) + self.history[: HISTORY - 1])


def to_dict(state: State) -> dict[str, Any]:
    """A compact JSON-ready record; keys are short because stores keep one per person."""
    record: dict[str, Any] = {"v": VERSION, "ph": state.phase.value, "m": state.mode}
    if state.practice:
        record.update(c=state.practice, p=state.position)
    if state.segment:
        record.update(sg=list(state.segment), mk=list(state.marks), at=state.sent_at)
    if state.paused_at is not None:
        record["pa"] = state.paused_at
    if state.plan is not None:
        record.update(h=list(state.plan.holds), sk=sorted(state.plan.skipped))
    if state.history:
        record["hi"] = [list(item) for item in state.history]
    if state.playback is not None:
        record["pb"] = state.playback
    if state.offset:
        record["of"] = round(state.offset, 3)
    if state.audio_failed:
        record["af"] = state.audio_failed
    return record


def _list(value: Any, name: str) -> list:
    if not isinstance(value, list):
        raise StateError(f"'{name}' should be a list")
    return value


def _ints(value: Any, name: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise StateError(f"'{name}' should be a list of whole numbers")
    return tuple(value)


def _number(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StateError(f"'{name}' should be a number")
    return float(value)


def restore(record: Any, mode: str) -> tuple[State, str | None]:
    """The state a stored record holds (a fresh one in mode when there is none), and why an unreadable record
    was replaced by a fresh start (None when it was read)."""
    if not record:
        return State(mode=mode), None
    try:
        return from_dict(record), None
    except StateError as exc:
        return State(mode=mode), str(exc)


def from_dict(record: Any) -> State:
    """The state a record holds; StateError names what is wrong with a record that cannot be read."""
    if not isinstance(record, dict):
        raise StateError("the record is not a mapping")
    if record.get("v") != VERSION:
        raise StateError(f"record version {record.get('v')!r} is not {VERSION}")
    try:
        phase = Phase(record.get("ph"))
    except ValueError:
        raise StateError(f"unknown phase {record.get('ph')!r}") from None
    mode = record.get("m", "flow")
    if mode not in MODES:
        raise StateError(f"unknown mode {mode!r}")
    practice = record.get("c")
    if practice is not None and not isinstance(practice, str):
        raise StateError("'c' should be a class id")
    position = record.get("p", 0)
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise StateError("'p' should be a step number")
    segment = _ints(record.get("sg", []), "sg")
    marks = tuple(_number(m, "mk") or 0.0 for m in _list(record.get("mk", []), "mk"))
    if segment and len(marks) != len(segment) + 1:
        raise StateError("'mk' should have one mark per step and one for the end")
    plan = None
    if "h" in record:
        plan = Plan(_ints(record["h"], "h"), frozenset(_ints(record.get("sk", []), "sk")))
    history = []
    for item in _list(record.get("hi", []), "hi"):
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], int)):
            raise StateError("'hi' should list [class id, time] pairs")
        history.append((item[0], item[1]))
    if phase is not Phase.IDLE and practice is None:
        raise StateError(f"phase {phase.value} needs a class")
    offset = _number(record.get("of", 0.0), "of") or 0.0
    failed = record.get("af", 0)
    if failed not in (0, 1, 2) or isinstance(failed, bool) or offset < 0:
        raise StateError("'af' should be 0, 1 or 2 and 'of' not negative")
    return State(
        phase=phase, practice=practice, position=position, segment=segment, marks=marks,
        sent_at=_number(record.get("at"), "at"), paused_at=_number(record.get("pa"), "pa"), plan=plan,
        mode=mode, history=tuple(history), playback=_number(record.get("pb"), "pb"), offset=offset,
        audio_failed=failed,
    )


def fit(state: State, library: Library) -> State:
    """A stored state made safe for the classes as they are now (a class may have been edited or removed)."""
    practice = library.get(state.practice)
    if practice is None:
        return State(mode=state.mode, history=state.history) if state.practice else state
    n = len(practice.steps)
    plan = state.plan if state.plan is None or state.plan.fits(practice) else None
    marks_expected = len(state.segment) + 1 if state.segment else 0
    if any(not 0 <= i < n for i in state.segment) or len(state.marks) != marks_expected:
        state = replace(state, segment=(), marks=(), sent_at=None)
    position = min(state.position, n if state.phase is Phase.FINISHED else n - 1)
    if state.phase is Phase.PRACTISING and not state.segment:
        return replace(state, phase=Phase.PAUSED, position=position, plan=plan)
    if position == state.position and plan is state.plan:
        return state  # already fits, as nearly every state does: no copy
    return replace(state, position=position, plan=plan)

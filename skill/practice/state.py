"""A person's practice state: small, frozen, and serialisable to a versioned dict any store can keep."""
from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from skill.errors import StateError
from skill.practice.model import Library
from skill.practice.plan import Plan
from skill.practice.segment import MODES

VERSION = 1  # fields added since (ee, lb, r, hs, mi, pd, ez, sp) are optional, so version 1 records still load
RATE_RANGE = (0.8, 1.25)
MAX_HOLD_SCALE = 2.0
HISTORY = 10  # finished classes remembered: enough to count a week of practice
LEFT_BY = ("pause", "stop", "timeout", "device")  # how a paused class was left: said back in the welcome
# ("device": its audio player reported the stream stopped, as it does when someone speaks to Alexa)


class Phase(StrEnum):
    IDLE = "idle"  # no class chosen
    READY = "ready"  # class chosen and props named, not begun
    PRACTISING = "practising"  # a segment was sent and may be playing
    PAUSED = "paused"  # waiting at a step, from a pause, a stop or an ended session
    FINISHED = "finished"  # the last segment was sent


PHASES: dict[object, Phase] = {phase.value: phase for phase in Phase}  # a record's "ph", read


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
    early: float | None = None  # seconds after sent_at by which the last response has surely played (any voice)
    left_by: str = ""  # how a paused class was left: pause, stop or timeout ("" in records from before)
    rate: float = 1.0  # the person's speaking pace, kept for next time
    hold_scale: float = 1.0  # the person's hold length ("make it longer"), kept for next time
    misses: int = 0  # things not understood in a row
    pending: str | None = None  # a class asked about ("class_id" or "class_id:minutes"), waiting for yes or no
    eased: tuple[int, ...] = ()  # steps taken their easier way for the rest of the class
    spared: tuple[str, ...] = ()  # body tags spared for the rest of the class ("go easy on my knees")
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
    optional: dict[str, tuple[object, object]] = {
        "ee": (state.early, None), "lb": (state.left_by, ""), "r": (state.rate, 1.0), "hs": (state.hold_scale, 1.0),
        "mi": (state.misses, 0), "pd": (state.pending, None), "ez": (list(state.eased), []),
        "sp": (list(state.spared), []), "pb": (state.playback, None), "of": (round(state.offset, 3), 0.0),
        "af": (state.audio_failed, 0)}
    record.update({key: value for key, (value, default) in optional.items() if value != default})
    return record


def _list(value: Any, name: str) -> list[Any]:
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
    phase, mode, practice, position = _place(record)
    segment, marks = _segment(record)
    plan = Plan(_ints(record["h"], "h"), frozenset(_ints(record.get("sk", []), "sk"))) if "h" in record else None
    history = _history(record)
    if phase is not Phase.IDLE and practice is None:
        raise StateError(f"phase {phase.value} needs a class")
    left_by, rate, hold_scale, misses, pending, spared = _person(record)
    offset = _number(record.get("of", 0.0), "of") or 0.0
    failed = record.get("af", 0)
    if failed not in (0, 1, 2) or isinstance(failed, bool) or offset < 0:
        raise StateError("'af' should be 0, 1 or 2 and 'of' not negative")
    return State(
        phase=phase, practice=practice, position=position, segment=segment, marks=marks,
        sent_at=_number(record.get("at"), "at"), paused_at=_number(record.get("pa"), "pa"), plan=plan,
        mode=mode, history=history, early=_number(record.get("ee"), "ee"), left_by=left_by, rate=rate,
        hold_scale=hold_scale, misses=misses, pending=pending, eased=_ints(record.get("ez", []), "ez"), spared=spared,
        playback=_number(record.get("pb"), "pb"), offset=offset, audio_failed=failed,
    )


def _place(record: dict[str, Any]) -> tuple[Phase, str, str | None, int]:
    """The phase, mode, class and step a record holds."""
    phase = record.get("ph")
    if phase not in PHASES:
        raise StateError(f"unknown phase {phase!r}")
    mode = record.get("m", "flow")
    if mode not in MODES:
        raise StateError(f"unknown mode {mode!r}")
    practice = record.get("c")
    if practice is not None and not isinstance(practice, str):
        raise StateError("'c' should be a class id")
    position = record.get("p", 0)
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise StateError("'p' should be a step number")
    return PHASES[phase], mode, practice, position


def _segment(record: dict[str, Any]) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """The steps of the segment last sent, and their marks."""
    segment = _ints(record.get("sg", []), "sg")
    marks = tuple(_number(m, "mk") or 0.0 for m in _list(record.get("mk", []), "mk"))
    if segment and len(marks) != len(segment) + 1:
        raise StateError("'mk' should have one mark per step and one for the end")
    return segment, marks


def _history(record: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    history = []
    for item in _list(record.get("hi", []), "hi"):
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], int)):
            raise StateError("'hi' should list [class id, time] pairs")
        history.append((item[0], item[1]))
    return tuple(history)


def _person(record: dict[str, Any]) -> tuple[str, float, float, int, str | None, tuple[str, ...]]:
    """What a record keeps of the person rather than the class: how they left, their pace and hold length, the
    things not understood in a row, a class asked about, and the parts of the body spared."""
    left_by, pending = record.get("lb", ""), record.get("pd")
    if left_by not in ("", *LEFT_BY):
        raise StateError(f"unknown 'lb' {left_by!r}")
    if pending is not None and not isinstance(pending, str):
        raise StateError("'pd' should be a class id")
    rate, hold_scale = _number(record.get("r", 1.0), "r") or 1.0, _number(record.get("hs", 1.0), "hs") or 1.0
    misses = record.get("mi", 0)
    if isinstance(misses, bool) or not isinstance(misses, int) or misses < 0:
        raise StateError("'mi' should be a count")
    spared = _list(record.get("sp", []), "sp")
    if not all(isinstance(tag, str) for tag in spared):
        raise StateError("'sp' should be a list of body tags")
    return (left_by, min(max(rate, RATE_RANGE[0]), RATE_RANGE[1]), min(max(hold_scale, 1.0), MAX_HOLD_SCALE), misses,
            pending, tuple(spared))


def kept(state: State) -> State:
    """A fresh state that keeps what belongs to the person, not to a class: mode, history and their pace."""
    return State(mode=state.mode, history=state.history, rate=state.rate, hold_scale=state.hold_scale,
                 spared=state.spared)


def fit(state: State, library: Library) -> State:
    """A stored state made safe for the classes as they are now (a class may have been edited or removed)."""
    practice = library.get(state.practice)
    if practice is None:
        return kept(state) if state.practice else state
    n = len(practice.steps)
    plan = state.plan if state.plan is None or state.plan.fits(practice) else None
    marks_expected = len(state.segment) + 1 if state.segment else 0
    if any(not 0 <= i < n for i in state.segment) or len(state.marks) != marks_expected:
        state = replace(state, segment=(), marks=(), sent_at=None, early=None)
    if any(not 0 <= i < n for i in state.eased):
        state = replace(state, eased=tuple(i for i in state.eased if 0 <= i < n))
    position = min(state.position, n if state.phase is Phase.FINISHED else n - 1)
    if state.phase is Phase.PRACTISING and not state.segment:
        return replace(state, phase=Phase.PAUSED, position=position, plan=plan)
    if position == state.position and plan is state.plan:
        return state  # already fits, as nearly every state does: no copy
    return replace(state, position=position, plan=plan)

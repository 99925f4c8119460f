"""The teaching fields of a step: breath-paced rounds, settling time, body tags, rest points, an easier option."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from skill.classes.fields import parse_duration, texts, unknown_fields
from skill.errors import SequenceError
from skill.practice.model import BODY_TAGS, POSITIONS, Rounds
from skill.practice.rhythm import GAP, rounds_seconds, said
from skill.practice.speech import DEFAULT_PACE

ROUNDS_FIELDS = {"calls", "inhale", "exhale", "quiet", "floor"}
SETTLE = 3  # seconds after the cue before the first breath call, unless the step says otherwise
MAX_SETTLE = 20
# Tags a position brings with it: hands and knees is kneeling, on the wrists, on the floor.
IMPLIED = {"all_fours": ("kneeling", "wrists", "floor"), "kneeling": ("floor",), "supine": ("floor",),
           "side": ("floor",), "prone": ("floor",)}

Report = Callable[[str, str], None]  # (message, field)


def _count(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def read_rounds(value: Any, tempo: tuple[float, float], where: str, label: str, report: Report,
                errors: list[SequenceError], fill: Callable[[str], str] = str) -> Rounds | None:
    """rounds: {calls, inhale, exhale, quiet, floor}; every call short enough to say on its own breath."""
    if not isinstance(value, dict):
        report("should be a mapping with calls, inhale and exhale", "rounds")
        return None
    errors += unknown_fields(value, ROUNDS_FIELDS, where, label)
    calls = _count(value.get("calls"), 1, 30)
    if calls is None:
        report("should give calls, a whole number of rounds from 1 to 30", "rounds")
    quiet = _count(value.get("quiet", 0), 0, 30)
    if quiet is None:
        report("quiet should be a whole number of rounds from 0 to 30", "rounds")
    floor = _count(value.get("floor", math.ceil((calls or 1) / 2)), 1, 30)
    if floor is None or (calls is not None and floor > calls):
        report("floor should be a whole number of rounds from 1 to calls", "rounds")
    words = {}
    for key, seconds in zip(("inhale", "exhale"), tempo, strict=True):
        found = texts(value.get(key))
        found = tuple(fill(text) for text in found) if found else found  # {side} and {other_side} filled
        if not found:
            report(f"{key} should be the words called on each {key}, a sentence or a list", "rounds")
        for text in found or ():
            if said(text, DEFAULT_PACE) + GAP > seconds:
                report(f"'{text}' takes longer to say than a {seconds:g} s {key}; keep each call to a few words "
                       "and put the teaching in the cue", "rounds")
        words[key] = found or ()
    if calls is None or quiet is None or floor is None or floor > calls or not words["inhale"] or not words["exhale"]:
        return None
    return Rounds(calls, words["inhale"], words["exhale"], quiet, floor, *tempo)


def rounds_hold(rounds: Rounds, settle: int, extra: int) -> tuple[int, int]:
    """A rounds step's hold and floor in whole seconds: settling, the rounds, then any extra stillness."""
    full = settle + rounds_seconds(rounds, rounds.calls, rounds.quiet, DEFAULT_PACE) + extra
    least = settle + rounds_seconds(rounds, rounds.floor, 0, DEFAULT_PACE)
    return math.ceil(full), math.ceil(least)


def read_settle(raw: dict, has_calls: bool, report: Report) -> int:
    if "settle" not in raw:
        return SETTLE if has_calls else 0
    try:
        settle = parse_duration(raw["settle"])
    except ValueError as exc:
        report(str(exc), "settle")
        return 0
    if settle > MAX_SETTLE:
        report(f"should be at most {MAX_SETTLE} s", "settle")
    return settle


def read_body(value: Any, report: Report) -> tuple[str, ...] | None:
    """Body tags with what each position implies, or None (reported) when they are not a known set."""
    tags = texts(value) if isinstance(value, (list, str)) else None
    if tags is None:
        report(f"should be a list of tags from {', '.join(BODY_TAGS)}", "body")
        return None
    unknown = [t for t in tags if t not in BODY_TAGS]
    if unknown:
        report(f"unknown tag {unknown[0]!r}; use tags from {', '.join(BODY_TAGS)}", "body")
        return None
    positions = [t for t in tags if t in POSITIONS]
    if len(positions) != 1:
        report(f"needs exactly one position ({', '.join(POSITIONS)}); found {', '.join(positions) or 'none'}",
               "body")
        return None
    implied = [t for tag in tags for t in IMPLIED.get(tag, ())]
    return tuple(dict.fromkeys([*tags, *implied]))


def read_flags(raw: dict, keys: tuple[str, ...], report: Report) -> dict[str, bool]:
    flags = {}
    for key in keys:
        flags[key] = raw.get(key, key == "reminders")
        if not isinstance(flags[key], bool):
            report("should be true or false", key)
            flags[key] = False
    return flags

"""What the fuzz and invariant suites share: pools of odd values, Hypothesis strategies over them, and choosers.

Ten thousand examples must run in well under a minute, and every draw Hypothesis makes costs time, so the odd
values come from pools built once, with a fixed seed, and each field is one draw from a pool. The pools start
with the plainest values, so a failing example still shrinks towards something readable.

A chooser (`Seeded` or `Drawn`) makes the same kinds of choice either from a seeded random generator, cheap enough
for ten thousand event sequences, or through Hypothesis, which shrinks a failure; one generator serves both.
"""
from __future__ import annotations

import os
import random
from collections.abc import Sequence
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

T = TypeVar("T")
# `make fuzz` sets this to 10 for a run ten times larger; the default keeps `make test` within CI's time.
SCALE = float(os.environ.get("GENTLE_YOGA_FUZZ_SCALE", "1") or "1")


def budget(examples: int) -> settings:
    """Fixed-seed settings for a bounded run of examples × SCALE: the same bodies and sequences on every run."""
    return settings(
        max_examples=max(1, round(examples * SCALE)), deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                               HealthCheck.filter_too_much],
    )


CLASS_IDS = ("bedtime_wind_down", "chair_yoga", "desk_reset", "gentle_all_round", "hip_release", "low_back_release",
             "morning_wake_up", "neck_and_shoulders")
FOCUS_IDS = ("sleep", "relaxation", "stress", "low_back", "hips", "hamstrings", "morning", "spine", "energy",
             "full_body")
_random = random.Random(6)  # issue #6

# --- text ---------------------------------------------------------------------------------------------------
# Characters that break naive handling: XML's specials, controls XML forbids, lone surrogates, non-characters,
# direction marks, combining marks, emoji, and digits that are not ASCII.
TRICKY = ("&", "<", ">", '"', "'", "\x00", "\x01", "\x0b", "\x1f", "\x7f", "\x85", "\ud800", "\udfff", "\ufffe",
          "\uffff", "\u202e", "\u200d", "\u0301", "\U0001f9d8", "\u0663", "\uff11", "\u00b2", "\t", "\n", "\\", "%")
_ALPHABET = "abcxyz ABC019-_.'" + "".join(TRICKY) + "éßøヨガйогаयोग"
PLAIN = ("", " ", "hips", "low back release", "Low Back Release", "low_back_release", "hip release", "bedtime",
         "morning", "my hips", "low back", "power vinyasa", "yoga", "a", "the class")
NUMBERS = ("20", "0", "00", "-5", "+5", " 20 ", "20.5", "1e3", "?", "twenty", "PT20M", "\u0663\u0660", "\uff12\uff10",
           "\u00b2", "600", "601", "9" * 40, "9" * 5000)
NASTY = ("<speak>", "</s></speak><audio src='x'/>", "&amp;", '<break time="60s"/>', "]]>", "<!--", "{side}",
         "{other_side}", "%s %d", "${x}", "' OR 1=1 --", "null", "None", "NaN", "true", "\\ud800", "\u202ehips",
         "hips\u0301", "\U0001f9d8\u200d\u2640\ufe0f", "ヨガ", "йога", "योग", "\r\n", "\x00hips", "hips\ud800")
SMALL = PLAIN + NUMBERS[:-2] + NASTY + tuple(TRICKY) + tuple(
    "".join(_random.choice(_ALPHABET) for _ in range(_random.randint(1, 24))) for _ in range(160))


def _long(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


# Long runs: enough to overflow speech, and at the top, to take a body past the size limit.
HUGE = tuple(_long(unit, size) for size in (200, 1_000, 5_000, 20_000, 60_000)
             for unit in ("x", "hips ", "<&>", "\ud800", "\U0001f9d8", "9"))
SMALL_TEXT = st.sampled_from(SMALL)
TEXT = st.one_of(SMALL_TEXT, SMALL_TEXT, SMALL_TEXT, st.sampled_from(HUGE))
NUMBER_WORDS = st.sampled_from(NUMBERS)


def huge_text(low: int = 200, high: int = 60_000) -> st.SearchStrategy[str]:
    return st.sampled_from([text for text in HUGE if low <= len(text) <= high])


# --- JSON values --------------------------------------------------------------------------------------------
def _json(depth: int = 0) -> Any:
    kind = _random.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return _random.choice([None, True, False])
    if kind == 1:
        return _random.choice([0, -1, 1, 2**31, -(2**63), 10**300, _random.randint(-(10**6), 10**6)])
    if kind == 2:
        return _random.choice([0.0, -0.0, 1.5, 1e-300, 1.7976931348623157e308, _random.uniform(-1e9, 1e9)])
    if kind in (3, 4, 5):
        return _random.choice(SMALL)
    if kind in (6, 7):
        return {_random.choice(SMALL): _json(depth + 1) for _ in range(_random.randint(0, 4))}
    return [_json(depth + 1) for _ in range(_random.randint(0, 4))]


JSON_VALUES = (None, 0, "", [], {}) + tuple(_json() for _ in range(300))
JSON = st.sampled_from(JSON_VALUES)


DAY = 86_400.0


def nested(depth: int, leaf: Any = 1, kind: str = "list") -> Any:
    """A value nested depth levels deep, built without recursion so any depth can be made."""
    value = leaf
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


# --- choices: one generator, two drivers ---------------------------------------------------------------------
class Seeded:
    """Choices from a seeded random generator: cheap, for the bulk of a run; the seed reproduces a failure."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def whole(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def number(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high)

    def pick(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]


class Drawn:
    """The same choices drawn by Hypothesis, so a failure shrinks (towards the first option, the plainest)."""

    _strategies: dict[tuple[str, float, float], st.SearchStrategy] = {}

    def __init__(self, data: Any) -> None:
        self.data = data

    def _draw(self, kind: str, low: float, high: float) -> Any:
        key = (kind, low, high)
        if key not in self._strategies:
            self._strategies[key] = st.integers(int(low), int(high)) if kind == "int" else st.floats(low, high)
        return self.data.draw(self._strategies[key])

    def whole(self, low: int, high: int) -> int:
        return self._draw("int", low, high)

    def number(self, low: float, high: float) -> float:
        return self._draw("float", low, high)

    def pick(self, options: Sequence[T]) -> T:
        return options[self.whole(0, len(options) - 1)]

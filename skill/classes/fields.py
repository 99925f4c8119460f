"""The small readers every class and pose file shares: YAML, durations, lists of text, unknown fields."""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from skill.errors import SequenceError, SequenceErrors

MAX_HOLD = 20 * 60
ID = re.compile(r"^[a-z][a-z0-9_]*$")
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s(?:ec)?)?$")


def parse_duration(value: Any) -> int:
    """Seconds from 45, "45s", "1m" or "1m30s"; ValueError with the reason otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, (int, float)):
        total = float(value)
    else:
        text = str(value).strip().lower()
        if re.fullmatch(r"\d+(?:\.\d+)?", text):  # '45' quoted is still 45 seconds
            text += "s"
        match = _DURATION.match(text)
        if not match or not any(match.groups()) or not str(value).strip():
            raise ValueError(f"{value!r} is not a duration; write 45, '45s', '1m' or '1m30s'")
        total = float(match.group(1) or 0) * 60 + float(match.group(2) or 0)
    if not 0 <= total <= MAX_HOLD:  # also refuses NaN
        raise ValueError(f"{value!r} is out of range; holds run from 0 to {MAX_HOLD // 60} minutes")
    return int(round(total))


def unknown_fields(mapping: dict, allowed: set[str], path: str, step: str | None) -> list[SequenceError]:
    errors = []
    for key in mapping:
        if key not in allowed:
            near = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else f"; known fields are {', '.join(sorted(allowed))}"
            errors.append(SequenceError(path, f"unknown field{hint}", step=step, field=str(key)))
    return errors


def read_yaml(path: Path, cache: Path | None = None) -> Any:
    """The file's values, as PyYAML's safe loader reads them; with cache, from there when the text is unchanged
    (skill.classes.parsed). SequenceErrors for a file that cannot be read or is not valid YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SequenceErrors([SequenceError(str(path), f"cannot be read ({exc})")]) from None
    if cache is None:
        return _parse(path, text)
    from skill.classes.parsed import parsed

    return parsed(path, text, cache, lambda text: _parse(path, text))


def _parse(path: Path, text: str) -> Any:
    import yaml  # imported only when a file is parsed: a start with every class file unchanged never needs it

    # libyaml's parser, when PyYAML was built with it, reads the classes several times faster; the values are the
    # same as safe_load's. A file it refuses is read again by safe_load, for the usual message.
    try:
        try:
            return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # safe: plain values only
        except yaml.YAMLError:
            return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", exc)
        raise SequenceErrors([SequenceError(str(path), f"{where}not valid YAML ({problem})")]) from None


def texts(value: Any) -> tuple[str, ...] | None:
    """A string or list of strings as a tuple; None when it is neither."""
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None

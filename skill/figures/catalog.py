"""sequences/figures.yaml: each pose's drawing as a few angles, read and checked like the class files."""
from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skill.classes.fields import read_yaml, unknown_fields
from skill.errors import SequenceError, SequenceErrors
from skill.figures.body import Figure

FILE = "figures.yaml"
FIELDS = {"alt", "view", "torso", "head", "arms", "legs", "bend", "strap", "wall", "lift"}
LIMB_JOINTS = {"arms": 2, "legs": 3}
ANGLES, REQUIRED_ANGLES = ("torso", "head", "bend", "lift"), ("torso", "head")


def _angle(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _limbs(value: Any, joints: int) -> tuple[tuple[float, ...], ...] | None:
    """One or two limbs, each a list of 1..joints angles; None when that is not what value is."""
    if not isinstance(value, list) or not value:
        return None
    if all(not isinstance(v, list) for v in value):
        value = [value]  # a single limb written flat
    if len(value) > 2:
        return None
    limbs = []
    for limb in value:
        angles = [_angle(a) for a in limb] if isinstance(limb, list) else [None]
        if not 1 <= len(angles) <= joints or any(a is None for a in angles):
            return None
        limbs.append(tuple(a for a in angles if a is not None))
    return tuple(limbs)


Limbs = dict[str, tuple[tuple[float, ...], ...] | None]


def _problems(pose: str, entry: dict[str, Any], where: str, limbs: Limbs) -> list[SequenceError]:
    """What is wrong with a pose's drawing, field by field, in the order an author reads them."""
    def wrong(field: str, message: str) -> SequenceError:
        return SequenceError(where, message, step=pose, field=field)

    errors = unknown_fields(entry, FIELDS, where, pose)
    alt = entry.get("alt")
    if not isinstance(alt, str) or len(alt.strip()) < 10:
        errors.append(wrong("alt", "needs a sentence saying what the picture shows"))
    errors += [wrong(name, "should be a number (degrees: 0 forward, 90 up)") for name in ANGLES
               if (name in entry or name in REQUIRED_ANGLES) and _angle(entry.get(name)) is None]
    errors += [wrong(name, f"should be one or two lists of up to {LIMB_JOINTS[name]} angles")
               for name, limb in limbs.items() if limb is None]
    if entry.get("view", "side") not in ("side", "front"):
        errors.append(wrong("view", "should be side or front"))
    errors += [wrong(name, "should be true or false") for name in ("strap", "wall")
               if not isinstance(entry.get(name, False), bool)]
    return errors


def _figure(pose: str, entry: Any, where: str) -> tuple[Figure | None, list[SequenceError]]:
    if not isinstance(entry, dict):
        return None, [SequenceError(where, "should be a mapping with alt, torso, head, arms and legs", step=pose)]
    limbs = {name: _limbs(entry.get(name), joints) for name, joints in LIMB_JOINTS.items()}
    errors = _problems(pose, entry, where, limbs)
    arms, legs = limbs["arms"], limbs["legs"]
    if errors or arms is None or legs is None:
        return None, errors
    return Figure(pose=pose, alt=entry["alt"].strip(), torso=float(entry["torso"]), head=float(entry["head"]),
                  arms=arms, legs=legs, view=entry.get("view", "side"),
                  bend=float(entry.get("bend", 0)), strap=entry.get("strap", False), wall=entry.get("wall", False),
                  lift=float(entry.get("lift", 0))), []


def load_figures(path: Path, poses: Iterable[str]) -> dict[str, Figure]:
    """Every drawing in the file, by pose id; all problems raised together, as for the classes."""
    where = str(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise SequenceErrors([SequenceError(where, "should map each pose id to its drawing")])
    known = set(poses)
    figures: dict[str, Figure] = {}
    errors: list[SequenceError] = []
    for pose, entry in data.items():
        if pose not in known:
            errors.append(SequenceError(where, "is not a pose in poses.yaml", step=str(pose)))
            continue
        figure, problems = _figure(pose, entry, where)
        errors += problems
        if figure is not None:
            figures[pose] = figure
    if errors:
        raise SequenceErrors(errors)
    return figures


def missing(figures: dict[str, Figure], poses: Iterable[str]) -> list[str]:
    """The poses with no drawing yet, in the catalog's order."""
    return [pose for pose in poses if pose not in figures]

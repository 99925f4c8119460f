"""The shared pose catalog, sequences/poses.yaml."""
from __future__ import annotations

from pathlib import Path

from skill.classes.fields import ID, read_yaml, texts, unknown_fields
from skill.errors import SequenceError, SequenceErrors
from skill.practice.model import Pose

POSE_FIELDS = {"id", "name", "sanskrit", "aliases"}


def load_poses(path: Path, cache: Path | None = None) -> dict[str, Pose]:
    """The catalog at path, by pose id (its parsed values kept in cache when given, as for the classes)."""
    data = read_yaml(path, cache)
    where = str(path)
    if not isinstance(data, list):
        raise SequenceErrors([SequenceError(where, "should be a list of poses")])
    poses: dict[str, Pose] = {}
    errors: list[SequenceError] = []
    for number, entry in enumerate(data, 1):
        label = f"{number}"
        if not isinstance(entry, dict):
            errors.append(SequenceError(where, "should be a mapping with id and name", step=label))
            continue
        errors += unknown_fields(entry, POSE_FIELDS, where, label)
        pose_id, name = entry.get("id"), entry.get("name")
        if not isinstance(pose_id, str) or not ID.match(pose_id):
            errors.append(SequenceError(where, "needs lowercase letters, digits and _", step=label, field="id"))
            continue
        label = f"{number} ({pose_id})"
        if pose_id in poses:
            errors.append(SequenceError(where, f"duplicate id '{pose_id}'", step=label, field="id"))
        if not isinstance(name, str) or not name.strip():
            errors.append(SequenceError(where, "is missing; every pose needs a spoken name", step=label, field="name"))
            continue
        aliases = texts(entry.get("aliases", []))
        if aliases is None:
            errors.append(SequenceError(where, "should be a list of names", step=label, field="aliases"))
        sanskrit = entry.get("sanskrit")
        poses[pose_id] = Pose(pose_id, name.strip(), sanskrit.strip() if isinstance(sanskrit, str) else None,
                              aliases or ())
    if errors:
        raise SequenceErrors(errors)
    return poses

"""Reading classes from YAML files into the practice core's plain data."""
from __future__ import annotations

from skill.classes.fields import parse_duration
from skill.classes.loader import load_library, load_practice
from skill.classes.poses import load_poses

__all__ = ["load_library", "load_poses", "load_practice", "parse_duration"]

"""Reading classes from YAML files into the practice core's plain data."""
from __future__ import annotations

from skill.classes.loader import load_library, load_poses, load_practice, parse_duration

__all__ = ["load_library", "load_poses", "load_practice", "parse_duration"]

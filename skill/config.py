"""Settings from environment variables, read in this one place, each with a safe default."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from skill.errors import ConfigError
from skill.practice.segment import MODES
from skill.practice.speech import Pace

ROOT = Path(__file__).resolve().parent.parent

# name: (meaning, default); the README's settings table is checked against this.
SETTINGS = {
    "GENTLE_YOGA_SEQUENCES": ("folder of class files and poses.yaml", str(ROOT / "sequences")),
    "GENTLE_YOGA_DATA_DIR": ("where state is kept (the terminal's saved place)", str(ROOT / "data")),
    "GENTLE_YOGA_WPM": ("speaking rate used to time speech, words a minute", "140"),
    "GENTLE_YOGA_FLOW_SECONDS": ("flow mode: most seconds of class in one response", "240"),
    "GENTLE_YOGA_FLOW_CHARS": ("flow mode: most SSML characters of steps in one response", "6000"),
    "GENTLE_YOGA_MODE": ("flow (hands-free) or step (one step per response)", "flow"),
}


@dataclass(frozen=True)
class Settings:
    sequences: Path
    data_dir: Path
    pace: Pace = field(default_factory=Pace)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return env.get(name, SETTINGS[name][1]).strip()

        def number(name: str, low: int, high: int) -> int:
            raw = get(name)
            if not raw.isdecimal() or not low <= int(raw) <= high:  # isdigit() would pass '²', which int() refuses
                raise ConfigError(f"{name} is {raw!r}; it should be a whole number from {low} to {high}")
            return int(raw)

        mode = get("GENTLE_YOGA_MODE")
        if mode not in MODES:
            raise ConfigError(f"GENTLE_YOGA_MODE is {mode!r}; it should be one of {', '.join(MODES)}")
        pace = Pace(wpm=number("GENTLE_YOGA_WPM", 60, 300),
                    flow_seconds=number("GENTLE_YOGA_FLOW_SECONDS", 30, 600),
                    flow_chars=number("GENTLE_YOGA_FLOW_CHARS", 1000, 6500), mode=mode)
        return cls(sequences=Path(get("GENTLE_YOGA_SEQUENCES")), data_dir=Path(get("GENTLE_YOGA_DATA_DIR")), pace=pace)

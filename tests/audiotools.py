"""Measuring audio as a listener's player would: decoded by ffmpeg, probed by ffprobe (make test installs both)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

RATE = 24_000


def decoded_samples(path: Path) -> int:
    """How many samples ffmpeg decodes from the file (16-bit mono at 24 kHz)."""
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"],
                         capture_output=True, check=True).stdout
    return len(pcm) // 2


def decoded_seconds(path: Path) -> float:
    return decoded_samples(path) / RATE


def probe(path: Path) -> dict:
    """ffprobe's view of the file: format, streams and chapters."""
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                          "-show_chapters", str(path)], capture_output=True, check=True, text=True).stdout
    return json.loads(out)


def peak(path: Path) -> int:
    """The loudest sample's magnitude, decoded."""
    import array

    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-"],
                         capture_output=True, check=True).stdout
    samples = array.array("h", pcm)
    return max((abs(s) for s in samples), default=0)
